import type { StandInLogger } from '../src';

/** A logger that drops everything: the tests read what the stand-in did, not what it said. */
export const silentLogger: StandInLogger = {
  child: () => silentLogger,
  debug: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
