/**
 * Time for everything in the product that waits, paces, throttles, expires or sweeps. Production
 * uses the wall clock; tests hand in a manual clock and move it, so no test waits for real time.
 */
export type Cancel = () => void;

export interface Clock {
  now(): Date;
  /** Resolves after `ms`: awaited work (pacing), so the timer keeps the process alive meanwhile. */
  sleep(ms: number): Promise<void>;
  /** Calls `fn` once after `ms` unless cancelled; never keeps the process alive on its own. */
  after(ms: number, fn: () => void): Cancel;
  /** Calls `fn` every `ms` until cancelled; never keeps the process alive on its own. */
  every(ms: number, fn: () => void): Cancel;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};
