/**
 * `/aws-ir status`: what still needs people (the core's answer), posted in the thread of the
 * channel's latest scan. Open items carry "Mark done" (handlers/checklist.ts).
 */
import { statusGroups, statusText } from '../blocks/status';
import { isQuiet } from '../incident/status-query';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleStatusCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const status = await ctx.core.status(channel);
  if (isQuiet(status)) {
    await replyEphemeral(
      ctx,
      'Nothing is waiting in this channel: no request needs approval, none was interrupted, and there is no checklist item. Run `/aws-ir scan` to look for work.',
    );
    return;
  }
  const threadTs = (await ctx.core.thread(channel)) ?? (await ctx.poster.post(channel, { text: `Incident status requested by <@${ctx.command.user_id}>` }));
  await ctx.poster.postGroups(channel, threadTs, statusGroups(status), statusText(status));
}
