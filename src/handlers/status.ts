/**
 * `/aws-ir status`: what still needs people (the core's answer), posted as a new message in the
 * channel, like every shared answer. Open items carry "Mark done" (handlers/checklist.ts).
 */
import { statusGroups, statusText } from '../blocks/status';
import { mrkdwn } from '../blocks/text';
import { isQuiet } from '../incident/status-query';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleStatusCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const status = await ctx.core.status(channel);
  if (isQuiet(status)) {
    await replyEphemeral(
      ctx,
      mrkdwn`Nothing is waiting in this channel: no request needs approval, none was interrupted, and there is no checklist item. Run \`/aws-ir scan\` to look for work.`,
    );
    return;
  }
  await ctx.poster.postAnswer(channel, statusGroups(status), statusText(status));
}
