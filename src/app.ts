/**
 * Entry point: environment -> configuration -> the incident core's services -> the Slack app (HTTP or
 * Socket Mode) with its listeners, or local mode (sandbox AWS account + local Slack stand-in) -> start.
 * Any start-up problem is printed as one sentence, never a stack trace, and the process exits 1.
 */
import 'dotenv/config';
import { ConfigError, loadConfig } from './config';
import { GENERIC_ERROR, userMessage } from './errors';
import { createLogger } from './logger';
import { startApp, type RunningApp } from './start-app';

export interface StartIo {
  err(line: string): void;
}

/** Starts aws-ir from `env`; undefined (after printing why, in one line) when it could not start. */
export async function startFromEnvironment(env: NodeJS.ProcessEnv, io: StartIo): Promise<RunningApp | undefined> {
  let logger = createLogger('silent');
  try {
    const config = loadConfig(env);
    logger = createLogger(config.logLevel);
    const app = await startApp(config, logger);
    logger.info({ mode: config.slack.mode, drill: config.drill }, app.summary);
    return app;
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(err.message);
      return undefined;
    }
    const sentence = userMessage(err);
    // Our own errors say what to fix; anything else is a bug, whose stack belongs in the log only.
    if (sentence === GENERIC_ERROR) logger.fatal({ err }, 'aws-ir could not start');
    io.err(`aws-ir could not start: ${sentence}`);
    return undefined;
  }
}

function main(): void {
  const io: StartIo = { err: (line) => process.stderr.write(`${line}\n`) };
  void startFromEnvironment(process.env, io).then((app) => {
    if (!app) {
      // Whatever was half-opened (a retrying Slack call, a sandbox) must not keep a failed start alive.
      process.exit(1);
    }
    const shutdown = (): void => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGTERM', shutdown);
    process.once('SIGINT', shutdown);
  });
}

if (require.main === module) main();
