/**
 * Bolt and its Web API client log through this adapter into the app's pino logger, so their lines
 * get the same JSON shape and the same secret masking as ours.
 */
import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import type { Logger } from '../logger';

const TO_PINO: Record<LogLevel, string> = { [LogLevel.DEBUG]: 'debug', [LogLevel.INFO]: 'info', [LogLevel.WARN]: 'warn', [LogLevel.ERROR]: 'error' };

function message(parts: unknown[]): string {
  return parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : safeJson(p))).join(' ');
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function boltLogger(base: Logger): SlackLogger {
  let log = base.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  return {
    debug: (...m: unknown[]) => log.debug(message(m)),
    info: (...m: unknown[]) => log.info(message(m)),
    warn: (...m: unknown[]) => log.warn(message(m)),
    error: (...m: unknown[]) => log.error(message(m)),
    setLevel: (l: LogLevel) => {
      level = l;
      log.level = TO_PINO[l];
    },
    getLevel: () => level,
    setName: (name: string) => {
      log = base.child({ component: name });
    },
  };
}
