/**
 * `/aws-ir status`: what still needs people: requests waiting for approval, requests a restart
 * interrupted, and the incident checklist (brought up to date first), posted in the thread of the
 * channel's latest scan. Open items carry "Mark done" (handlers/checklist.ts).
 */
import { statusGroups, statusText, type IncidentStatus } from '../blocks/status';
import { mention, mrkdwn } from '../blocks/text';
import { syncChecklist } from '../checklist/checklist';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleStatusCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const { store, now } = ctx.services;
  syncChecklist({ store, now }, channel);
  const t = now().getTime();
  const items = store.listOpenItems({ channel });
  const status: IncidentStatus = {
    // Past their expiry they can no longer be approved, even before the sweep marks them.
    pending: store.listRequests({ channel, status: 'pending' }).filter((r) => Date.parse(r.expiresAt) > t),
    interrupted: store.listRequests({ channel, status: 'interrupted' }),
    open: items.filter((i) => i.status === 'open'),
    closed: items.filter((i) => i.status !== 'open'),
  };
  if (!status.pending.length && !status.interrupted.length && !items.length) {
    await replyEphemeral(
      ctx,
      'Nothing is waiting in this channel: no request needs approval, none was interrupted, and there is no checklist item. Run `/aws-ir scan` to look for work.',
    );
    return;
  }
  let threadTs = store.latestScan(channel)?.threadTs;
  if (!threadTs) threadTs = await ctx.poster.post(channel, { text: mrkdwn`Incident status requested by ${mention(ctx.command.user_id)}` });
  await ctx.poster.postGroups(channel, threadTs, statusGroups(status), statusText(status));
}
