/**
 * Runs the real Bolt app over HTTP on 127.0.0.1:<free port>, its Web API pointed at the Slack
 * stand-in (@aws-ir/slack-standin, open directory: any channel and user id), with services injected:
 * the Slack-level test rig shared by the Slack, remediation and local tests.
 *
 *   const h = await startAppHarness({ services: { runScan: fakeScan({ findings }) } });
 *   const res = await h.command('scan --days 3', { user: 'U0ALICE' });   // signed slash command
 *   await h.idle();                                                    // scans etc. finished
 *   h.slack.webApi.callsTo('chat.postMessage')                         // what the app sent
 *   h.slack.message(TEST_CHANNEL, ts)                                  // a message as it is now
 *   await h.waitFor(() => …, 5000, 'what');                            // on Slack calls and store writes
 *   await h.click(actionId, value, { user: 'U0BOB', messageTs, threadTs }); // signed button click
 *   await h.close();
 *
 * Defaults: store = SqliteStore(':memory:'); scan/remediation target = a fake account on an
 * unreachable 127.0.0.1 endpoint (no test reaches AWS; pass `services.scanTarget` for the sandbox);
 * runScan = fakeScan() with no findings; per-channel pacing 5 ms and progress updates at most every
 * 50 ms (Slack's real ~1/s would only slow tests down); no periodic sweep (`sweepIntervalMs: 0`;
 * call `listeners.sweepNow()`); the wall clock (pass `services.clock`, e.g. a ManualClock, to move
 * time by hand). `register` replaces registerListeners when a test wants to wire listeners itself.
 */
import { randomBytes } from 'node:crypto';
import type { RunningStandIn } from '@aws-ir/slack-standin';
import type { App } from '@slack/bolt';
import { buildServices } from '../../src/build-services';
import type { AppConfig } from '../../src/config';
import { registerListeners, type ListenerOptions, type RegisteredListeners } from '../../src/handlers';
import { createLogger } from '../../src/logger';
import type { AppServices } from '../../src/services';
import { BackgroundTasks } from '../../src/slack/background-tasks';
import { ChannelPacer } from '../../src/slack/channel-pacer';
import { createSlackApp, type SlackApp } from '../../src/slack/create-app';
import { SqliteStore } from '../../src/store/sqlite-store';
import { AppEvents, type Condition, notifyingStore } from './app-events';
import { startTestSlack } from './test-slack';
import { fakeScan } from './scan-fixtures';
import {
  blockActionPayload,
  sendInteraction,
  sendSlashCommand,
  viewSubmissionPayload,
  type SignOptions,
  type SlackHttpResponse,
  type ViewSubmissionFields,
} from './signed-request';

export const TEST_CHANNEL = 'C0INCIDENT';
export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
export const TEST_BOT_TOKEN = 'xoxb-test-0000-aws-ir';

export interface AppHarnessOptions {
  services?: Partial<AppServices>;
  config?: Partial<AppConfig>;
  listeners?: ListenerOptions;
  /** Replace the default `registerListeners` (e.g. to register only one surface). */
  register?: (app: App, services: AppServices) => void;
}

export interface AppHarness {
  /** The Slack stand-in the app talks to: `webApi.calls`, `messages()`, `users`, `usergroups`… */
  slack: RunningStandIn;
  services: AppServices;
  app: App;
  eventsUrl: string;
  signingSecret: string;
  tasks: BackgroundTasks;
  /** What registerListeners returned (the core, the sweep); undefined with `register`. */
  listeners?: RegisteredListeners;
  /** Sends a signed `/aws-ir <text>` from `user` in `channel` (defaults: ALICE, TEST_CHANNEL). */
  command(text: string, opts?: { user?: string; channel?: string; sign?: SignOptions; responseId?: string }): Promise<SlackHttpResponse>;
  /** Sends a signed block_actions button click. */
  click(
    actionId: string,
    value: string | undefined,
    opts: { user?: string; channel?: string; messageTs: string; threadTs?: string; responseId?: string },
  ): Promise<SlackHttpResponse>;
  /** Sends a signed view_submission. */
  submitView(fields: ViewSubmissionFields): Promise<SlackHttpResponse>;
  /**
   * Resolves once `holds()` is true, checked after every Slack call and every store write (no polling);
   * rejects after `timeoutMs`. `holds` may read the store.
   */
  waitFor(holds: Condition, timeoutMs?: number, what?: string): Promise<void>;
  /** Waits until every background task (scan, trail, investigate) has finished. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function testConfig(apiUrl: string, signingSecret: string, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    slack: { mode: 'http', botToken: TEST_BOT_TOKEN, signingSecret, apiUrl },
    port: 0,
    aws: { region: 'us-east-1' },
    remediation: { responders: [], protectedArns: [], dryRun: false, requestTtlMinutes: 30 },
    dbPath: ':memory:',
    logLevel: process.env.TEST_LOG_LEVEL ?? 'silent',
    drill: false,
    ...overrides,
  };
}

export async function startAppHarness(options: AppHarnessOptions = {}): Promise<AppHarness> {
  const logger = options.services?.logger ?? createLogger(options.config?.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'silent');
  const botToken = options.config?.slack?.botToken ?? TEST_BOT_TOKEN;
  const slack = await startTestSlack(botToken, logger);
  const events = new AppEvents(slack);
  const signingSecret = randomBytes(16).toString('hex');
  const config = testConfig(slack.apiUrl, signingSecret, options.config);
  const unreachable = {
    key: '111122223333',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIATESTTESTTESTTEST', secretAccessKey: 'test-secret-not-real' },
    maxAttempts: 1,
  };
  const services = buildServices(config, {
    logger,
    scanTarget: unreachable,
    remediationTarget: unreachable,
    runScan: fakeScan(),
    ...options.services,
    store: notifyingStore(options.services?.store ?? new SqliteStore(':memory:'), () => events.changed()),
  });
  const slackApp: SlackApp = createSlackApp(config, { logger, port: 0, host: '127.0.0.1' });
  const tasks = options.listeners?.tasks ?? new BackgroundTasks(logger);
  let listeners: RegisteredListeners | undefined;
  if (options.register) options.register(slackApp.app, services);
  else {
    listeners = registerListeners(slackApp.app, services, {
      pacer: new ChannelPacer(5),
      progressIntervalMs: 50,
      sweepIntervalMs: 0,
      ...options.listeners,
      tasks,
    });
    await listeners.recovered;
  }
  const { eventsUrl } = await slackApp.start();
  if (!eventsUrl) throw new Error('the app did not start in HTTP mode');

  return {
    slack,
    services,
    app: slackApp.app,
    eventsUrl,
    signingSecret,
    tasks,
    ...(listeners ? { listeners } : {}),
    command: (text, opts = {}) => {
      const user = opts.user ?? ALICE;
      const channel = opts.channel ?? TEST_CHANNEL;
      return sendSlashCommand(
        eventsUrl,
        signingSecret,
        {
          text,
          user_id: user,
          channel_id: channel,
          response_url: slack.responseUrl(opts.responseId ?? 'cmd', { user, channel }),
          trigger_id: slack.triggerId(user),
        },
        opts.sign,
      );
    },
    click: (actionId, value, opts) => {
      const user = opts.user ?? ALICE;
      const channel = opts.channel ?? TEST_CHANNEL;
      const threadTs = opts.threadTs ? { threadTs: opts.threadTs } : {};
      return sendInteraction(
        eventsUrl,
        signingSecret,
        blockActionPayload({
          actionId,
          ...(value !== undefined ? { value } : {}),
          userId: user,
          channelId: channel,
          messageTs: opts.messageTs,
          ...threadTs,
          responseUrl: slack.responseUrl(opts.responseId ?? 'click', { user, channel, messageTs: opts.messageTs, ...threadTs }),
          triggerId: slack.triggerId(user),
        }),
      );
    },
    submitView: (fields) => sendInteraction(eventsUrl, signingSecret, viewSubmissionPayload(fields)),
    waitFor: (holds, timeoutMs, what) => events.waitFor(holds, timeoutMs, what),
    idle: () => tasks.idle(),
    async close() {
      listeners?.stop();
      await tasks.idle();
      await slackApp.stop();
      await services.store.close();
      events.close();
      await slack.close();
    },
  };
}
