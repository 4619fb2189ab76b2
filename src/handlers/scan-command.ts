/**
 * `/aws-ir scan [--days N] [--regions a,b]`: flags are checked before the ack (so a mistake is
 * answered at once); the scan starts after it, through the incident core, told as a thread. One scan
 * at a time per channel, decided by the store: a second one would double the AWS calls (and Cost
 * Explorer charges) and split the team's attention between two threads.
 */
import { parseFlags } from '../args/flags';
import { ORG_FLAGS, orgArgs, windowArgs, type OrgArgs, type WindowArgs } from '../args/values';
import { esc, mention, mrkdwn } from '../blocks/text';
import { replyEphemeral, type CommandContext } from './command-context';
import { SlackScanPublisher } from './slack-scan-publisher';
import { runSweepCommand } from './sweep-command';

/** A one-account scan, or with `org` an organization sweep (--org, --accounts, --ou, --fresh). */
export type ScanCommandArgs = WindowArgs & { org?: OrgArgs };

export function parseScanCommand(tokens: string[]): ScanCommandArgs {
  const { flags } = parseFlags(tokens, { days: 'string', regions: 'string', ...ORG_FLAGS } as const);
  const org = orgArgs(flags);
  return org ? { ...windowArgs(flags), org } : windowArgs(flags);
}

export async function runScanCommand(ctx: CommandContext, args: ScanCommandArgs): Promise<void> {
  if (args.org) return runSweepCommand(ctx, args, args.org);
  const { command, services } = ctx;
  const publisher = new SlackScanPublisher(ctx.poster, command.channel_id, {
    progressIntervalMs: ctx.progressIntervalMs,
    clock: services.clock,
    logger: services.logger.child({ channel: command.channel_id, user: command.user_id }),
  });
  const outcome = await ctx.core.startScan({ channel: command.channel_id, requestedBy: command.user_id, ...args }, publisher);
  if (outcome.kind === 'busy') {
    const who = outcome.running ? mrkdwn` started by ${mention(outcome.running.requestedBy)}` : mrkdwn``;
    await replyEphemeral(ctx, mrkdwn`A scan${who} is still running in this channel; its progress and findings are in its thread.`);
  } else if (outcome.kind === 'not-started') {
    await replyEphemeral(ctx, mrkdwn`The scan did not start. ${esc(outcome.reason)}`);
  }
}

export const scanSubcommand = {
  parse: parseScanCommand,
  run(ctx: CommandContext, args: ScanCommandArgs): Promise<void> {
    ctx.tasks.run('scan', () => runScanCommand(ctx, args));
    return Promise.resolve();
  },
};
