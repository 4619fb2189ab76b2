/**
 * Time that passes only when something waits: `sleep(ms)` (or a timer set with `after`) moves `now()`
 * forward by `ms` at once (on the next turn of the event loop), firing the timers due on the way in
 * order, so whatever paces, polls or coalesces runs in order at full speed and a test can still read how
 * long it "took". Unlike ManualClock, nobody has to advance it.
 *
 * The sandbox's throttling and the client's pacing share one VirtualTime, so a scan is paced as AWS's
 * limits require and the sandbox would throttle any request that came early:
 *
 *   const time = new VirtualTime();
 *   const sandbox = await startSandbox({ scenario, rateLimitClock: time.ms });
 *   const clients = clientsFor(sandboxTestTarget(sandbox, time));
 */
import type { RunningSandbox } from '@aws-ir/aws-sandbox';
import type { AwsAccountTarget } from '../../src/aws/account';
import type { Cancel, Clock } from '../../src/clock';
import { sandboxTarget } from '../../src/sandbox-account';

interface Timer {
  at: number;
  every?: number;
  fn: () => void;
}

export class VirtualTime implements Clock {
  private t: number;
  private timers: Timer[] = [];

  constructor(start: number = Date.now()) {
    this.t = start;
  }

  now(): Date {
    return new Date(this.t);
  }

  /** The current time in ms (bound: hand it to the sandbox as `rateLimitClock`). */
  readonly ms = (): number => this.t;

  sleep(ms: number): Promise<void> {
    const until = this.t + Math.max(0, ms);
    return new Promise((resolve) => {
      this.add({ at: until, fn: resolve });
      setImmediate(() => this.runUntil(until));
    });
  }

  /** Like a sleep, time moves to a timer someone set (unless cancelled first) on the next turn of the event loop. */
  after(ms: number, fn: () => void): Cancel {
    const timer: Timer = { at: this.t + Math.max(0, ms), fn };
    const cancel = this.add(timer);
    setImmediate(() => {
      if (this.timers.includes(timer)) this.runUntil(timer.at);
    });
    return cancel;
  }

  /** A periodic timer (a sweep) never moves time itself: it fires as time passes for other reasons. */
  every(ms: number, fn: () => void): Cancel {
    return this.add({ at: this.t + ms, every: ms, fn });
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.timers.length;
  }

  private runUntil(until: number): void {
    for (;;) {
      const due = this.timers.filter((x) => x.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      if (due.every) due.at += due.every;
      else this.timers = this.timers.filter((x) => x !== due);
      due.fn();
    }
    this.t = Math.max(this.t, until);
  }

  private add(timer: Timer): Cancel {
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
}

/** Retries at once: the SDK's backoff waits on real timers, which virtual time cannot move. */
export const retryAtOnce = (): number => 0;

/** The sandbox account as a scan target, its pacing and polls on `time`, its retries immediate. */
export function sandboxTestTarget(sandbox: RunningSandbox, time: VirtualTime, extra: Partial<AwsAccountTarget> = {}): AwsAccountTarget {
  return { ...sandboxTarget(sandbox), clock: time, retryDelayMs: retryAtOnce, ...extra };
}

/**
 * What a sandbox needs to share `time` with its client: its account clock (jobs and snapshots complete,
 * events are recorded, by it) and its throttling.
 *
 *   const sandbox = await startSandbox({ scenario, ...sandboxOn(time) });
 */
export function sandboxOn(time: VirtualTime): { now: () => Date; rateLimitClock: () => number } {
  return { now: () => time.now(), rateLimitClock: time.ms };
}
