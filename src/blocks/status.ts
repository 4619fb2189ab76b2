/**
 * Block Kit for `/aws-ir status`: what still needs people in this incident. Requests waiting for a
 * second responder, requests a restart interrupted (to check by hand), and the checklist: open items
 * with a "Mark done" button each, then the closed ones with who or what closed them.
 */
import type { KnownBlock } from '@slack/types';
import { describeTarget } from '../remediation/action-ids';
import type { SyncResult } from '../checklist/checklist';
import type { IncidentStatus, StoryPlanStatus } from '../incident/status-query';
import type { StepState } from '../incident/scan-progress';
import type { ActionRequest, OpenItem } from '../store/store';
import { ACTION, buttonActionId, type RequestIdButtonValue } from '../slack-ids';
import { STATE_WORD } from './stories';
import { ACTION_LABEL } from './labels';
import { closedItemLine, openItemBlock } from './open-item';
import { code, esc, formatTime, joinMrkdwn, md, mention, mrkdwn, plural, truncate, truncateMrkdwn, type Mrkdwn } from './text';

const LINES_PER_BLOCK = 12;

export type { IncidentStatus } from '../incident/status-query';

const STATE_MARK: Record<StepState, Mrkdwn> = {
  done: mrkdwn`:white_check_mark:`,
  waiting: mrkdwn`:hourglass_flowing_sand:`,
  open: mrkdwn`:arrow_right:`,
  blocked: mrkdwn`:double_vertical_bar:`,
};

/** Each story's plan, one line per step with its state. */
function planGroups(plans: readonly StoryPlanStatus[]): KnownBlock[][] {
  return plans.map((p, i) => {
    const done = p.steps.filter((s) => s.state === 'done').length;
    const lines = p.steps.map(({ step, state }, n) => mrkdwn`${STATE_MARK[state]} ${n + 1}. ${esc(truncate(step.label, 200))} — _${esc(STATE_WORD[state])}_`);
    return [
      {
        type: 'section',
        text: md(
          truncateMrkdwn(mrkdwn`*Story ${i + 1}: ${esc(truncate(p.entry, 200))}* — ${done} of ${p.steps.length} steps done\n${joinMrkdwn(lines, '\n')}`, 2900),
        ),
      },
    ];
  });
}

function requestLine(r: ActionRequest, tail: Mrkdwn): Mrkdwn {
  return mrkdwn`• ${esc(ACTION_LABEL[r.action] ?? r.action)} on ${esc(truncate(describeTarget(r.target), 300))}, asked by ${mention(r.requestedBy)} ${code(r.id)}${tail}`;
}

function listGroups(title: Mrkdwn, lines: Mrkdwn[]): KnownBlock[][] {
  const groups: KnownBlock[][] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_BLOCK) {
    const heading = i === 0 ? mrkdwn`${title}\n` : mrkdwn``;
    groups.push([{ type: 'section', text: md(truncateMrkdwn(mrkdwn`${heading}${joinMrkdwn(lines.slice(i, i + LINES_PER_BLOCK), '\n')}`, 2900)) }]);
  }
  return groups;
}

export function statusText(s: IncidentStatus): Mrkdwn {
  const steps = (s.plans ?? []).flatMap((p) => p.steps);
  const plan = steps.length ? mrkdwn`${steps.filter((x) => x.state === 'done').length} of ${plural(steps.length, 'plan step')} done, ` : mrkdwn``;
  return mrkdwn`Incident status: ${plan}${plural(s.open.length, 'open item')}, ${plural(s.pending.length, 'request')} waiting for approval, ${plural(s.interrupted.length, 'interrupted request')}`;
}

/** Groups of blocks (each fits one message) for SlackPoster.postGroups. */
export function statusGroups(s: IncidentStatus): KnownBlock[][] {
  const groups: KnownBlock[][] = [
    [
      { type: 'header', text: { type: 'plain_text', text: 'Incident status' } },
      { type: 'section', text: md(statusText(s)) },
    ],
  ];
  const unreviewed = s.unreviewed ?? [];
  groups.push(...planGroups(s.plans ?? []));
  if (!s.pending.length && !s.interrupted.length && !unreviewed.length && !s.open.length) {
    groups[0]!.push({
      type: 'section',
      text: md(mrkdwn`:white_check_mark: Nothing is waiting: no request needs approval, none was interrupted, and no checklist item is open.`),
    });
  }
  groups.push(
    ...listGroups(
      mrkdwn`*Waiting for a second responder*`,
      s.pending.map((r) => requestLine(r, mrkdwn`, expires ${formatTime(r.expiresAt)}`)),
    ),
  );
  groups.push(
    ...listGroups(
      mrkdwn`*Interrupted by a restart: not re-run, check the resource in AWS by hand*`,
      s.interrupted.map((r) => requestLine(r, r.decidedBy ? mrkdwn`, approved by ${mention(r.decidedBy)}` : mrkdwn``)),
    ),
  );
  unreviewed.forEach((r, n) => {
    const bg = r.breakGlass;
    const line = mrkdwn`${n === 0 ? mrkdwn`*Break-glass runs waiting for a second responder's review*\n` : mrkdwn``}${requestLine(
      r,
      bg ? mrkdwn`, run alone by ${mention(bg.by)} ${formatTime(bg.at)} (${esc(r.status)}). *Why:* ${esc(truncate(bg.reason, 300))}` : mrkdwn``,
    )}`;
    groups.push([
      {
        type: 'section',
        text: md(truncateMrkdwn(line, 2900)),
        accessory: {
          type: 'button',
          text: { type: 'plain_text', text: 'Reviewed' },
          action_id: buttonActionId(ACTION.reviewBreakGlass, n),
          value: JSON.stringify({ requestId: r.id } satisfies RequestIdButtonValue),
        },
      },
    ]);
  });
  if (s.open.length) {
    groups.push([
      {
        type: 'section',
        text: md(mrkdwn`*Open items: steps only a person can do.* aws-ir has no button that does them; "Mark done" records your word in the audit trail.`),
      },
    ]);
    s.open.forEach((item, n) => {
      groups.push([openItemBlock(item, n)]);
    });
  }
  groups.push(...listGroups(mrkdwn`*Closed items*`, s.closed.map(closedItemLine)));
  return groups;
}

/** The thread line after a scan changed the checklist, or undefined when it changed nothing. */
/** Up to five titles, `; `-separated, escaped. */
function titles(items: readonly OpenItem[], more = false): Mrkdwn {
  const shown = joinMrkdwn(
    items.slice(0, 5).map((i) => esc(truncate(i.title, 120))),
    '; ',
  );
  return more && items.length > 5 ? mrkdwn`${shown}; …` : shown;
}

export function checklistChangesText(r: SyncResult): Mrkdwn | undefined {
  const parts: Mrkdwn[] = [];
  const them = (n: number) => (n === 1 ? mrkdwn`it` : mrkdwn`them`);
  if (r.opened.length) parts.push(mrkdwn`${plural(r.opened.length, 'new open item')} (${titles(r.opened, true)})`);
  if (r.verified.length)
    parts.push(mrkdwn`${plural(r.verified.length, 'item')} closed because this scan no longer shows ${them(r.verified.length)} (${titles(r.verified)})`);
  if (r.reopened.length)
    parts.push(mrkdwn`${plural(r.reopened.length, 'item')} reopened because this scan still shows ${them(r.reopened.length)} (${titles(r.reopened)})`);
  if (!parts.length) return undefined;
  return mrkdwn`:clipboard: Incident checklist: ${joinMrkdwn(parts, ', ')}. Steps only a person can do have no button here; \`/aws-ir status\` lists them with "Mark done".`;
}
