#!/usr/bin/env node
/**
 * The `aws-ir` command line: a dispatcher. Each subcommand lives in its own module, loaded only when
 * used, so a build without one (e.g. no sandbox) still runs the others and says what is missing.
 */
import { EXIT_FAILURE, EXIT_USAGE, processIo, type CliIo, type CommandRun } from './command';

const COMMANDS: Record<string, { module: string; summary: string }> = {
  scan: { module: './scan-command', summary: 'run every detection step of the runbook against the AWS account' },
  trail: { module: './trail-command', summary: "show a principal's CloudTrail activity across regions" },
  sandbox: { module: './sandbox-command', summary: 'run the built-in sandbox AWS account locally' },
  audit: { module: './audit-command', summary: 'show the audit trail of scans and actions' },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'Usage: aws-ir <command> [options]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `aws-ir <command> --help` for the options of a command.',
  ].join('\n');
}

function loadCommand(name: string, modulePath: string): CommandRun | undefined {
  let mod: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: optional subcommands
    mod = require(modulePath);
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    // Only the command module itself missing means "not available"; a dependency missing is a real error.
    const firstLine = typeof e.message === 'string' ? (e.message.split('\n')[0] ?? '') : '';
    if (e.code === 'MODULE_NOT_FOUND' && firstLine.includes(`'${modulePath}'`)) return undefined;
    throw err;
  }
  const m = mod as { run?: unknown; default?: unknown };
  const run = typeof m.run === 'function' ? m.run : typeof m.default === 'function' ? m.default : undefined;
  if (!run) throw new Error(`aws-ir ${name}: the command module exports no run() function.`);
  return run as CommandRun;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`aws-ir: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.`);
    return EXIT_USAGE;
  }
  let run: CommandRun | undefined;
  try {
    run = loadCommand(name, command.module);
  } catch (err) {
    io.err(`aws-ir ${name}: could not load the command (${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}).`);
    return EXIT_FAILURE;
  }
  if (!run) {
    io.err(`aws-ir: the "${name}" command is not available in this build.`);
    return EXIT_FAILURE;
  }
  try {
    return await run(rest, io);
  } catch (err) {
    // Commands report their own errors; this is the last line of defence, still one line, no stack.
    io.err(`aws-ir ${name}: ${err instanceof Error ? err.message.split('\n')[0] : 'unexpected error'}`);
    return EXIT_FAILURE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    () => {
      process.exitCode = EXIT_FAILURE;
    },
  );
}
