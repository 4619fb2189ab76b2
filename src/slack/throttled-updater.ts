/**
 * Keeps one Slack message in step with fast-changing state without flooding chat.update: changes are
 * coalesced and at most one update is sent per interval; `flush` sends the latest state at once and
 * waits for it, so the final update is never lost or overtaken by a stale one.
 */
import { systemClock, type Cancel, type Clock } from '../clock';

export class ThrottledUpdater {
  private cancelTimer: Cancel | undefined;
  private dirty = false;
  private lastSent = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The state changed: send it soon. */
  changed(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.cancelTimer) return;
    const wait = Math.max(0, this.lastSent + this.intervalMs - this.clock.now().getTime());
    this.cancelTimer = this.clock.after(wait, () => {
      this.cancelTimer = undefined;
      void this.sendNow();
    });
  }

  private sendNow(): Promise<void> {
    if (!this.dirty) return this.inFlight;
    this.dirty = false;
    this.lastSent = this.clock.now().getTime();
    this.inFlight = this.inFlight.then(() => this.send()).catch((err: unknown) => this.onError(err));
    return this.inFlight;
  }

  /** Sends the latest state now and stops further updates: the final word is always delivered. */
  async flush(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.stopped = true;
    this.dirty = true;
    await this.sendNow();
  }

  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.stopped = true;
  }
}
