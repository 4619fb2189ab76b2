/**
 * `/aws-ir audit`: posts the channel's incident record (requests, decisions, AWS calls, evidence) in
 * the thread of the channel's latest scan, or in a new thread when there was no scan.
 */
import { auditGroups } from '../blocks/audit';
import { mention, mrkdwn } from '../blocks/text';
import { incidentRecord } from '../remediation/audit-record';
import type { CommandContext } from './command-context';

export async function handleAuditCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const { store } = ctx.services;
  const record = incidentRecord(store, channel, ctx.services.now());
  if (!record.entries.length && !record.requests.length) {
    await ctx.respond({ response_type: 'ephemeral', text: 'Nothing is recorded for this channel yet.' });
    return;
  }
  let threadTs = store.latestScan(channel)?.threadTs;
  if (!threadTs) threadTs = await ctx.poster.post(channel, { text: mrkdwn`Incident record requested by ${mention(ctx.command.user_id)}` });
  await ctx.poster.postGroups(channel, threadTs, auditGroups(record), mrkdwn`Incident record (requested by ${mention(ctx.command.user_id)})`);
}
