/**
 * Failures of AWS calls inside a check, turned into plain sentences for responders. Checks wrap each
 * AWS operation in `step()` so the sentence can name the IAM action that failed (the SDK's errors do
 * not carry the operation name, and under test mocks no middleware runs to record it).
 */
import type { CheckId, Gap } from './model';

export class AwsStepError extends Error {
  readonly code = 'aws_ir_step_failed';
  constructor(
    /** IAM action form, e.g. "iam:GenerateCredentialReport". */
    readonly action: string,
    override readonly cause: unknown,
  ) {
    super(`${action} failed: ${errorName(cause)}`);
    this.name = 'AwsStepError';
  }
}

/** A bounded wait (report generation, last-accessed job) that ran out. */
export class StepTimeoutError extends Error {
  readonly code = 'aws_ir_step_timeout';
  constructor(readonly what: string) {
    super(`${what} did not finish in time`);
    this.name = 'StepTimeoutError';
  }
}

export async function step<T>(action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AwsStepError || err instanceof StepTimeoutError) throw err;
    throw new AwsStepError(action, err);
  }
}

export function errorName(err: unknown): string {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; Code?: unknown; code?: unknown };
    if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
    if (typeof e.Code === 'string') return e.Code;
    if (typeof e.code === 'string') return e.code;
  }
  return 'Error';
}

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedException',
  'AuthorizationError',
  'NotAuthorized',
]);
const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
]);
/** What AWS answers in a region the account has not opted in to (or that is disabled). */
const REGION_DISABLED = new Set(['OptInRequired', 'AuthFailure', 'UnrecognizedClientException', 'InvalidClientTokenId']);

/** The SDK gave up on the transport: no answer in time, or the connection dropped (after every retry). */
const NO_ANSWER = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const DROPPED = /ECONNRESET|socket hang up|EPIPE|ECONNREFUSED/;

/** What an endpoint says when it does not have the operation at all (emulators, partial backends). */
const NOT_IMPLEMENTED = new Set(['NotImplemented', 'NotImplementedException', 'InvalidAction', 'UnknownOperationException', 'UnsupportedOperation']);

/** The HTTP status and content type of the answer, when the SDK kept them. */
function httpAnswer(err: unknown): { status?: number; contentType?: string } {
  if (!err || typeof err !== 'object') return {};
  const e = err as { $metadata?: { httpStatusCode?: unknown }; $response?: { statusCode?: unknown; headers?: Record<string, unknown> } };
  const status = e.$response?.statusCode ?? e.$metadata?.httpStatusCode;
  const type = e.$response?.headers?.['content-type'];
  const out: { status?: number; contentType?: string } = {};
  if (typeof status === 'number') out.status = status;
  if (typeof type === 'string') out.contentType = type.split(';')[0] as string;
  return out;
}

/** The SDK could not read the answer as AWS's (an HTML error page, plain text, an empty body). */
function unreadableAnswer(err: unknown): boolean {
  const name = errorName(err);
  const message = err instanceof Error ? err.message : '';
  return name === 'SyntaxError' || name === 'Unknown' || /Deserialization error|XML parse error|not valid JSON/i.test(message);
}

/** A transport error's message and Node's error code (ECONNRESET…), narrowed. */
function transportText(cause: unknown): string {
  if (!(cause instanceof Error)) return '';
  const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : '';
  return `${cause.message} ${code}`;
}

export function isAccessDenied(err: unknown): boolean {
  const cause = err instanceof AwsStepError ? err.cause : err;
  return ACCESS_DENIED.has(errorName(cause));
}

export function errorCodeOf(err: unknown): string {
  return errorName(err instanceof AwsStepError ? err.cause : err);
}

/** One plain sentence: what could not be done and why, never a stack trace or raw message. */
export function failureReason(err: unknown, region?: string): string {
  if (err instanceof StepTimeoutError) return `${err.what} did not finish within the time aws-ir waits; try the scan again in a few minutes.`;
  if (!(err instanceof AwsStepError)) return `an unexpected error stopped this check (${errorName(err)}).`;
  const code = errorName(err.cause);
  if (ACCESS_DENIED.has(code)) return `aws-ir's scan role is not allowed to call ${err.action}.`;
  if (THROTTLED.has(code)) return `AWS kept throttling ${err.action} after every retry.`;
  if (NO_ANSWER.has(code)) return `AWS did not answer ${err.action} in time, after every retry.`;
  if (DROPPED.test(transportText(err.cause))) return `the connection to AWS dropped during ${err.action}, after every retry.`;
  if (REGION_DISABLED.has(code) && region) return `region ${region} is disabled or not opted in for this account (${err.action} answered ${code}).`;
  const answer = httpAnswer(err.cause);
  if (NOT_IMPLEMENTED.has(code) || answer.status === 501)
    return `the endpoint does not implement ${err.action} (it answered ${NOT_IMPLEMENTED.has(code) ? code : 'HTTP 501'}).`;
  if (unreadableAnswer(err.cause)) {
    const what = answer.contentType?.includes('html')
      ? 'an HTML page'
      : answer.contentType
        ? `${answer.contentType} content`
        : 'content that is not an AWS response';
    if (answer.status && answer.status >= 500)
      return `${err.action} got a server error, HTTP ${answer.status} with ${what} instead of an AWS response (a proxy or the service failing), after every retry.`;
    return `${err.action} got an answer aws-ir could not read: HTTP ${answer.status ?? 'status unknown'} with ${what} instead of an AWS response (the endpoint may not support this operation).`;
  }
  return `${err.action} failed with ${code}.`;
}

export function gapFrom(check: CheckId, err: unknown, region?: string): Gap {
  const gap: Gap = { check, reason: failureReason(err, region) };
  if (region) gap.region = region;
  return gap;
}
