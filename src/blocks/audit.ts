/** Block Kit for `/aws-ir audit`: the channel's incident record as thread messages. */
import type { KnownBlock } from '@slack/types';
import { entrySummary, type IncidentRecord } from '../remediation/audit-record';
import { describeTarget } from '../remediation/action-ids';
import { code, esc, joinMrkdwn, md, mention, mrkdwn, truncate, truncateMrkdwn } from './text';

const LINES_PER_BLOCK = 12;

/** Groups of blocks (each fits one message) for SlackPoster.postGroups. */
export function auditGroups(r: Omit<IncidentRecord, 'evidence' | 'openItems'>): KnownBlock[][] {
  const groups: KnownBlock[][] = [];
  const requests = r.requests.map(
    (q) =>
      mrkdwn`• ${code(q.id)} ${esc(q.action)} on ${esc(truncate(describeTarget(q.target), 300))}: *${esc(q.status)}*${q.dryRun ? mrkdwn` (dry run)` : mrkdwn``}, asked by ${mention(q.requestedBy)}${q.decidedBy ? mrkdwn`, decided by ${mention(q.decidedBy)}` : mrkdwn``}`,
  );
  groups.push([
    { type: 'header', text: { type: 'plain_text', text: 'Incident record' } },
    {
      type: 'section',
      text: md(
        mrkdwn`${r.requests.length} request(s), ${r.entries.length} audit entries. Full export: ${code(`aws-ir audit --channel ${r.channel ?? ''} --format markdown`)}.`,
      ),
    },
  ]);
  for (let i = 0; i < requests.length; i += LINES_PER_BLOCK) {
    groups.push([{ type: 'section', text: md(truncateMrkdwn(joinMrkdwn(requests.slice(i, i + LINES_PER_BLOCK), '\n'), 2900)) }]);
  }
  const timeline = r.entries.map(
    (e) => mrkdwn`${code(e.at)} ${esc(e.kind)}${e.user ? mrkdwn` ${mention(e.user)}` : mrkdwn``}: ${esc(truncate(entrySummary(e), 220))}`,
  );
  for (let i = 0; i < timeline.length; i += LINES_PER_BLOCK) {
    groups.push([{ type: 'section', text: md(truncateMrkdwn(joinMrkdwn(timeline.slice(i, i + LINES_PER_BLOCK), '\n'), 2900)) }]);
  }
  return groups;
}
