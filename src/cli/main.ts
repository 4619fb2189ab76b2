#!/usr/bin/env node
/**
 * The `aws-ir` command line: a dispatcher. Each subcommand is imported only when it runs: the AWS
 * SDK clients, the sandbox and the store take about a second to load together, and `--help` or
 * `aws-ir audit` should not wait for what they do not use.
 */
import { EXIT_FAILURE, EXIT_USAGE, processIo, type CliIo, type CommandRun } from './command';

const COMMANDS: Record<string, { load: () => Promise<{ run: CommandRun }>; summary: string }> = {
  scan: { load: () => import('./scan-command'), summary: 'run every detection step of the runbook against the AWS account' },
  trail: { load: () => import('./trail-command'), summary: "show a principal's CloudTrail activity across regions" },
  sandbox: { load: () => import('./sandbox-command'), summary: 'run the built-in sandbox AWS account locally' },
  audit: { load: () => import('./audit-command'), summary: 'show the audit trail of scans and actions' },
  timeline: { load: () => import('./timeline-command'), summary: "the incident in order: the attacker's events and the team's, for a postmortem" },
  detections: { load: () => import('./detections-command'), summary: 'print the detection catalog the scan runs (markdown or json)' },
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
  let run: CommandRun;
  try {
    ({ run } = await command.load());
  } catch (err) {
    io.err(`aws-ir ${name}: could not load the command (${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}).`);
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
