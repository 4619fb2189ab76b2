/**
 * Starting aws-ir from a configuration: the local sandbox (no Slack: the stand-in page, the sandbox
 * account and the real app), or the Slack app (HTTP or Socket Mode), with the sandbox account in a
 * drill. Every problem an operator can fix is a StartupError (or another named error) whose message
 * is one sentence saying what to do; nothing half-started is left running.
 */
import { buildServices } from './build-services';
import type { AppConfig } from './config';
import { StartupError } from './errors';
import { registerListeners } from './handlers';
import { Readiness } from './health';
import type { Logger } from './logger';
import { sandboxProblem, sandboxTarget, startScenario } from './sandbox-account';
import type { AppServices } from './services';
import { createSlackApp } from './slack/create-app';

export { StartupError };

export interface RunningApp {
  /** One line for the operator: what runs where. */
  summary: string;
  /** The HTTP port it listens on (events and /healthz; the page in local mode), when it listens. */
  port?: number;
  close(): Promise<void>;
}

function errorCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** A port that is taken, or an address that cannot be listened on, as one sentence. */
export function listenProblem(err: unknown, port: number, host: string | undefined): StartupError | undefined {
  const where = `${host ?? 'all interfaces'} port ${port}`;
  switch (errorCode(err)) {
    case 'EADDRINUSE':
      return new StartupError(`Port ${port} is already in use on ${host ?? 'this machine'}: stop the program using it, or set PORT to a free port.`);
    case 'EACCES':
      return new StartupError(`aws-ir may not listen on ${where}: choose a PORT above 1023, or run it with the right to bind this port.`);
    case 'EADDRNOTAVAIL':
      return new StartupError(`HOST=${host} is not an address of this machine: set HOST to one of its addresses, 0.0.0.0 or 127.0.0.1.`);
    default:
      return undefined;
  }
}

async function startSlackApp(config: AppConfig, logger: Logger): Promise<RunningApp> {
  // Drill: real Slack, built-in sandbox account. Every message then says it is a drill (config.drill).
  const overrides: Partial<AppServices> = { logger };
  let closeSandbox = async (): Promise<void> => undefined;
  const scenario = config.aws.sandboxScenario;
  if (scenario) {
    const sandbox = await startScenario(scenario);
    const target = sandboxTarget(sandbox);
    overrides.scanTarget = target;
    overrides.remediationTarget = target;
    closeSandbox = () => sandbox.close();
  }
  let services: AppServices;
  try {
    services = buildServices(config, overrides);
  } catch (err) {
    await closeSandbox();
    throw err;
  }
  const readiness = new Readiness(() => services.store);
  const slack = createSlackApp(config, { logger, health: () => readiness.check() });
  const listeners = registerListeners(slack.app, services, { readiness });
  let port: number | undefined;
  try {
    port = (await slack.start()).port;
  } catch (err) {
    listeners.stop();
    await services.store.close();
    await closeSandbox();
    throw listenProblem(err, config.port, config.host) ?? err;
  }
  readiness.slackAuthenticated();
  const aws = scenario ? `the sandbox account (scenario ${scenario}) — DRILL` : `AWS account ${services.scanTarget.key} in ${config.aws.region}`;
  const slackLabel =
    config.slack.mode === 'socket'
      ? `Slack (Socket Mode${config.slack.apiUrl ? `, Web API at ${config.slack.apiUrl}` : ''})`
      : config.slack.apiUrl
        ? `Slack Web API at ${config.slack.apiUrl}`
        : 'Slack';
  return {
    ...(port !== undefined ? { port } : {}),
    summary: `aws-ir is running: ${slackLabel}${port !== undefined ? ` (events on port ${port} at /slack/events)` : ''}, scanning ${aws}`,
    async close() {
      listeners.stop();
      await listeners.tasks.idle();
      await slack.stop().catch(() => undefined);
      await services.store.close();
      await closeSandbox();
    },
  };
}

export async function startApp(config: AppConfig, logger: Logger): Promise<RunningApp> {
  if (config.slack.mode !== 'local') return startSlackApp(config, logger);
  // The sandbox and the Slack stand-in are loaded only when asked for: a production start never loads them.
  const { startLocal } = await import('./local/start-local');
  const scenario = config.aws.sandboxScenario ?? 'compromised-key';
  try {
    const stack = await startLocal(config, logger);
    return {
      summary: `aws-ir is running locally at ${stack.url}: Slack is the local stand-in, AWS is the sandbox (scenario ${scenario})`,
      close: () => stack.close(),
    };
  } catch (err) {
    throw (await sandboxProblem(err, scenario)) ?? listenProblem(err, config.port, config.host) ?? err;
  }
}
