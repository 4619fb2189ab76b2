/**
 * Zero-config local run: in one process, the AWS sandbox (a simulated account with a scenario), the
 * local Slack stand-in (the page and the Web API), and the real Bolt app between them. Only wiring:
 * the app's code path (listeners, incident core) is the one it takes with real Slack and AWS; only
 * URLs and credentials differ. It listens on 127.0.0.1 unless AWS_IR_LOCAL=1 asked for more.
 */
import { buildServices } from '../build-services';
import type { Clock } from '../clock';
import { loadConfig, type AppConfig } from '../config';
import { registerListeners } from '../handlers';
import { Readiness } from '../health';
import { createLogger, registerSecret, type Logger } from '../logger';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { sandboxClock, sandboxTarget } from '../sandbox-account';
import type { AppServices } from '../services';
import { createSlackApp, type SlackApp } from '../slack/create-app';
import { startStandIn, type RunningStandIn } from '@aws-ir/slack-standin';
import { generateBotToken, generateSigningSecret } from '@aws-ir/slack-standin';

export interface LocalStackOptions {
  /** Page and Web API port; 0 = any free port. Default 3000. */
  port?: number;
  /** SQLite path for the app's store; default ':memory:' (the local channel itself lives in memory). */
  dbPath?: string;
  /** Sandbox scenario name or file; default 'compromised-key'. */
  scenario?: string;
  /** Sandbox rate limits (CloudTrail LookupEvents 2 req/s); default true, like AWS. */
  rateLimits?: boolean;
  /**
   * The app's clock, which its AWS pacing and polls, its Slack pacing, and the sandbox's clock and
   * throttling are measured on too; default the wall clock. Tests hand in virtual time, so a scan is paced as AWS and Slack
   * require without anyone waiting.
   */
  clock?: Clock;
  /** Base configuration (remediation settings, log level); default: loaded from an empty environment. */
  config?: AppConfig;
  logger?: Logger;
}

export interface RunningLocalStack {
  /** The page, e.g. http://localhost:3000 */
  url: string;
  /** The stand-in's Web API base URL (the app's slackApiUrl). */
  apiUrl: string;
  /** Where the stand-in delivers commands and clicks. */
  eventsUrl: string;
  sandbox: RunningSandbox;
  standIn: RunningStandIn;
  /** The services of the app currently running (replaced on reset). */
  services(): AppServices;
  /** Waits for work the app is still doing after its acks (scans, executions). */
  idle(): Promise<void>;
  /** Sandbox back to its scenario, channel cleared, app restarted with a fresh store. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

interface RunningApp {
  slack: SlackApp;
  services: AppServices;
  idle(): Promise<void>;
  /** Stops the listeners' timers (the sweep), which would otherwise outlive a reset. */
  stopListeners(): void;
  eventsUrl: string;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<RunningLocalStack> {
  const base = options.config ?? loadConfig({});
  const logger = options.logger ?? createLogger(base.logLevel);
  const scenario = options.scenario ?? base.aws.sandboxScenario ?? 'compromised-key';
  const dbPath = options.dbPath ?? ':memory:';

  const clock = options.clock;
  const sandbox = await startSandbox({
    scenario,
    port: 0,
    rateLimits: options.rateLimits ?? true,
    ...(clock ? sandboxClock(clock) : {}),
  });
  const botToken = generateBotToken();
  const signingSecret = generateSigningSecret();
  registerSecret(botToken);
  registerSecret(signingSecret);

  const config: AppConfig = {
    ...base,
    slack: { mode: 'local', botToken, signingSecret },
    port: options.port ?? base.port,
    aws: { ...base.aws, region: 'us-east-1', sandboxScenario: scenario },
    dbPath,
    drill: false,
  };
  const target = sandboxTarget(sandbox, clock);

  let current: RunningApp | undefined;
  let standIn: RunningStandIn | undefined;

  const startApp = async (): Promise<RunningApp> => {
    if (!standIn) throw new Error('stand-in not started');
    const services = buildServices(config, { logger, scanTarget: target, remediationTarget: target, ...(clock ? { clock } : {}) });
    const readiness = new Readiness(() => services.store);
    // The stand-in answers auth.test, which Bolt calls when the app starts.
    const slack = createSlackApp(config, {
      logger,
      port: 0,
      host: '127.0.0.1',
      signingSecret,
      botToken,
      slackApiUrl: `http://127.0.0.1:${standIn.port}/api/`,
      health: () => readiness.check(),
    });
    const { tasks, stop: stopListeners } = registerListeners(slack.app, services, { readiness });
    const { eventsUrl } = await slack.start();
    if (!eventsUrl) throw new Error('The local Bolt app did not report its events URL.');
    readiness.slackAuthenticated();
    standIn.interactions.connect({ url: eventsUrl, signingSecret });
    return { slack, services, eventsUrl, idle: () => tasks.idle(), stopListeners };
  };

  const stopApp = async (app: RunningApp): Promise<void> => {
    app.stopListeners();
    await app.idle();
    await app.slack.stop();
    await app.services.store.close();
  };

  const reset = async (): Promise<void> => {
    if (current) await stopApp(current);
    sandbox.reset();
    current = await startApp();
  };

  try {
    standIn = await startStandIn({
      port: config.port,
      host: config.host,
      botToken,
      logger,
      info: () => ({ scenario: sandbox.scenarioName, accountId: sandbox.accountId }),
      onReset: reset,
    });
    current = await startApp();
  } catch (err) {
    // A port in use or a database that cannot be opened: leave nothing running behind the error.
    await standIn?.close().catch(() => undefined);
    await sandbox.close();
    throw err;
  }
  const running = standIn;

  return {
    url: running.url,
    apiUrl: `http://127.0.0.1:${running.port}/api/`,
    get eventsUrl() {
      return current?.eventsUrl ?? '';
    },
    sandbox,
    standIn: running,
    services: () => {
      if (!current) throw new Error('The local app is not running.');
      return current.services;
    },
    idle: async () => {
      await current?.idle();
    },
    reset: async () => {
      await reset();
      running.workspace.clear();
    },
    async close() {
      if (current) await stopApp(current);
      current = undefined;
      await running.close();
      await sandbox.close();
    },
  };
}

/** `npm start` without Slack credentials: the whole product on this machine, in the browser. */
export async function startLocal(config: AppConfig, logger: Logger = createLogger(config.logLevel)): Promise<RunningLocalStack> {
  const stack = await startLocalStack({ port: config.port, scenario: config.aws.sandboxScenario, config, logger });
  process.stdout.write(
    `\n  aws-ir local sandbox is ready: open ${stack.url}\n  (not Slack, not AWS — a simulated account with scenario "${stack.sandbox.scenarioName}")\n\n`,
  );
  return stack;
}
