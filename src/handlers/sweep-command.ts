/**
 * `/aws-ir scan --org [--accounts id,id] [--ou ou-…] [--fresh]`: an organization sweep through the
 * incident core, told as a thread like a scan. One scan or sweep at a time per channel.
 */
import type { OrgArgs, WindowArgs } from '../args/values';
import { esc, mention, mrkdwn } from '../blocks/text';
import { replyEphemeral, type CommandContext } from './command-context';
import { SlackSweepPublisher } from './slack-sweep-publisher';

export async function runSweepCommand(ctx: CommandContext, window: WindowArgs, org: OrgArgs): Promise<void> {
  const { command, services } = ctx;
  const publisher = new SlackSweepPublisher(ctx.poster, command.channel_id, {
    progressIntervalMs: ctx.progressIntervalMs,
    clock: services.clock,
    logger: services.logger.child({ channel: command.channel_id, user: command.user_id }),
  });
  const outcome = await ctx.core.startSweep({ channel: command.channel_id, requestedBy: command.user_id, ...window, ...org }, publisher);
  if (outcome.kind === 'busy') {
    const who = outcome.running ? mrkdwn` started by ${mention(outcome.running.requestedBy)}` : mrkdwn``;
    await replyEphemeral(ctx, mrkdwn`A scan${who} is still running in this channel; its progress and findings are in its thread.`);
  } else if (outcome.kind === 'not-started') {
    await replyEphemeral(ctx, mrkdwn`The organization sweep did not start. ${esc(outcome.reason)}`);
  }
}
