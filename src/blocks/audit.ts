/** Block Kit for `/aws-ir audit`: the channel's incident record as thread messages. */
import type { KnownBlock } from '@slack/types';
import { entrySummary, type IncidentRecord } from '../remediation/audit-record';
import { describeTarget } from '../remediation/action-ids';
import { code, esc, md, truncate } from './text';

const LINES_PER_BLOCK = 12;

/** Groups of blocks (each fits one message) for SlackPoster.postGroups. */
export function auditGroups(r: Omit<IncidentRecord, 'evidence' | 'openItems'>): KnownBlock[][] {
  const groups: KnownBlock[][] = [];
  const requests = r.requests.map(
    (q) =>
      `• ${code(q.id)} ${esc(q.action)} on ${esc(describeTarget(q.target))}: *${q.status}*${q.dryRun ? ' (dry run)' : ''}, asked by <@${q.requestedBy}>${q.decidedBy ? `, decided by <@${q.decidedBy}>` : ''}`,
  );
  groups.push([
    { type: 'header', text: { type: 'plain_text', text: 'Incident record' } },
    {
      type: 'section',
      text: md(
        `${r.requests.length} request(s), ${r.entries.length} audit entries. Full export: \`aws-ir audit --channel ${esc(r.channel ?? '')} --format markdown\`.`,
      ),
    },
  ]);
  for (let i = 0; i < requests.length; i += LINES_PER_BLOCK) {
    groups.push([{ type: 'section', text: md(truncate(requests.slice(i, i + LINES_PER_BLOCK).join('\n'), 2900)) }]);
  }
  const timeline = r.entries.map((e) => `\`${e.at}\` ${e.kind}${e.user ? ` <@${e.user}>` : ''}: ${esc(truncate(entrySummary(e), 220))}`);
  for (let i = 0; i < timeline.length; i += LINES_PER_BLOCK) {
    groups.push([{ type: 'section', text: md(truncate(timeline.slice(i, i + LINES_PER_BLOCK).join('\n'), 2900)) }]);
  }
  return groups;
}
