import { LogLevel, type Logger } from '@slack/logger';
import type { StandInLogger } from '../src';

/** A logger that drops everything: the tests read what the stand-in did, not what it said. */
export const silentLogger: StandInLogger = {
  child: () => silentLogger,
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** A Slack client logger that drops everything: the refusals these tests ask for would otherwise be logged. */
export const quietSlackLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};
