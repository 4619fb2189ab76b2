/**
 * `/aws-ir audit`: the channel's incident record (requests, decisions, AWS calls, evidence), posted as a
 * new message in the channel (where the person who asked is looking), like every shared answer.
 */
import { auditGroups } from '../blocks/audit';
import { mention, mrkdwn } from '../blocks/text';
import { isEmptyRecord } from '../incident/audit-query';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleAuditCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const record = await ctx.core.record(channel);
  if (isEmptyRecord(record)) {
    await replyEphemeral(ctx, mrkdwn`Nothing is recorded for this channel yet.`);
    return;
  }
  await ctx.poster.postAnswer(channel, auditGroups(record), mrkdwn`Incident record (requested by ${mention(ctx.command.user_id)})`);
}
