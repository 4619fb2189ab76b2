/**
 * Waiting on what the app does, without a clock: a condition is checked again after each Slack call
 * the stand-in receives and after each write to the app's store settles, and nowhere else. A test's
 * condition may read the store (async), which is why store reads do not count as events.
 */
import type { RunningStandIn } from '@aws-ir/slack-standin';
import type { Store } from '../../src/store/store';

/** Store methods that only read: the rest change something a test may be waiting for. */
const READS = /^(get|list|latest|find|ping)/;

/** The same store, calling `changed()` after every write has settled (fulfilled or not). */
export function notifyingStore(store: Store, changed: () => void): Store {
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function' || typeof prop !== 'string' || READS.test(prop)) return value;
      return (...args: unknown[]) => {
        const out: unknown = value.apply(target, args);
        if (out instanceof Promise) void out.finally(changed).catch(() => undefined);
        else changed();
        return out;
      };
    },
  });
}

export type Condition = () => boolean | Promise<boolean>;

/** Wakes waiters on the stand-in's calls and on the events handed to `changed()`. */
export class AppEvents {
  private readonly wake = new Set<() => void>();
  private readonly unsubscribe: () => void;

  constructor(private readonly slack: RunningStandIn) {
    this.unsubscribe = slack.webApi.onCall(() => this.changed());
  }

  changed(): void {
    for (const w of [...this.wake]) w();
  }

  /** Resolves once `holds()` is true; rejects after `timeoutMs` (a deadline, not a polling interval). */
  waitFor(holds: Condition, timeoutMs = 10_000, what = 'a condition'): Promise<void> {
    return new Promise((resolve, reject) => {
      let checking = false;
      let again = false;
      let done = false;
      const finish = (err?: Error) => {
        done = true;
        this.wake.delete(wake);
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      // One check at a time; an event during a check runs one more after it.
      const check = async (): Promise<void> => {
        if (done) return;
        if (checking) {
          again = true;
          return;
        }
        checking = true;
        again = false;
        let holdsNow: boolean;
        try {
          holdsNow = await holds();
        } catch (err: unknown) {
          finish(err instanceof Error ? err : new Error(String(err)));
          return;
        }
        checking = false;
        if (holdsNow) finish();
        else if (again) await check();
      };
      const wake = () => void check();
      const timer = setTimeout(() => {
        const seen = this.slack.webApi.calls.map((c) => c.method).join(', ');
        finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; Slack calls: ${seen}`));
      }, timeoutMs);
      this.wake.add(wake);
      wake();
    });
  }

  close(): void {
    this.unsubscribe();
    this.wake.clear();
  }
}
