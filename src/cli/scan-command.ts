/**
 * `aws-ir scan [--days N] [--regions a,b] [--format text|json|markdown] [--channel ID]`: the same
 * incident core as `/aws-ir scan`, in a terminal, with the same AWS configuration (default credential
 * chain, AWS_REGION, AWS_IR_SCAN_ROLE_ARN, AWS_ENDPOINT_URL*) and the same database (AWS_IR_DB_PATH):
 * the scan is recorded and audited under channel `cli` (or --channel) and requested by `cli:<user>`.
 * With AWS_IR_SANDBOX=<scenario> it scans the built-in sandbox.
 */
import os from 'node:os';
import { parseFlags, UsageError } from '../args/flags';
import { ORG_FLAGS, orgArgs, parseChoice, windowArgs, type OrgArgs, type WindowArgs } from '../args/values';
import { buildCoreServices } from '../build-services';
import { loadCoreConfig } from '../config';
import { createIncidentCore } from '../incident/core';
import type { ScanPublisher, SweepPublisher } from '../incident/ports';
import type { IncidentCore } from '../incident/core';
import { toOrgJsonObject, toOrgMarkdown, toOrgText } from '../org/format';
import { WINDOW_DAYS } from '../limits';
import { createLogger } from '../logger';
import { toJsonObject, toMarkdown, toText } from '../scan/format';
import type { ProgressEvent } from '../scan/model';
import type { CoreServices } from '../services';
import { cliTarget, type CliTarget } from './aws-target';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, setupProblem, type CliIo } from './command';

/** Where a terminal scan is recorded unless --channel names an incident channel. */
export const CLI_CHANNEL = 'cli';

export const SCAN_USAGE = [
  'Usage: aws-ir scan [--days N] [--regions a,b] [--format text|json|markdown] [--channel ID]',
  '       aws-ir scan --org [--accounts id,id] [--ou ou-…] [--fresh] [same options]',
  '',
  `  --days N        incident window in days, ${WINDOW_DAYS.min} to ${WINDOW_DAYS.max} (default ${WINDOW_DAYS.default})`,
  '  --regions a,b   only these regions (default: every enabled region)',
  '  --format F      text (default), json or markdown',
  `  --channel ID    record the scan in this Slack channel's incident (default "${CLI_CHANNEL}")`,
  '  --org           sweep every account of the organization (from the management or a delegated administrator account)',
  '  --accounts a,b  with --org: only these account ids',
  '  --ou ou-…       with --org: only the accounts in this organizational unit (and the units under it)',
  '  --fresh         with --org: scan every account again instead of resuming the same sweep run recently',
  '',
  'AWS: the SDK default credential chain and AWS_REGION; AWS_IR_SCAN_ROLE_ARN to assume a read-only role.',
  'Member accounts: AWS_IR_MEMBER_ROLE_NAME (default aws-ir-scan), AWS_IR_MEMBER_EXTERNAL_ID, AWS_IR_ORG_CONCURRENCY (default 8).',
  'The scan is recorded and audited in AWS_IR_DB_PATH (default ./data/aws-ir.db), like scans from Slack.',
].join('\n');

export type ScanFormat = 'text' | 'json' | 'markdown';

export interface ScanArgs extends WindowArgs {
  format: ScanFormat;
  channel?: string;
  help: boolean;
  /** Set for an organization sweep (--org). */
  org?: OrgArgs;
}

const FLAGS = { days: 'string', regions: 'string', format: 'string', channel: 'string', help: 'boolean', ...ORG_FLAGS } as const;

export function parseScanArgs(argv: string[]): ScanArgs {
  const { flags } = parseFlags(argv, FLAGS, { short: { h: 'help' } });
  if (flags.channel !== undefined && !/^[\w.-]{1,80}$/.test(flags.channel)) throw new UsageError('--channel takes a Slack channel id such as C0123456789.');
  const org = orgArgs(flags);
  return {
    ...(org ? { org } : {}),
    ...windowArgs(flags),
    format: parseChoice('format', flags.format, ['text', 'json', 'markdown'], 'text'),
    ...(flags.channel ? { channel: flags.channel } : {}),
    help: flags.help === true,
  };
}

/** Who asked, as the audit records a terminal user. */
export function cliUser(env: NodeJS.ProcessEnv): string {
  let name = env.USER ?? env.LOGNAME;
  try {
    name ??= os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the process's uid still tells who it was.
  }
  return `cli:${name ?? `uid-${process.getuid?.() ?? '?'}`}`;
}

function terminalPublisher(io: CliIo, args: ScanArgs): ScanPublisher {
  const showProgress = io.interactive && args.format === 'text';
  return {
    opened: async () => undefined,
    progress(e: ProgressEvent) {
      if (showProgress && e.type === 'check-finished')
        io.err(`  ${e.check}: ${e.findings} finding(s)${e.gaps ? `, ${e.gaps} gap(s)` : ''} in ${(e.durationMs / 1000).toFixed(1)} s`);
    },
    finished: async () => undefined,
    failed: async () => undefined,
  };
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
  let account: CliTarget | undefined;
  let services: CoreServices | undefined;
  try {
    const config = loadCoreConfig(io.env);
    account = await cliTarget(config, io.clock);
    // Logs go to stderr: stdout is the report (possibly JSON for another program).
    const logger = createLogger(io.env.LOG_LEVEL?.trim() || 'silent', process.stderr);
    services = buildCoreServices(config, { logger, scanTarget: account.target, remediationTarget: account.target, ...(io.clock ? { clock: io.clock } : {}) });
  } catch (err) {
    await account?.close();
    io.err(`aws-ir scan: ${setupProblem(err)}`);
    return EXIT_FAILURE;
  }
  try {
    const core = createIncidentCore(services);
    if (args.org) return await sweep(core, args, args.org, io);
    const outcome = await core.startScan(
      { channel: args.channel ?? CLI_CHANNEL, requestedBy: cliUser(io.env), days: args.days, ...(args.regions ? { regions: args.regions } : {}) },
      terminalPublisher(io, args),
    );
    if (outcome.kind === 'busy') {
      const who = outcome.running ? ` (started by ${outcome.running.requestedBy} at ${outcome.running.startedAt})` : '';
      io.err(`aws-ir scan: another scan${who} is still running in channel ${args.channel ?? CLI_CHANNEL}; wait for it to finish.`);
      return EXIT_FAILURE;
    }
    if (outcome.kind !== 'done') {
      io.err(`aws-ir scan: the scan did not finish. ${outcome.reason}`);
      return EXIT_FAILURE;
    }
    const { result } = outcome;
    if (args.format === 'json') io.out(JSON.stringify(toJsonObject(result), null, 2));
    else io.out(args.format === 'markdown' ? toMarkdown(result) : toText(result));
    // Every check failing means nothing was scanned: that is an error, not an empty report.
    const allFailed = result.findings.length === 0 && result.gaps.length > 0 && new Set(result.gaps.map((g) => g.check)).size >= 8;
    return allFailed ? EXIT_FAILURE : EXIT_OK;
  } finally {
    await services.store.close();
    await account.close();
  }
}

function terminalSweepPublisher(io: CliIo, args: ScanArgs): SweepPublisher {
  const showProgress = io.interactive && args.format === 'text';
  return {
    opened: async () => undefined,
    accountDone(record, done, total) {
      if (showProgress) io.err(`  [${done}/${total}] ${record.account} ${record.name}: ${record.status}${record.reusedFrom ? ' (reused)' : ''}`);
    },
    finished: async () => undefined,
    failed: async () => undefined,
  };
}

async function sweep(core: IncidentCore, args: ScanArgs, org: OrgArgs, io: CliIo): Promise<number> {
  const channel = args.channel ?? CLI_CHANNEL;
  const input = { channel, requestedBy: cliUser(io.env), days: args.days, ...(args.regions ? { regions: args.regions } : {}), ...org };
  const outcome = await core.startSweep(input, terminalSweepPublisher(io, args));
  if (outcome.kind === 'busy') {
    const who = outcome.running ? ` (started by ${outcome.running.requestedBy} at ${outcome.running.startedAt})` : '';
    io.err(`aws-ir scan: another scan${who} is still running in channel ${channel}; wait for it to finish.`);
    return EXIT_FAILURE;
  }
  if (outcome.kind !== 'done') {
    io.err(`aws-ir scan: the organization sweep did not ${outcome.kind === 'not-started' ? 'start' : 'finish'}. ${outcome.reason}`);
    return EXIT_FAILURE;
  }
  const { result } = outcome;
  if (args.format === 'json') io.out(JSON.stringify(toOrgJsonObject(result), null, 2));
  else io.out(args.format === 'markdown' ? toOrgMarkdown(result) : toOrgText(result));
  // Accounts that are gaps are part of the answer; no account scanned at all is an error.
  return result.organization.scanned > 0 ? EXIT_OK : EXIT_FAILURE;
}
