/** Block Kit for `/aws-ir timeline`: the incident in order, attacker and team marked, a postmortem's first draft. */
import type { KnownBlock } from '@slack/types';
import type { IncidentTimeline, TimelineEntry } from '../incident/timeline-query';
import { esc, formatTime, joinMrkdwn, md, mention, mrkdwn, plain, plural, truncate, truncateMrkdwn, type Mrkdwn } from './text';

const LINES_PER_BLOCK = 14;

function who(e: TimelineEntry): Mrkdwn {
  if (!e.who) return mrkdwn``;
  return e.side === 'team' ? mrkdwn` ${mention(e.who)}` : mrkdwn` ${esc(truncate(e.who, 80))}`;
}

function line(e: TimelineEntry): Mrkdwn {
  const icon = e.side === 'attacker' ? mrkdwn`:warning:` : mrkdwn`:shield:`;
  const from = e.sourceIp ? mrkdwn` _(from ${esc(e.sourceIp)}${e.region ? mrkdwn`, ${esc(e.region)}` : mrkdwn``})_` : mrkdwn``;
  return mrkdwn`${icon} ${formatTime(e.at)}${who(e)}: ${esc(truncate(e.what, 240))}${from}`;
}

export function timelineText(t: IncidentTimeline): Mrkdwn {
  return mrkdwn`Incident timeline: ${plural(t.entries.length, 'event')}.`;
}

/** Groups (one message each at most) for the poster. */
export function timelineGroups(t: IncidentTimeline, requestedBy: string): KnownBlock[][] {
  const attacker = t.entries.filter((e) => e.side === 'attacker').length;
  const groups: KnownBlock[][] = [
    [
      { type: 'header', text: plain('Incident timeline') },
      {
        type: 'context',
        elements: [
          md(
            mrkdwn`Requested by ${mention(requestedBy)} · :warning: ${plural(attacker, 'attacker event')} from the scans' stories · :shield: ${plural(t.entries.length - attacker, 'team event')} from the audit · \`aws-ir timeline --channel ${esc(t.channel)} --format markdown\` for the postmortem`,
          ),
        ],
      },
    ],
  ];
  const lines = t.entries.map(line);
  for (let i = 0; i < lines.length; i += LINES_PER_BLOCK)
    groups.push([{ type: 'section', text: md(truncateMrkdwn(joinMrkdwn(lines.slice(i, i + LINES_PER_BLOCK), '\n'), 2900)) }]);
  return groups;
}
