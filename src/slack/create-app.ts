/**
 * Builds the Bolt app for a configuration: HTTP (events and interactivity at /slack/events on PORT),
 * Socket Mode (SLACK_APP_TOKEN), or HTTP on a given host and port for local mode and tests. The Web
 * API base URL comes from SLACK_API_URL (or the caller) so local emulators and test fakes work
 * without touching any listener. Transport only: listeners are registered by handlers/index.ts.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { App, HTTPReceiver, LogLevel, type CustomRoute } from '@slack/bolt';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import { boltLogger } from './bolt-logger';
import { SlackSetupError } from './setup-error';
import { verifyBotToken } from './verify-token';

export { SlackSetupError };

export const EVENTS_PATH = '/slack/events';
export const HEALTH_PATH = '/healthz';

/** Readiness as /healthz reports it (see src/health.ts); without one, serving HTTP means ready. */
export type HealthCheck = () => Promise<{ ready: boolean; reason?: string }>;

/** For container health checks and load balancers: 200 when ready, 503 with a short reason when not. */
function healthRoute(check: HealthCheck = async () => ({ ready: true })): CustomRoute {
  return {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_req, res) => {
      void check()
        .catch(() => ({ ready: false, reason: 'health check failed' }))
        .then((health) => {
          res.writeHead(health.ready ? 200 : 503, { 'content-type': 'text/plain' });
          res.end(health.ready ? 'ok' : `not ready: ${health.reason ?? 'unknown'}`);
        });
    },
  };
}

export interface SlackAppOptions {
  logger: Logger;
  /** Listening port (HTTP/local); default config.port; 0 = any free port. */
  port?: number;
  /** Listening address; default all interfaces (HTTP mode), 127.0.0.1 in local mode. */
  host?: string;
  signingSecret?: string;
  botToken?: string;
  /** Base URL of the Web API, e.g. http://127.0.0.1:5555/api/ (ends with '/'). */
  slackApiUrl?: string;
  /** What /healthz answers. */
  health?: HealthCheck;
}

export interface SlackApp {
  app: App;
  /** Starts listening; for HTTP, resolves with the bound port and the events URL. */
  start(): Promise<{ port?: number; eventsUrl?: string }>;
  stop(): Promise<void>;
}

/** Errors no listener handled: logged (masked, structured), never shown to a Slack user. */
function logUnhandled(app: App, logger: Logger): App {
  app.error(async (error) => {
    logger.error({ err: error }, 'unhandled error in a Slack listener');
  });
  return app;
}

export function createSlackApp(config: AppConfig, options: SlackAppOptions): SlackApp {
  const token = options.botToken ?? config.slack.botToken;
  const slackApiUrl = options.slackApiUrl ?? config.slack.apiUrl;
  const logger = boltLogger(options.logger);
  const clientOptions = slackApiUrl ? { slackApiUrl } : {};
  if (!token) throw new SlackSetupError('A Slack bot token is required (SLACK_BOT_TOKEN).');

  if (config.slack.mode === 'socket' && options.signingSecret === undefined && options.port === undefined) {
    if (!config.slack.appToken) throw new SlackSetupError('Socket Mode needs SLACK_APP_TOKEN (xapp-…).');
    // Socket Mode needs no inbound HTTP, but the health route still gets a small server on PORT.
    const app = logUnhandled(
      new App({
        token,
        appToken: config.slack.appToken,
        socketMode: true,
        logger,
        logLevel: LogLevel.INFO,
        clientOptions,
        customRoutes: [healthRoute(options.health)],
        installerOptions: { port: config.port },
      }),
      options.logger,
    );
    return {
      app,
      async start() {
        await verifyBotToken(token, slackApiUrl);
        await app.start();
        return {};
      },
      stop: async () => {
        await app.stop();
      },
    };
  }

  const signingSecret = options.signingSecret ?? config.slack.signingSecret;
  if (!signingSecret) throw new SlackSetupError('HTTP mode needs SLACK_SIGNING_SECRET.');
  const receiver = new HTTPReceiver({ signingSecret, endpoints: EVENTS_PATH, customRoutes: [healthRoute(options.health)], logger, logLevel: LogLevel.INFO });
  // Deferred so start() awaits Bolt's auth.test: otherwise it is still in flight when a quick stop()
  // follows (the local page's reset, tests), and the retrying Web API call keeps the process alive.
  const app = logUnhandled(new App({ token, receiver, logger, logLevel: LogLevel.INFO, clientOptions, deferInitialization: true }), options.logger);
  const port = options.port ?? config.port;
  const host = options.host ?? config.host ?? (config.slack.mode === 'local' ? '127.0.0.1' : undefined);
  let listening: Server | undefined;
  return {
    app,
    async start() {
      await verifyBotToken(token, slackApiUrl);
      await app.init();
      const server = (await app.start(host ? { port, host } : port)) as Server;
      listening = server;
      const address = server.address() as AddressInfo | null;
      const bound = address?.port ?? port;
      const shownHost = host && host !== '0.0.0.0' ? host : 'localhost';
      return { port: bound, eventsUrl: `http://${shownHost}:${bound}${EVENTS_PATH}` };
    },
    stop: async () => {
      // Keep-alive connections (Slack's, a stand-in's) would hold the server open for seconds after stop.
      listening?.closeAllConnections();
      await app.stop();
    },
  };
}
