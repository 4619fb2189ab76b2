/**
 * What the incident core runs on, built once (build-services.ts) and passed down: configuration,
 * logs, the store, the clock, the AWS identities, the scan engine, and which process this is.
 * Surfaces and tests depend on this shape, not on how it was built, so tests can hand in fakes, and a
 * PostgreSQL store or a second replica changes what is built, not who uses it.
 */
import type { AwsAccountTarget } from './aws/account';
import type { Clock } from './clock';
import type { AppConfig, CoreConfig } from './config';
import type { ProcessLiveness } from './incident/process-owner';
import type { Logger } from './logger';
import type { ScanFn } from './scan/engine';
import type { ProcessOwner } from './store/model';
import type { Store } from './store/store';

export interface CoreServices {
  config: CoreConfig;
  logger: Logger;
  store: Store;
  clock: Clock;
  /** Read-only identity used by scans (AWS_IR_SCAN_ROLE_ARN when set). */
  scanTarget: AwsAccountTarget;
  /** Identity used for approved writes (AWS_IR_REMEDIATION_ROLE_ARN when set). */
  remediationTarget: AwsAccountTarget;
  runScan: ScanFn;
  /** This process, as the owner of the work it claims in the store. */
  owner: ProcessOwner;
  /** Tells whether another process that claimed work is still there. */
  liveness: ProcessLiveness;
}

/** The Slack app's services: the core's, with the app's whole configuration. */
export interface AppServices extends CoreServices {
  config: AppConfig;
}
