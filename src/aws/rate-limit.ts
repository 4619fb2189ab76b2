/**
 * Client-side pacing for AWS APIs with low, documented request rates. Limiters are keyed by
 * (account, region, operation) and live for the whole process, so two scans of the same account share
 * CloudTrail's 2 requests/s instead of each taking it and both being throttled.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { systemClock, type Clock } from '../clock';

/** What pacing waits on: the wall clock in production, virtual time in tests (no test sleeps for a slot). */
export type PacingClock = Pick<Clock, 'now' | 'sleep'>;

/** Documented steady-state limits that shape a scan, in requests per second. */
export const DOCUMENTED_RATES: Readonly<Record<string, number>> = {
  'CloudTrail:LookupEvents': 2,
};

/**
 * Who is waiting for a request slot: a person's lookup (`/aws-ir trail`) or a scan. Interactive requests
 * go first, but while both wait a scan keeps two of every three slots, so a burst of lookups cannot stall
 * a running scan (nor a long scan a person's lookup).
 */
export type RequestPriority = 'interactive' | 'scan';

/** Of every SHARE_OF contested slots, interactive requests get one: at worst a scan takes 3/2 as long. */
export const SHARE_OF = 3;

const priorityContext = new AsyncLocalStorage<RequestPriority>();

/** Runs `fn` with its AWS requests queued at `priority` (SDK clients are shared, so the priority travels with the call). */
export function withRequestPriority<T>(priority: RequestPriority, fn: () => Promise<T>): Promise<T> {
  return priorityContext.run(priority, fn);
}

export function currentRequestPriority(): RequestPriority {
  return priorityContext.getStore() ?? 'scan';
}

export class IntervalLimiter {
  private next = 0;
  private waking = false;
  private readonly queues: Record<RequestPriority, (() => void)[]> = { interactive: [], scan: [] };
  /** Slots given while both kinds waited, since they last did. */
  private contested = { total: 0, interactive: 0 };

  constructor(
    private readonly ratePerSecond: number,
    private readonly clock: PacingClock = systemClock,
  ) {}

  /** Resolves when the caller may send one request: slots are spaced at the rate, shared between priorities as above. */
  acquire(priority: RequestPriority = 'scan'): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queues[priority].push(resolve);
      this.pump();
    });
  }

  private get interval(): number {
    return 1000 / this.ratePerSecond;
  }

  private pump(): void {
    if (this.waking || !this.waiting()) return;
    const t = this.clock.now().getTime();
    if (t >= this.next) {
      this.grant();
      this.next = t + this.interval;
      this.pump();
      return;
    }
    this.waking = true;
    const slot = this.next;
    void this.clock.sleep(slot - t).then(() => {
      this.waking = false;
      if (this.waiting()) {
        this.grant();
        this.next = slot + this.interval;
      }
      this.pump();
    });
  }

  private waiting(): boolean {
    return this.queues.interactive.length > 0 || this.queues.scan.length > 0;
  }

  private grant(): void {
    const { interactive, scan } = this.queues;
    let take: RequestPriority;
    if (!interactive.length || !scan.length) {
      take = interactive.length ? 'interactive' : 'scan';
      this.contested = { total: 0, interactive: 0 };
    } else {
      // Interactive first, as long as it has had no more than its share of the contested slots.
      take = this.contested.interactive * SHARE_OF < this.contested.total + 1 ? 'interactive' : 'scan';
      this.contested.total++;
      if (take === 'interactive') this.contested.interactive++;
    }
    this.queues[take].shift()?.();
  }
}

export class RateLimiterRegistry {
  private readonly limiters = new Map<string, IntervalLimiter>();

  constructor(
    private readonly rates: Readonly<Record<string, number>> = DOCUMENTED_RATES,
    private readonly clock: PacingClock = systemClock,
  ) {}

  /** undefined when the operation has no documented limit worth pacing (the SDK's retries cover it). */
  get(accountKey: string, region: string, operation: string): IntervalLimiter | undefined {
    const rate = this.rates[operation];
    if (rate === undefined) return undefined;
    const key = `${accountKey}|${region}|${operation}`;
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new IntervalLimiter(rate, this.clock);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

/** One registry per process: rate limits belong to the AWS account and region, not to a scan. */
export const processRateLimiters = new RateLimiterRegistry();

const registries = new WeakMap<PacingClock, RateLimiterRegistry>();

/** The registry of accounts whose waits are measured on `clock`: the process's for the wall clock, one per other clock. */
export function pacingOn(clock: PacingClock): RateLimiterRegistry {
  if (clock === systemClock) return processRateLimiters;
  let registry = registries.get(clock);
  if (!registry) {
    registry = new RateLimiterRegistry(DOCUMENTED_RATES, clock);
    registries.set(clock, registry);
  }
  return registry;
}
