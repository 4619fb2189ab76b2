/**
 * `/aws-ir timeline`: the incident in order (the core's answer), as a new message in the channel —
 * like every shared answer (status, audit, evidence, trail): where the person who asked is looking.
 */
import { timelineGroups, timelineText } from '../blocks/timeline';
import { mrkdwn } from '../blocks/text';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleTimelineCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const timeline = await ctx.core.timeline(channel);
  if (!timeline.entries.length) {
    await replyEphemeral(ctx, mrkdwn`Nothing is recorded for this channel yet: run \`/aws-ir scan\` first.`);
    return;
  }
  await ctx.poster.postAnswer(channel, timelineGroups(timeline, ctx.command.user_id), timelineText(timeline));
}
