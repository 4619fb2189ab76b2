/**
 * AWS's per-operation rate limits (token buckets per account, region and operation) and injectable
 * faults for tests. Operations are named "Service:Operation" as src/aws/clients.ts names them.
 */
import { seededRandom } from './ids';

export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

/** The limits that shape a scan; on by default. */
export const DEFAULT_RATE_LIMITS: Record<string, RateLimit> = {
  'CloudTrail:LookupEvents': { capacity: 2, refillPerSecond: 2 },
};

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedMs: number }>();

  constructor(private readonly limits: Record<string, RateLimit>) {}

  /** Takes a token; false when the caller must be throttled. */
  tryTake(accountId: string, region: string, operation: string, nowMs: number): boolean {
    const limit = this.limits[operation];
    if (!limit) return true;
    const key = `${accountId}|${region}|${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: limit.capacity, updatedMs: nowMs };
      this.buckets.set(key, bucket);
    }
    const elapsed = Math.max(0, nowMs - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + elapsed * limit.refillPerSecond);
    bucket.updatedMs = nowMs;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  reset(): void {
    this.buckets.clear();
  }
}

export interface Fault {
  /** AWS error code to answer with (e.g. "ServiceFailure", "ThrottlingException"). */
  error?: string;
  /** HTTP status of that error; default 500 for *Failure/Internal*, else 400. */
  status?: number;
  /** Answer with the service's own throttling error (ThrottlingException, Throttling, RequestLimitExceeded). */
  throttle?: boolean;
  /**
   * A broken transport instead of an AWS answer: `hang` accepts the request and never answers, `reset`
   * drops the connection, `html500` answers HTTP 500 with an HTML page (a proxy or load balancer).
   */
  transport?: 'hang' | 'reset' | 'html500';
  /** Delay before answering (and before the error, if any). */
  latencyMs?: number;
  /** How many requests the fault applies to; default every request until clear(). */
  times?: number;
}

/** What a random fault can be: an AWS error, throttling, or a broken transport. */
export const FAULT_KINDS = ['error', 'throttle', 'hang', 'reset', 'html500', 'access-denied'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface RandomFaults {
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  /** The same seed gives the same sequence of faults for the same sequence of requests. */
  seed: number;
  /** Default: error, throttle, hang, reset, html500 (AccessDenied only when asked). */
  kinds?: readonly FaultKind[];
  /** Only these operations ("Service:Operation", any case); default all. */
  operations?: readonly string[];
}

const RANDOM_FAULT: Readonly<Record<FaultKind, Fault>> = {
  error: { error: 'ServiceUnavailable', status: 503 },
  throttle: { throttle: true },
  hang: { transport: 'hang' },
  reset: { transport: 'reset' },
  html500: { transport: 'html500' },
  'access-denied': { error: 'AccessDenied', status: 403 },
};

export class FaultInjector {
  private readonly faults = new Map<string, { fault: Fault; remaining: number }[]>();
  private randomFaults: { rate: number; kinds: readonly FaultKind[]; operations?: Set<string>; next: () => number } | undefined;
  /** Faults given so far by kind (random and injected), for tests and benchmarks. */
  readonly given = new Map<string, number>();

  inject(operation: string, fault: Fault): void {
    const key = normalizeOperation(operation);
    const list = this.faults.get(key) ?? [];
    list.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    this.faults.set(key, list);
  }

  /** From now on a `rate` share of requests (seeded) gets one of `kinds`; injected faults come first. */
  random(options: RandomFaults): void {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new RangeError(`rate must be from 0 to 1 (got ${options.rate})`);
    const kinds = options.kinds ?? ['error', 'throttle', 'hang', 'reset', 'html500'];
    if (!kinds.length) throw new RangeError('kinds must name at least one fault kind');
    this.randomFaults = {
      rate: options.rate,
      kinds,
      next: seededRandom(options.seed),
      ...(options.operations ? { operations: new Set(options.operations.map(normalizeOperation)) } : {}),
    };
  }

  /** The fault for this request, consuming one of its `times`; `aliases` name the same operation otherwise. */
  take(operation: string, ...aliases: string[]): Fault | undefined {
    for (const name of [operation, ...aliases]) {
      const entry = this.faults.get(normalizeOperation(name))?.find((e) => e.remaining > 0);
      if (!entry) continue;
      entry.remaining -= 1;
      return this.count('injected', entry.fault);
    }
    const random = this.randomFaults;
    if (!random || (random.operations && !random.operations.has(normalizeOperation(operation)))) return undefined;
    // Two draws per request whatever the outcome, so one request's luck never shifts the next one's.
    const hit = random.next() < random.rate;
    const kind = random.kinds[Math.floor(random.next() * random.kinds.length)] ?? random.kinds[0]!;
    return hit ? this.count(kind, RANDOM_FAULT[kind]) : undefined;
  }

  clear(): void {
    this.faults.clear();
    this.randomFaults = undefined;
    this.given.clear();
  }

  private count(kind: string, fault: Fault): Fault {
    this.given.set(kind, (this.given.get(kind) ?? 0) + 1);
    return fault;
  }
}

/** "iam:listusers" and "IAM:ListUsers" name the same operation. */
function normalizeOperation(operation: string): string {
  return operation.toLowerCase();
}
