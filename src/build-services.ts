/**
 * Wires the services the listeners use from configuration: SQLite store, the scan and remediation
 * AWS identities, the scan engine and the clock. `overrides` lets local mode and tests swap any of
 * them (a sandbox account target, an in-memory store, a fake scan) without a second wiring path.
 */
import { remediationTargetFromConfig, scanTargetFromConfig } from './aws/targets';
import { secretsOf, type AppConfig } from './config';
import { createLogger, registerSecret } from './logger';
import { runScan } from './scan/engine';
import type { AppServices } from './services';
import { SqliteStore } from './store/sqlite-store';

export function buildServices(config: AppConfig, overrides: Partial<AppServices> = {}): AppServices {
  for (const secret of secretsOf(config)) registerSecret(secret);
  return {
    config,
    logger: overrides.logger ?? createLogger(config.logLevel),
    store: overrides.store ?? new SqliteStore(config.dbPath),
    scanTarget: overrides.scanTarget ?? scanTargetFromConfig(config),
    remediationTarget: overrides.remediationTarget ?? remediationTargetFromConfig(config),
    // The CloudTrail source settings are the deployment's, not the command's: every scan gets them.
    runScan:
      overrides.runScan ??
      ((input) => runScan({ ...input, options: { ...(config.aws.cloudTrail ? { cloudTrail: config.aws.cloudTrail } : {}), ...input.options } })),
    now: overrides.now ?? (() => new Date()),
  };
}
