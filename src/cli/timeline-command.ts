/**
 * `aws-ir timeline [--channel C] [--format markdown|json]`: the incident in order — the attacker's
 * events from the scans' stories and the team's scans, requests, approvals, AWS changes, undos and
 * checklist marks — from the app's database (DATABASE_URL, else AWS_IR_DB_PATH), ready to paste into a postmortem.
 */
import fs from 'node:fs';
import { parseFlags, UsageError } from '../args/flags';
import { parseChoice } from '../args/values';
import { systemClock } from '../clock';
import { loadCoreConfig } from '../config';
import { incidentTimeline, timelineMarkdown } from '../incident/timeline-query';
import { openStore } from '../store/open-store';
import type { Store } from '../store/store';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, setupProblem, type CliIo } from './command';
import { CLI_CHANNEL } from './scan-command';

const USAGE = `Usage: aws-ir timeline [--channel CHANNEL_ID] [--format markdown|json]   (default channel "${CLI_CHANNEL}"; reads the app's database: DATABASE_URL, else AWS_IR_DB_PATH, default ./data/aws-ir.db)`;
const FLAGS = { channel: 'string', format: 'string', help: 'boolean' } as const;

export interface TimelineArgs {
  channel: string;
  format: 'json' | 'markdown';
  help: boolean;
}

export function parseTimelineArgs(argv: string[]): TimelineArgs {
  const { flags } = parseFlags(argv, FLAGS, { short: { h: 'help' } });
  return {
    channel: flags.channel ?? CLI_CHANNEL,
    format: parseChoice('format', flags.format, ['json', 'markdown'], 'markdown'),
    help: flags.help === true,
  };
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let args: TimelineArgs;
  try {
    args = parseTimelineArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`aws-ir timeline: ${err.message} ${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  let store: Store | undefined;
  try {
    const config = loadCoreConfig(io.env);
    // The app's database, opened as the app opens it: PostgreSQL when DATABASE_URL is set, else the SQLite file.
    if (!config.databaseUrl && config.dbPath !== ':memory:' && !fs.existsSync(config.dbPath)) {
      io.err(`aws-ir timeline: no aws-ir database at ${config.dbPath}. Set AWS_IR_DB_PATH to the file the app uses.`);
      return EXIT_FAILURE;
    }
    store = openStore(config);
    const timeline = await incidentTimeline({ services: { store, clock: systemClock } }, args.channel);
    io.out(args.format === 'json' ? JSON.stringify(timeline, null, 2) : timelineMarkdown(timeline));
    return EXIT_OK;
  } catch (err) {
    io.err(`aws-ir timeline: ${setupProblem(err)}`);
    return EXIT_FAILURE;
  } finally {
    await store?.close();
  }
}
