/**
 * AWS's per-operation rate limits (token buckets per account, region and operation) and injectable
 * faults for tests. Operations are named "Service:Operation" as src/aws/clients.ts names them.
 */
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
  /** Delay before answering (and before the error, if any). */
  latencyMs?: number;
  /** How many requests the fault applies to; default every request until clear(). */
  times?: number;
}

export class FaultInjector {
  private readonly faults = new Map<string, { fault: Fault; remaining: number }[]>();

  inject(operation: string, fault: Fault): void {
    const key = normalizeOperation(operation);
    const list = this.faults.get(key) ?? [];
    list.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    this.faults.set(key, list);
  }

  /** The fault for this request, consuming one of its `times`. */
  take(operation: string): Fault | undefined {
    const list = this.faults.get(normalizeOperation(operation));
    if (!list) return undefined;
    const entry = list.find((e) => e.remaining > 0);
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.fault;
  }

  clear(): void {
    this.faults.clear();
  }
}

/** "iam:listusers" and "IAM:ListUsers" name the same operation. */
function normalizeOperation(operation: string): string {
  return operation.toLowerCase();
}
