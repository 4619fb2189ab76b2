/**
 * "Investigate" output (runbook D2): which AWS services an identity used and when, from IAM's
 * service-last-accessed data.
 */
import type { KnownBlock } from '@slack/types';
import type { LastAccessedSummary } from '../scan/checks/last-accessed';
import { esc, formatTime, joinMrkdwn, md, mrkdwn, plural } from './text';

const PER_BLOCK = 25;

export function lastAccessedGroups(identity: string, summary: LastAccessedSummary): KnownBlock[][] {
  const used = summary.used;
  const groups: KnownBlock[][] = [
    [
      {
        type: 'section',
        text: md(
          mrkdwn`:mag_right: *Last accessed — ${esc(identity)}*: ${plural(used.length, 'service')} used; ${plural(summary.neverUsed, 'other allowed service')} never used in IAM's tracking period.`,
        ),
      },
    ],
  ];
  const lines = used.map(
    (s) =>
      mrkdwn`• *${esc(s.service)}* (${esc(s.namespace)}) — ${s.lastAuthenticated ? formatTime(s.lastAuthenticated) : mrkdwn`time unknown`}${s.region ? mrkdwn` in ${esc(s.region)}` : mrkdwn``}`,
  );
  for (let i = 0; i < lines.length; i += PER_BLOCK) groups.push([{ type: 'section', text: md(joinMrkdwn(lines.slice(i, i + PER_BLOCK), '\n')) }]);
  if (!used.length) groups.push([{ type: 'section', text: md(mrkdwn`IAM has no record of this identity using any service in its tracking period.`) }]);
  return groups;
}
