/**
 * Time that passes only when something waits: `sleep(ms)` (or a timer set with `after`) moves `now()`
 * forward by `ms` at once (on the next turn of the event loop), firing the timers due on the way in
 * order, so whatever paces, polls or coalesces runs in order at full speed and a test can still read how
 * long it "took". Unlike ManualClock, nobody has to advance it.
 *
 * The sandbox's clock and throttling and the client's pacing and polls share one VirtualTime, so a scan
 * is paced as AWS's limits require (the sandbox would throttle any request that came early) and polls
 * jobs that complete on the same time:
 *
 *   const time = new VirtualTime();
 *   const sandbox = await startSandbox({ scenario, ...sandboxClock(time) }); // src/sandbox-account.ts
 *   const clients = clientsFor(sandboxTestTarget(sandbox, time));
 */
import type { RunningSandbox } from '@aws-ir/aws-sandbox';
import type { AwsAccountTarget } from '../../src/aws/account';
import type { Cancel } from '../../src/clock';
import { sandboxTarget } from '../../src/sandbox-account';
import { ManualClock } from './manual-clock';

export class VirtualTime extends ManualClock {
  constructor(start: number = Date.now()) {
    super(new Date(start));
  }

  /** The current time in ms (bound: hand it to the sandbox as `rateLimitClock`). */
  readonly ms = (): number => this.t;

  /** Time moves to a timer someone set (a sleep is one), unless it is cancelled first, on the next turn of the event loop. */
  override after(ms: number, fn: () => void): Cancel {
    const at = this.t + Math.max(0, ms);
    const cancel = super.after(ms, fn);
    setImmediate(() => {
      if (this.isPending(at, fn)) this.runUntil(at);
    });
    return cancel;
  }

  // every() is ManualClock's: a periodic timer (a sweep) never moves time itself, it fires as time passes.

  private runUntil(until: number): void {
    while (this.fireNext(until));
    this.t = Math.max(this.t, until);
  }
}

/** Retries at once: the SDK's backoff waits on real timers, which virtual time cannot move. */
export const retryAtOnce = (): number => 0;

/** The sandbox account as a scan target, its pacing and polls on `time`, its retries immediate. */
export function sandboxTestTarget(sandbox: RunningSandbox, time: VirtualTime, extra: Partial<AwsAccountTarget> = {}): AwsAccountTarget {
  return { ...sandboxTarget(sandbox, time), retryDelayMs: retryAtOnce, ...extra };
}
