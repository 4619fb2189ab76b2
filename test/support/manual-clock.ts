/**
 * A clock tests move by hand: `now()` stands still until `advance(ms)` (or `set`) moves it, and the
 * timers due on the way fire in order. With it, expiry, sweeps, pacing and throttling are tested
 * without waiting for real time.
 *
 *   const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
 *   const h = await startAppHarness({ services: { clock } });
 *   await clock.advance(6 * 60_000);   // six minutes later, every timer due has run
 */
import type { Cancel, Clock } from '../../src/clock';

interface Timer {
  id: number;
  at: number;
  every?: number;
  fn: () => void;
}

/** Lets promise callbacks scheduled by a fired timer run before the next one fires. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ManualClock implements Clock {
  protected t: number;
  private timers: Timer[] = [];
  private nextId = 1;

  constructor(start: Date = new Date('2026-01-01T00:00:00.000Z')) {
    this.t = start.getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.after(ms, resolve);
    });
  }

  after(ms: number, fn: () => void): Cancel {
    return this.add({ id: this.nextId++, at: this.t + Math.max(0, ms), fn });
  }

  every(ms: number, fn: () => void): Cancel {
    return this.add({ id: this.nextId++, at: this.t + ms, every: ms, fn });
  }

  /** Timers waiting to fire (for tests that check nothing was left running). */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    do await settle();
    while (this.fireNext(end));
    this.t = end;
    await settle();
  }

  /** Fires the earliest timer due by `end`, moving time to it; false when none is. */
  protected fireNext(end: number): boolean {
    const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
    if (!due) return false;
    this.t = Math.max(this.t, due.at);
    if (due.every) due.at += due.every;
    else this.timers = this.timers.filter((x) => x !== due);
    due.fn();
    return true;
  }

  /** Whether a timer `after` or `every` returned the cancel of has neither fired (once) nor been cancelled. */
  protected isPending(at: number, fn: () => void): boolean {
    return this.timers.some((x) => x.at === at && x.fn === fn);
  }

  /** Jumps to `date` (forward only), firing what falls due. */
  set(date: Date): Promise<void> {
    return this.advance(Math.max(0, date.getTime() - this.t));
  }

  private add(timer: Timer): Cancel {
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
}
