/**
 * `/aws-ir audit`: the channel's incident record (requests, decisions, AWS calls, evidence), posted in
 * the thread of the channel's latest scan, or in a new thread when there was no scan.
 */
import { auditGroups } from '../blocks/audit';
import { isEmptyRecord } from '../incident/audit-query';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleAuditCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const record = await ctx.core.record(channel);
  if (isEmptyRecord(record)) {
    await replyEphemeral(ctx, 'Nothing is recorded for this channel yet.');
    return;
  }
  const threadTs = (await ctx.core.thread(channel)) ?? (await ctx.poster.post(channel, { text: `Incident record requested by <@${ctx.command.user_id}>` }));
  await ctx.poster.postGroups(channel, threadTs, auditGroups(record), `Incident record (requested by <@${ctx.command.user_id}>)`);
}
