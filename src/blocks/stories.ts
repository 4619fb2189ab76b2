/**
 * Stories in Slack: the lines the summary leads with, the "since the last scan" line, and the do-first
 * plan — the first message of the thread, whose buttons are the same two-person requests as the
 * findings' own. A step already done shows its outcome, one waiting for approval says so, and a step
 * that could only be refused now (delete a key still active, terminate before its snapshot) is listed
 * without a button until its turn.
 */
import type { Button, KnownBlock } from '@slack/types';
import type { ScanComparison, TargetState } from '../incident/scan-progress';
import { stepState, type StepState } from '../incident/scan-progress';
import type { ScanResult } from '../scan/model';
import type { PlanStep, Story } from '../scan/stories';
import { ACTION, buttonActionId, type RequestButtonValue } from '../slack-ids';
import type { ButtonCounter } from './findings';
import { ACTION_LABEL, DESTRUCTIVE_ACTIONS } from './labels';
import { esc, formatTime, joinMrkdwn, md, mrkdwn, plain, plural, slackDate, truncate, type Mrkdwn } from './text';

const STORIES_IN_SUMMARY = 3;
/** Room in one message for the plan: Slack allows 50 blocks; the header and notes take a few. */
const PLAN_BLOCKS_MAX = 44;

const STATE_ICON: Record<StepState, Mrkdwn> = {
  done: mrkdwn`:white_check_mark:`,
  waiting: mrkdwn`:hourglass_flowing_sand:`,
  open: mrkdwn`:arrow_right:`,
  blocked: mrkdwn`:double_vertical_bar:`,
};

export const STATE_WORD: Record<StepState, string> = {
  done: 'done',
  waiting: 'waiting for approval',
  open: 'open',
  blocked: 'after the step before it',
};

/** The summary's opening: each story in its 1–3 lines, numbered. */
export function storyLines(stories: readonly Story[]): Mrkdwn | undefined {
  if (!stories.length) return undefined;
  const shown = stories.slice(0, STORIES_IN_SUMMARY).map((s, i) => {
    const [first, ...rest] = s.summary.split('\n');
    return joinMrkdwn([mrkdwn`*${i + 1}.* ${esc(first ?? '')}`, ...rest.map((l) => mrkdwn`      ${esc(l)}`)], '\n');
  });
  const more =
    stories.length > STORIES_IN_SUMMARY ? [mrkdwn`…and ${plural(stories.length - STORIES_IN_SUMMARY, 'more story', 'more stories')} in the thread.`] : [];
  return mrkdwn`*What happened*\n${joinMrkdwn([...shown, ...more], '\n')}`;
}

/** "Since the scan at 10:02: 3 contained, 1 new, 35 unchanged." */
export function sinceLine(c: ScanComparison | undefined): Mrkdwn | undefined {
  if (!c?.previous) return undefined;
  const parts = [mrkdwn`${c.contained.length} contained`, mrkdwn`${c.new.length} new`, mrkdwn`${c.unchanged.length} unchanged`];
  if (c.cameBack.length) parts.push(mrkdwn`*${c.cameBack.length} came back*`);
  if (c.gone.length) parts.push(mrkdwn`${c.gone.length} no longer found`);
  return mrkdwn`:arrows_counterclockwise: Since the scan at ${slackDate(c.previous.startedAt, '{time}')} (${formatTime(c.previous.startedAt)}): ${joinMrkdwn(parts, ', ')}.`;
}

function stepButton(scanId: string, step: PlanStep, counter: ButtonCounter, primary: boolean): Button | undefined {
  if (!step.action || !step.findingId) return undefined;
  const value: RequestButtonValue = { scanId, findingId: step.findingId, action: step.action };
  const button: Button = {
    type: 'button',
    text: plain(ACTION_LABEL[step.action]),
    action_id: buttonActionId(ACTION.requestAction, counter.next()),
    value: JSON.stringify(value),
  };
  if (DESTRUCTIVE_ACTIONS.has(step.action)) button.style = 'danger';
  else if (primary) button.style = 'primary';
  return button;
}

function stepBlock(scanId: string, n: number, step: PlanStep, state: StepState, counter: ButtonCounter, primary: boolean): KnownBlock {
  const note = state === 'done' ? mrkdwn` — _done_` : state === 'waiting' ? mrkdwn` — _waiting for approval_` : mrkdwn``;
  const how = step.guidance ? mrkdwn`\n${esc(truncate(step.guidance, 500))}` : mrkdwn``;
  const text = md(mrkdwn`${STATE_ICON[state]} *${n}.* ${esc(truncate(step.label, 300))}${note}${how}`);
  const button = state === 'open' ? stepButton(scanId, step, counter, primary) : undefined;
  return button ? { type: 'section', text, accessory: button } : { type: 'section', text };
}

/** The do-first plan of every story, within one message's limits. */
export function doFirstBlocks(scanId: string, result: Pick<ScanResult, 'stories'>, targets: Record<string, TargetState>, counter: ButtonCounter): KnownBlock[] {
  const stories = result.stories ?? [];
  if (!stories.length) return [];
  const blocks: KnownBlock[] = [{ type: 'header', text: plain('Do first') }];
  let firstOpen = true;
  let left = 0;
  for (const [i, story] of stories.entries()) {
    const steps = story.plan.map((step) => ({ step, state: stepState(step, targets) }));
    const done = steps.filter((s) => s.state === 'done').length;
    const header: KnownBlock = {
      type: 'context',
      elements: [md(mrkdwn`*Story ${i + 1}* · ${esc(truncate(story.entry.label, 200))} · ${done} of ${steps.length} steps done`)],
    };
    if (blocks.length + 2 > PLAN_BLOCKS_MAX) {
      left += steps.length;
      continue;
    }
    blocks.push(header);
    // Steps waiting for another (delete after deactivate, terminate after snapshot) are listed together at the end.
    const blocked = steps.filter((s) => s.state === 'blocked');
    for (const [n, { step, state }] of steps.entries()) {
      if (state === 'blocked') continue;
      if (blocks.length >= PLAN_BLOCKS_MAX) {
        left++;
        continue;
      }
      blocks.push(stepBlock(scanId, n + 1, step, state, counter, firstOpen && state === 'open'));
      if (state === 'open' && step.action) firstOpen = false;
    }
    if (blocked.length && blocks.length < PLAN_BLOCKS_MAX) {
      const names = blocked.map((s) => esc(truncate(s.step.label, 120)));
      blocks.push({
        type: 'context',
        elements: [
          md(
            mrkdwn`${STATE_ICON.blocked} Then, once the steps before them are done: ${joinMrkdwn(names.slice(0, 6), '; ')}${blocked.length > 6 ? mrkdwn` and ${blocked.length - 6} more` : mrkdwn``}.`,
          ),
        ],
      });
    } else left += blocked.length;
  }
  blocks.push({
    type: 'context',
    elements: [
      md(
        mrkdwn`Each button asks for the action; a second responder approves it. ${left ? mrkdwn`${plural(left, 'more step')} in \`/aws-ir status\`. ` : mrkdwn``}Findings follow by story, then severity.`,
      ),
    ],
  });
  return blocks;
}

export function doFirstText(result: Pick<ScanResult, 'stories'>): Mrkdwn {
  const n = result.stories?.length ?? 0;
  return mrkdwn`Do first: the containment plan of ${plural(n, 'story', 'stories')}.`;
}
