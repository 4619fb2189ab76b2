/**
 * The AWS account a scan or an action works on, as a value: which account is a parameter of every
 * engine run, never a global.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { PacingClock } from './rate-limit';

/**
 * The AWS account an engine run works on. Passed in, never read from globals, so scanning another
 * account of an Organization through an assumed role is a parameter, not a rewrite.
 */
export interface AwsAccountTarget {
  /** A stable key for caches and rate limiters: the account id when known, else a label. */
  key: string;
  /** Credentials; undefined means the SDK's default provider chain. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Home region for regional defaults (AWS_REGION). Global services are pinned to us-east-1. */
  region: string;
  /**
   * Only for the built-in sandbox: an explicit endpoint. Real deployments leave this undefined so the
   * SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> handling applies untouched.
   */
  endpoint?: string;
  /** Max attempts per request (SDK retry strategy); default 5. */
  maxAttempts?: number;
  /** Connection and per-attempt request timeouts; default AWS_HTTP_TIMEOUTS. */
  timeouts?: { connectionMs: number; requestMs: number };
  /**
   * What waiting on this account is measured in: pacing of its documented rate limits and polls of its
   * asynchronous jobs (credential report, last-accessed data, Athena queries). Default the wall clock;
   * tests hand in virtual time shared with the sandbox, so nothing waits for real time.
   */
  clock?: PacingClock;
  /**
   * Delay before the n-th retry (1, 2, …); default the SDK's standard exponential backoff with
   * jitter. Tests against the local sandbox retry at once: the SDK waits on timers of its own.
   */
  retryDelayMs?: (attempt: number) => number;
}

/**
 * An endpoint that accepts no connection, or answers nothing, fails the attempt instead of hanging:
 * AWS answers its read APIs well within these even for large pages.
 */
export const AWS_HTTP_TIMEOUTS = { connectionMs: 3_000, requestMs: 15_000 } as const;

/** Services whose API lives in us-east-1 whatever the home region (aws partition). */
export const GLOBAL_SERVICE_REGION = 'us-east-1';
