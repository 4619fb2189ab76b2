/**
 * Entry point: configuration -> services -> Bolt app (HTTP or Socket Mode) -> listeners -> start.
 * Without Slack credentials it runs locally instead (sandbox AWS account + local Slack stand-in).
 */
import 'dotenv/config';
import { buildServices } from './build-services';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { logger as bootLogger } from './logger';
import { registerListeners } from './handlers';
import { createSlackApp } from './slack/create-app';
import { userMessage } from './handlers/user-errors';
import type { AppServices } from './services';

function describeSlack(config: AppConfig): string {
  if (config.slack.mode === 'socket') return `Slack (Socket Mode${config.slack.apiUrl ? `, Web API at ${config.slack.apiUrl}` : ''})`;
  return config.slack.apiUrl ? `Slack Web API at ${config.slack.apiUrl}` : 'Slack';
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // The sandbox and the Slack stand-in are loaded only when asked for: a production start never loads them.
  if (config.slack.mode === 'local') {
    const { startLocal } = await import('./local/start-local');
    await startLocal(config);
    return;
  }
  // Drill: real Slack, built-in sandbox account. Every message then says it is a drill (config.drill).
  const overrides: Partial<AppServices> = {};
  if (config.aws.sandboxScenario) {
    const { startSandbox } = await import('@aws-ir/aws-sandbox');
    const sandbox = await startSandbox({ scenario: config.aws.sandboxScenario });
    const target = { key: sandbox.accountId, region: 'us-east-1', endpoint: sandbox.endpoint, credentials: sandbox.adminCredentials };
    overrides.scanTarget = target;
    overrides.remediationTarget = target;
  }
  const services = buildServices(config, overrides);
  const slack = createSlackApp(config, { logger: services.logger });
  const listeners = registerListeners(slack.app, services);
  const started = await slack.start();
  const aws = config.aws.sandboxScenario
    ? `the sandbox account (scenario ${config.aws.sandboxScenario}) — DRILL`
    : `AWS account ${services.scanTarget.key} in ${config.aws.region}`;
  services.logger.info(
    { slack: config.slack.mode, port: started.port, aws: services.scanTarget.key, drill: config.drill },
    `aws-ir is running: ${describeSlack(config)}${started.port !== undefined ? ` (events on port ${started.port} at /slack/events)` : ''}, scanning ${aws}`,
  );
  const shutdown = (signal: string) => {
    services.logger.info({ signal, running: listeners.tasks.size }, 'shutting down');
    listeners.stop();
    slack
      .stop()
      .catch(() => undefined)
      .finally(() => {
        services.store.close();
        process.exit(0);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  bootLogger.fatal({ err }, 'aws-ir could not start');
  process.stderr.write(`aws-ir could not start: ${userMessage(err)}\n`);
  process.exit(1);
});
