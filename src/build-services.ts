/**
 * Wires the incident core's services from configuration: the store (SQLite, or PostgreSQL when
 * DATABASE_URL is set), the scan and remediation
 * AWS identities, the scan engine, the clock and this process's identity as an owner of claimed work.
 * `overrides` lets local mode, the command line and tests swap any of them (a sandbox account target,
 * an in-memory store, a fake scan, a manual clock) without a second wiring path.
 */
import { remediationTargetFromConfig, scanTargetFromConfig } from './aws/targets';
import { systemClock } from './clock';
import { databaseSecretsOf, secretsOf, type AppConfig, type CoreConfig } from './config';
import { currentProcessOwner, hostLiveness } from './incident/process-owner';
import { createLogger, registerSecret } from './logger';
import { runScan } from './scan/engine';
import type { AppServices, CoreServices } from './services';
import { openStore } from './store/open-store';

export function buildCoreServices(config: CoreConfig, overrides: Partial<CoreServices> = {}): CoreServices {
  for (const secret of databaseSecretsOf(config)) registerSecret(secret);
  const owner = overrides.owner ?? currentProcessOwner();
  return {
    config,
    logger: overrides.logger ?? createLogger(config.logLevel),
    store: overrides.store ?? openStore(config),
    clock: overrides.clock ?? systemClock,
    scanTarget: overrides.scanTarget ?? scanTargetFromConfig(config),
    remediationTarget: overrides.remediationTarget ?? remediationTargetFromConfig(config),
    // The CloudTrail source settings are the deployment's, not the command's: every scan gets them.
    runScan:
      overrides.runScan ??
      ((input) => runScan({ ...input, options: { ...(config.aws.cloudTrail ? { cloudTrail: config.aws.cloudTrail } : {}), ...input.options } })),
    owner,
    liveness: overrides.liveness ?? hostLiveness(owner),
  };
}

export function buildServices(config: AppConfig, overrides: Partial<AppServices> = {}): AppServices {
  for (const secret of secretsOf(config)) registerSecret(secret);
  return { ...buildCoreServices(config, overrides), config };
}
