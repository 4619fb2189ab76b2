/** `aws-ir audit [--channel C] [--format json|markdown]`: exports the incident record from AWS_IR_DB_PATH. */
import fs from 'node:fs';
import { incidentRecord, recordMarkdown } from '../remediation/audit-record';
import { SqliteStore } from '../store/sqlite-store';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './command';

const USAGE = 'Usage: aws-ir audit [--channel CHANNEL_ID] [--format json|markdown]   (reads AWS_IR_DB_PATH, default ./data/aws-ir.db)';

interface AuditArgs {
  channel?: string;
  format: 'json' | 'markdown';
  help: boolean;
}

export function parseAuditArgs(argv: string[]): AuditArgs {
  const args: AuditArgs = { format: 'markdown', help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? (a.split(/=(.*)/s, 2) as [string, string]) : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--channel') args.channel = value();
    else if (flag === '--format') {
      const f = value();
      if (f !== 'json' && f !== 'markdown') throw new Error(`--format must be json or markdown (got "${f}").`);
      args.format = f;
    } else throw new Error(`unknown option "${a}".`);
  }
  return args;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv);
  } catch (err) {
    io.err(`aws-ir audit: ${err instanceof Error ? err.message : 'bad arguments'} ${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  const dbPath = io.env.AWS_IR_DB_PATH?.trim() || './data/aws-ir.db';
  // Exporting must not create an empty database where the real one was expected.
  if (dbPath !== ':memory:' && !fs.existsSync(dbPath)) {
    io.err(`aws-ir audit: no aws-ir database at ${dbPath}. Set AWS_IR_DB_PATH to the file the app uses.`);
    return EXIT_FAILURE;
  }
  let store: SqliteStore | undefined;
  try {
    store = new SqliteStore(dbPath);
    const record = incidentRecord(store, args.channel);
    io.out(args.format === 'json' ? JSON.stringify(record, null, 2) : recordMarkdown(record));
    return EXIT_OK;
  } catch (err) {
    io.err(`aws-ir audit: could not read ${dbPath} (${err instanceof Error ? err.message.split('\n')[0] : 'unknown error'}).`);
    return EXIT_FAILURE;
  } finally {
    store?.close();
  }
}

/** Entry point named in the design brief; same as `run` with the process's streams. */
export function runAuditCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  return run(argv, io);
}
