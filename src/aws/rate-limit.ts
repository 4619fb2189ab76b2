/**
 * Client-side pacing for AWS APIs with low, documented request rates. Limiters are keyed by
 * (account, region, operation) and live for the whole process, so two scans of the same account share
 * CloudTrail's 2 requests/s instead of each taking it and both being throttled.
 */

/** Documented steady-state limits that shape a scan, in requests per second. */
export const DOCUMENTED_RATES: Readonly<Record<string, number>> = {
  'CloudTrail:LookupEvents': 2,
};

export class IntervalLimiter {
  private next = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when the caller may send one request; callers are served in arrival order. */
  async acquire(): Promise<void> {
    const interval = 1000 / this.ratePerSecond;
    const t = this.now();
    const slot = Math.max(t, this.next);
    this.next = slot + interval;
    if (slot > t) await this.sleep(slot - t);
  }
}

export class RateLimiterRegistry {
  private readonly limiters = new Map<string, IntervalLimiter>();

  constructor(private readonly rates: Readonly<Record<string, number>> = DOCUMENTED_RATES) {}

  /** undefined when the operation has no documented limit worth pacing (the SDK's retries cover it). */
  get(accountKey: string, region: string, operation: string): IntervalLimiter | undefined {
    const rate = this.rates[operation];
    if (rate === undefined) return undefined;
    const key = `${accountKey}|${region}|${operation}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new IntervalLimiter(rate);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

/** One registry per process: rate limits belong to the AWS account and region, not to a scan. */
export const processRateLimiters = new RateLimiterRegistry();
