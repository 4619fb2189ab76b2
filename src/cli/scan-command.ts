/**
 * `aws-ir scan [--days N] [--regions a,b] [--format text|json|markdown]`: the same engine as
 * `/aws-ir scan`, in a terminal, with the same AWS configuration (default credential chain, AWS_REGION,
 * AWS_IR_SCAN_ROLE_ARN, AWS_ENDPOINT_URL*). With AWS_IR_SANDBOX=<scenario> it scans the built-in sandbox.
 */
import { clientsFor } from '../aws/clients';
import { ConfigError } from '../config';
import { DEFAULT_DAYS, MAX_DAYS, runScan } from '../scan/engine';
import { toJsonObject, toMarkdown, toText } from '../scan/format';
import type { ProgressEvent } from '../scan/model';
import { cliTarget, type CliTarget } from './aws-target';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from './command';

export const SCAN_USAGE = [
  'Usage: aws-ir scan [--days N] [--regions a,b] [--format text|json|markdown]',
  '',
  `  --days N        incident window in days, 1 to ${MAX_DAYS} (default ${DEFAULT_DAYS})`,
  '  --regions a,b   only these regions (default: every enabled region)',
  '  --format F      text (default), json or markdown',
  '',
  'AWS: the SDK default credential chain and AWS_REGION; AWS_IR_SCAN_ROLE_ARN to assume a read-only role.',
].join('\n');

export type ScanFormat = 'text' | 'json' | 'markdown';

export interface ScanArgs {
  days: number;
  regions?: string[];
  format: ScanFormat;
  help: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function parseScanArgs(argv: string[]): ScanArgs {
  const args: ScanArgs = { days: DEFAULT_DAYS, format: 'text', help: false };
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const [flag, inline] = raw.startsWith('--') && raw.includes('=') ? [raw.slice(0, raw.indexOf('=')), raw.slice(raw.indexOf('=') + 1)] : [raw, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new UsageError(`${flag} needs a value.`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        args.help = true;
        break;
      case '--days': {
        const v = value();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < 1 || n > MAX_DAYS) throw new UsageError(`--days must be a whole number from 1 to ${MAX_DAYS} (got "${v}").`);
        args.days = n;
        break;
      }
      case '--regions': {
        const list = value()
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const bad = list.filter((r) => !REGION.test(r));
        if (!list.length || bad.length)
          throw new UsageError(`--regions takes region names separated by commas, such as us-east-1,eu-west-1 (got "${bad.join(',') || ''}").`);
        args.regions = list;
        break;
      }
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'markdown') throw new UsageError(`--format must be text, json or markdown (got "${v}").`);
        args.format = v;
        break;
      }
      default:
        throw new UsageError(raw.startsWith('-') ? `unknown option ${flag}.` : `unexpected argument "${raw}".`);
    }
  }
  return args;
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let args: ScanArgs;
  try {
    args = parseScanArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`aws-ir scan: ${err.message} Run \`aws-ir scan --help\` for usage.`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (args.help) {
    io.out(SCAN_USAGE);
    return EXIT_OK;
  }
  let account: CliTarget;
  try {
    account = await cliTarget(io.env);
  } catch (err) {
    if (err instanceof ConfigError) io.err(`aws-ir scan: ${err.problems.join(' ')}`);
    else io.err(`aws-ir scan: ${err instanceof Error ? err.message.split('\n')[0] : 'could not set up the AWS account.'}`);
    return EXIT_FAILURE;
  }
  try {
    const onProgress = io.interactive && args.format === 'text' ? (e: ProgressEvent) => progressLine(io, e) : undefined;
    const result = await runScan({
      clients: clientsFor(account.target),
      options: { days: args.days, ...(args.regions ? { regions: args.regions } : {}) },
      ...(onProgress ? { onProgress } : {}),
    });
    if (args.format === 'json') io.out(JSON.stringify(toJsonObject(result), null, 2));
    else io.out(args.format === 'markdown' ? toMarkdown(result) : toText(result));
    // Every check failing means nothing was scanned: that is an error, not an empty report.
    const allFailed = result.findings.length === 0 && result.gaps.length > 0 && new Set(result.gaps.map((g) => g.check)).size >= 8;
    return allFailed ? EXIT_FAILURE : EXIT_OK;
  } finally {
    await account.close();
  }
}

function progressLine(io: CliIo, e: ProgressEvent): void {
  if (e.type === 'check-finished') {
    io.err(`  ${e.check}: ${e.findings} finding(s)${e.gaps ? `, ${e.gaps} gap(s)` : ''} in ${(e.durationMs / 1000).toFixed(1)} s`);
  }
}
