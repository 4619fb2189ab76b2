import type { Clock } from '../clock';
import { ConfigError } from '../config';
import { userMessage } from '../errors';

/** What every `aws-ir <command>` module exports: `run(argv, io)` resolving to the process exit code. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** True when progress lines may be written to `err` (an interactive terminal). */
  interactive: boolean;
  /** What the command's waits are measured in; default the wall clock (tests hand in virtual time). */
  clock?: Clock;
}

export type CommandRun = (argv: string[], io: CliIo) => Promise<number>;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Why a command could not set up (configuration, database, sandbox, AWS), in one line. */
export function setupProblem(err: unknown): string {
  return err instanceof ConfigError ? err.problems.join(' ') : userMessage(err);
}

export function processIo(): CliIo {
  return {
    out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    env: process.env,
    interactive: !!process.stderr.isTTY,
  };
}
