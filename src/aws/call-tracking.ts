/**
 * Sees every AWS request aws-ir makes (retries included) so a scan can count its calls and an action
 * can record its writes in the audit trail, without either passing anything through the SDK clients.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** One HTTP request to AWS, as seen by the tracking middleware (one per attempt, retries included). */
export interface AwsCallRecord {
  /** "Service:Operation", e.g. "IAM:ListUsers". */
  operation: string;
  region: string;
  input: Record<string, unknown>;
  requestId?: string;
  /** AWS error code when the attempt failed. */
  errorCode?: string;
  durationMs: number;
}

export interface AwsCallObserver {
  onCall(call: AwsCallRecord): void;
  /** An attempt is about to be sent (before any pacing): what a deadline names as still missing. */
  onStart?(call: { operation: string; region: string }): void;
  /** When aborted (a scan's deadline), attempts not yet answered fail at once and none is sent. */
  signal?: AbortSignal;
}

/**
 * SDK clients are shared across scans and actions, so per-run observers (API call counts for a scan,
 * the audit trail for an action) are found through the async context, not the client.
 */
export const awsCallContext = new AsyncLocalStorage<AwsCallObserver>();

export function withAwsCallObserver<T>(observer: AwsCallObserver, fn: () => Promise<T>): Promise<T> {
  return awsCallContext.run(observer, fn);
}

/** Counts calls by operation: the `stats.apiCalls` of a scan. */
export class CallCounter implements AwsCallObserver {
  readonly counts: Record<string, number> = {};

  onCall(call: AwsCallRecord): void {
    this.counts[call.operation] = (this.counts[call.operation] ?? 0) + 1;
  }
}

/** Parameter names whose values must never reach logs, Slack or the audit trail. */
const SECRET_KEYS = /secret|password|token|privatekey|credentials/i;

export function redactInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (SECRET_KEYS.test(k) && k !== 'NextToken' && k !== 'MaxResults') out[k] = '[redacted]';
    else out[k] = v;
  }
  return out;
}
