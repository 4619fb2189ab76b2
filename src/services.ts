/**
 * What the listeners need, built once in app.ts and passed down. Handlers depend on this shape, not on
 * how it was built, so tests can hand them fakes.
 */
import type { AwsAccountTarget } from './aws/account';
import type { AppConfig } from './config';
import type { Logger } from './logger';
import type { ScanFn } from './scan/engine';
import type { Store } from './store/store';

export interface AppServices {
  config: AppConfig;
  logger: Logger;
  store: Store;
  /** Read-only identity used by scans (AWS_IR_SCAN_ROLE_ARN when set). */
  scanTarget: AwsAccountTarget;
  /** Identity used for approved writes (AWS_IR_REMEDIATION_ROLE_ARN when set). */
  remediationTarget: AwsAccountTarget;
  runScan: ScanFn;
  /** Injected clock for expiry and windows; Date.now in production. */
  now: () => Date;
}
