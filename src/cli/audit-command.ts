/** `aws-ir audit [--channel C] [--format json|markdown]`: exports the incident record from AWS_IR_DB_PATH. */
import fs from 'node:fs';
import { parseFlags, UsageError } from '../args/flags';
import { parseChoice } from '../args/values';
import { systemClock } from '../clock';
import { loadCoreConfig } from '../config';
import { channelRecord } from '../incident/audit-query';
import { recordMarkdown } from '../remediation/audit-record';
import { SqliteStore } from '../store/sqlite-store';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo, setupProblem, type CliIo } from './command';

const USAGE = 'Usage: aws-ir audit [--channel CHANNEL_ID] [--format json|markdown]   (reads AWS_IR_DB_PATH, default ./data/aws-ir.db)';
const FLAGS = { channel: 'string', format: 'string', help: 'boolean' } as const;

interface AuditArgs {
  channel?: string;
  format: 'json' | 'markdown';
  help: boolean;
}

export function parseAuditArgs(argv: string[]): AuditArgs {
  const { flags } = parseFlags(argv, FLAGS, { short: { h: 'help' } });
  return {
    ...(flags.channel ? { channel: flags.channel } : {}),
    format: parseChoice('format', flags.format, ['json', 'markdown'], 'markdown'),
    help: flags.help === true,
  };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`aws-ir audit: ${err.message} ${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  let store: SqliteStore | undefined;
  try {
    const { dbPath } = loadCoreConfig(io.env);
    // Exporting must not create an empty database where the real one was expected.
    if (dbPath !== ':memory:' && !fs.existsSync(dbPath)) {
      io.err(`aws-ir audit: no aws-ir database at ${dbPath}. Set AWS_IR_DB_PATH to the file the app uses.`);
      return EXIT_FAILURE;
    }
    store = new SqliteStore(dbPath);
    const record = await channelRecord({ services: { store, clock: systemClock } }, args.channel);
    io.out(args.format === 'json' ? JSON.stringify(record, null, 2) : recordMarkdown(record));
    return EXIT_OK;
  } catch (err) {
    io.err(`aws-ir audit: ${setupProblem(err)}`);
    return EXIT_FAILURE;
  } finally {
    await store?.close();
  }
}

/** `run` with the process's streams. */
export function runAuditCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return run(argv, io);
}
