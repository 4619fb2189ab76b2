/**
 * Block Kit for `/aws-ir status`: what still needs people in this incident. Requests waiting for a
 * second responder, requests a restart interrupted (to check by hand), and the checklist: open items
 * with a "Mark done" button each, then the closed ones with who or what closed them.
 */
import type { KnownBlock } from '@slack/types';
import { describeTarget } from '../remediation/action-ids';
import type { SyncResult } from '../checklist/checklist';
import type { ActionRequest, OpenItem } from '../store/store';
import { ACTION_LABEL } from './labels';
import { closedItemLine, openItemBlock } from './open-item';
import { code, esc, formatTime, md, plural, truncate } from './text';

const LINES_PER_BLOCK = 12;

export interface IncidentStatus {
  pending: ActionRequest[];
  interrupted: ActionRequest[];
  open: OpenItem[];
  closed: OpenItem[];
}

function requestLine(r: ActionRequest, tail: string): string {
  return `• ${esc(ACTION_LABEL[r.action] ?? r.action)} on ${esc(describeTarget(r.target))}, asked by <@${r.requestedBy}> ${code(r.id)}${tail}`;
}

function listGroups(title: string, lines: string[]): KnownBlock[][] {
  const groups: KnownBlock[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_BLOCK) {
    const heading = i === 0 ? `${title}\n` : '';
    groups.push([{ type: 'section', text: md(truncate(`${heading}${lines.slice(i, i + LINES_PER_BLOCK).join('\n')}`, 2900)) }]);
  }
  return groups;
}

export function statusText(s: IncidentStatus): string {
  return `Incident status: ${plural(s.open.length, 'open item')}, ${plural(s.pending.length, 'request')} waiting for approval, ${plural(s.interrupted.length, 'interrupted request')}`;
}

/** Groups of blocks (each fits one message) for SlackPoster.postGroups. */
export function statusGroups(s: IncidentStatus): KnownBlock[][] {
  const groups: KnownBlock[][] = [
    [
      { type: 'header', text: { type: 'plain_text', text: 'Incident status' } },
      { type: 'section', text: md(esc(statusText(s))) },
    ],
  ];
  if (!s.pending.length && !s.interrupted.length && !s.open.length) {
    groups[0]!.push({
      type: 'section',
      text: md(':white_check_mark: Nothing is waiting: no request needs approval, none was interrupted, and no checklist item is open.'),
    });
  }
  groups.push(
    ...listGroups(
      '*Waiting for a second responder*',
      s.pending.map((r) => requestLine(r, `, expires ${formatTime(r.expiresAt)}`)),
    ),
  );
  groups.push(
    ...listGroups(
      '*Interrupted by a restart: not re-run, check the resource in AWS by hand*',
      s.interrupted.map((r) => requestLine(r, r.decidedBy ? `, approved by <@${r.decidedBy}>` : '')),
    ),
  );
  if (s.open.length) {
    groups.push([
      {
        type: 'section',
        text: md('*Open items: steps only a person can do.* aws-ir has no button that does them; "Mark done" records your word in the audit trail.'),
      },
    ]);
    s.open.forEach((item, n) => {
      groups.push([openItemBlock(item, n)]);
    });
  }
  groups.push(...listGroups('*Closed items*', s.closed.map(closedItemLine)));
  return groups;
}

/** The thread line after a scan changed the checklist, or undefined when it changed nothing. */
export function checklistChangesText(r: SyncResult): string | undefined {
  const parts: string[] = [];
  if (r.opened.length)
    parts.push(
      `${plural(r.opened.length, 'new open item')} (${r.opened
        .map((i) => esc(truncate(i.title, 120)))
        .slice(0, 5)
        .join('; ')}${r.opened.length > 5 ? '; …' : ''})`,
    );
  if (r.verified.length)
    parts.push(
      `${plural(r.verified.length, 'item')} closed because this scan no longer shows ${r.verified.length === 1 ? 'it' : 'them'} (${r.verified
        .map((i) => esc(truncate(i.title, 120)))
        .slice(0, 5)
        .join('; ')})`,
    );
  if (r.reopened.length)
    parts.push(
      `${plural(r.reopened.length, 'item')} reopened because this scan still shows ${r.reopened.length === 1 ? 'it' : 'them'} (${r.reopened
        .map((i) => esc(truncate(i.title, 120)))
        .slice(0, 5)
        .join('; ')})`,
    );
  if (!parts.length) return undefined;
  return `:clipboard: Incident checklist: ${parts.join(', ')}. Steps only a person can do have no button here; \`/aws-ir status\` lists them with "Mark done".`;
}
