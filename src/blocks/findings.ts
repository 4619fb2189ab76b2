/**
 * Findings as thread messages, grouped by runbook step in the runbook's order, most severe first
 * within a step. Each finding carries a button per response action (a button only *requests* the
 * action; the remediation flow asks a second responder to approve), an investigate button for IAM
 * identities, and guidance text instead of buttons where only a person can act (root keys).
 */
import type { Button, KnownBlock } from '@slack/types';
import { RUNBOOK_STEPS, type Finding, type RunbookStep } from '../scan/model';
import { ACTION, buttonActionId, type InvestigateButtonValue, type RequestButtonValue } from '../slack-ids';
import type { TargetState } from '../incident/scan-progress';
import type { ActionId } from '../remediation/action-ids';
import { targetKey } from '../scan/stories';
import { ACTION_LABEL, DESTRUCTIVE_ACTIONS, SEVERITY_ICON, SEVERITY_LABEL, STEP_TITLE } from './labels';
import { bySeverity } from './summary';
import { code, esc, forPeople, formatTime, joinMrkdwn, md, mrkdwn, plain, plural, truncate, type Mrkdwn } from './text';

const RESOURCES_SHOWN = 5;
const EVIDENCE_SHOWN = 8;
const EVIDENCE_VALUE_MAX = 300;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

/** "lastUsedRegion" -> "last used region": evidence keys as a responder reads them. */
export function evidenceLabel(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/** Renders one evidence value compactly: times readable, lists joined, objects as `key: value` pairs, all bounded. */
export function evidenceValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return ISO_TIME.test(value) ? String(formatTime(value)) : forPeople(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (!value.length) return 'none';
    const shown = value.slice(0, 10).map((v) => evidenceValue(v, depth + 1));
    const joined = shown.join(value.some((v) => typeof v === 'object' && v !== null) ? '; ' : ', ');
    return value.length > 10 ? `${joined} (+${value.length - 10} more)` : joined;
  }
  if (typeof value === 'object') {
    // Deeper objects as key: value pairs too (never JSON cut mid-ARN); More shows everything.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.map(([k, v]) => `${k}: ${evidenceValue(v, depth + 1)}`).join(', ');
  }
  return String(value);
}

/** Cuts a long value at the last separator before `max` (never inside an ARN or a name), saying how much is left for More. */
export function cutAtBoundary(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 20);
  const at = Math.max(head.lastIndexOf('; '), head.lastIndexOf(', '));
  const cut = at > max / 3 ? head.slice(0, at) : head.slice(0, Math.max(head.lastIndexOf(' '), max / 3));
  return `${cut} … (More)`;
}

/** Identities whose last-accessed data (D2) helps decide what to do. */
export function canInvestigate(f: Finding): boolean {
  return f.target?.kind === 'user' || f.target?.kind === 'role' || f.target?.kind === 'access-key';
}

/** Numbers button action_ids across everything one scan posts, so no two buttons in a message clash. */
export class ButtonCounter {
  private n = 0;
  next(): number {
    return this.n++;
  }
}

/** How a finding stands against the team's work and the previous scan. */
export interface FindingView {
  /** When an action on its target ran and was verified: no live buttons. */
  contained?: { at: string; action: ActionId };
  cameBack?: boolean;
  isNew?: boolean;
  /** Per target: what is done (delete is offered only after deactivate, terminate only after a snapshot). */
  targets?: Record<string, TargetState>;
}

/** Actions that need another one done first on the same target; a button before that could only be refused. */
const NEEDS_FIRST: Partial<Record<ActionId, ActionId>> = { 'key.delete': 'key.deactivate', 'instance.terminate': 'instance.snapshot' };

/** The actions worth a button now: not those that would only be refused (delete an active key, terminate before a snapshot). */
export function offeredNow(f: Finding, targets: Record<string, TargetState> | undefined): ActionId[] {
  if (!f.target) return [];
  const done = targets?.[targetKey(f.target)]?.done ?? {};
  return f.actions.filter((a) => {
    const first = NEEDS_FIRST[a];
    if (!first) return true;
    // A key the credential report already reads as inactive can be deleted.
    if (a === 'key.delete' && f.evidence.status === 'Inactive') return true;
    return !!done[first];
  });
}

export function findingText(f: Finding, view: FindingView = {}): Mrkdwn {
  const flag = view.cameBack ? mrkdwn`:rotating_light: *Came back* · ` : view.isNew ? mrkdwn`:new: ` : mrkdwn``;
  const lines = [
    mrkdwn`${flag}${SEVERITY_ICON[f.severity]} *${esc(truncate(f.title, 500))}*  _${esc(SEVERITY_LABEL[f.severity])} · ${esc(f.step)} ${esc(STEP_TITLE[f.step])}_`,
  ];
  if (f.resources.length) {
    const shown = joinMrkdwn(
      f.resources.slice(0, RESOURCES_SHOWN).map((r) => code(truncate(r, 300))),
      ', ',
    );
    lines.push(f.resources.length > RESOURCES_SHOWN ? mrkdwn`${shown} and ${f.resources.length - RESOURCES_SHOWN} more` : shown);
  }
  const entries = Object.entries(f.evidence ?? {}).filter(([, v]) => v !== undefined);
  for (const [k, v] of entries.slice(0, EVIDENCE_SHOWN))
    lines.push(mrkdwn`• ${esc(evidenceLabel(k))}: ${esc(cutAtBoundary(evidenceValue(v), EVIDENCE_VALUE_MAX))}`);
  if (entries.length > EVIDENCE_SHOWN) lines.push(mrkdwn`• …${plural(entries.length - EVIDENCE_SHOWN, 'more fact')}: *More* shows them all`);
  return joinMrkdwn(lines, '\n');
}

/** Facts beyond those shown, or a value cut short: the finding gets a More button opening all of it. */
export function hasMore(f: Finding): boolean {
  const entries = Object.entries(f.evidence ?? {}).filter(([, v]) => v !== undefined);
  return entries.length > EVIDENCE_SHOWN || f.resources.length > RESOURCES_SHOWN || entries.some(([, v]) => evidenceValue(v).length > EVIDENCE_VALUE_MAX);
}

export function findingBlocks(scanId: string, f: Finding, counter: ButtonCounter, view: FindingView = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [{ type: 'section', text: md(findingText(f, view)) }];
  if (f.guidance) blocks.push({ type: 'section', text: md(mrkdwn`:point_right: *What to do:* ${esc(f.guidance)}`) });
  if (view.contained) {
    blocks.push({
      type: 'context',
      elements: [
        md(mrkdwn`:white_check_mark: *Contained* — ${esc(ACTION_LABEL[view.contained.action])} ran and was verified ${formatTime(view.contained.at)}.`),
      ],
    });
  }
  const buttons: Button[] = [];
  if (f.target && !view.contained) {
    for (const action of offeredNow(f, view.targets)) {
      const value: RequestButtonValue = { scanId, findingId: f.id, action };
      const button: Button = {
        type: 'button',
        text: plain(ACTION_LABEL[action] ?? action),
        action_id: buttonActionId(ACTION.requestAction, counter.next()),
        value: JSON.stringify(value),
      };
      if (DESTRUCTIVE_ACTIONS.has(action)) button.style = 'danger';
      buttons.push(button);
    }
  }
  if (canInvestigate(f)) {
    const value: InvestigateButtonValue = { scanId, findingId: f.id };
    buttons.push({ type: 'button', text: plain('Investigate'), action_id: buttonActionId(ACTION.investigate, counter.next()), value: JSON.stringify(value) });
  }
  if (hasMore(f)) {
    const value: InvestigateButtonValue = { scanId, findingId: f.id };
    buttons.push({ type: 'button', text: plain('More'), action_id: buttonActionId(ACTION.moreDetails, counter.next()), value: JSON.stringify(value) });
  }
  if (buttons.length) blocks.push({ type: 'actions', elements: buttons });
  return blocks;
}

export function stepHeader(step: RunbookStep, count: number): KnownBlock[] {
  return [
    { type: 'divider' },
    { type: 'header', text: plain(truncate(`${step} · ${STEP_TITLE[step]}`, 150)) },
    { type: 'context', elements: [md(plural(count, 'finding'))] },
  ];
}

/**
 * Groups of blocks to pack into thread messages: a step header, then one group per finding. A step
 * header sticks to its first finding so a message never ends on a bare header.
 */
export function findingGroups(scanId: string, findings: readonly Finding[], counter = new ButtonCounter()): KnownBlock[][] {
  const groups: KnownBlock[][] = [];
  for (const step of RUNBOOK_STEPS) {
    const inStep = findings.filter((f) => f.step === step).sort(bySeverity);
    inStep.forEach((f, i) => {
      const blocks = findingBlocks(scanId, f, counter);
      groups.push(i === 0 ? [...stepHeader(step, inStep.length), ...blocks] : blocks);
    });
  }
  return groups;
}

export function noFindingsBlocks(): KnownBlock[] {
  return [
    { type: 'section', text: md(mrkdwn`:white_check_mark: No findings: none of the runbook's signs of unauthorized activity showed up in this window.`) },
  ];
}
