/**
 * Keeps one Slack message in step with fast-changing state without flooding chat.update: changes are
 * coalesced and at most one update is sent per interval; `flush` sends the latest state at once and
 * waits for it, so the final update is never lost or overtaken by a stale one.
 */
export class ThrottledUpdater {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private lastSent = 0;
  private inFlight: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly send: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** The state changed: send it soon. */
  changed(): void {
    if (this.stopped) return;
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastSent + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sendNow();
    }, wait);
  }

  private sendNow(): Promise<void> {
    if (!this.dirty) return this.inFlight;
    this.dirty = false;
    this.lastSent = Date.now();
    this.inFlight = this.inFlight.then(() => this.send()).catch((err: unknown) => this.onError(err));
    return this.inFlight;
  }

  /** Sends the latest state now and stops further updates: the final word is always delivered. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopped = true;
    this.dirty = true;
    await this.sendNow();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.stopped = true;
  }
}
