/**
 * Block Kit for action requests: the message a responder approves (who asked, exactly what changes,
 * reversible or not), the same message after a decision (no buttons, who decided, what changed, AWS
 * request ids, Undo), and the reason modal. Pure functions of the stored request.
 */
import type { ActionsBlock, Button, KnownBlock, ModalView } from '@slack/types';
import type { ActionOutcome } from '../remediation/executor';
import type { ActionDefinition } from '../remediation/types';
import type { ActionRequest } from '../store/store';
import { ACTION, BLOCK, BREAK_GLASS_OPTION, VIEW, buttonActionId, type RequestButtonValue, type RequestIdButtonValue } from '../slack-ids';
import { LIMITS } from './limits';
import { code, esc, joinMrkdwn, md, mention, mrkdwn, plain, slackDate, truncate, truncateMrkdwn, type Mrkdwn } from './text';

export interface RenderedMessage {
  text: Mrkdwn;
  blocks: KnownBlock[];
}

/** Where a request's approvals stand: distinct approvers needed, those who count now, and those whose approval lapsed (execution TTL). */
export interface ApprovalProgress {
  needed: number;
  counted: string[];
  lapsed: string[];
}

function people(ids: readonly string[]): Mrkdwn {
  return joinMrkdwn(
    ids.map((id) => mention(id)),
    ', ',
  );
}

function approvalLine(p: ApprovalProgress | undefined): Mrkdwn {
  if (!p || p.needed <= 1) return p?.lapsed.length ? mrkdwn`\nThe approval of ${people(p.lapsed)} lapsed before it ran: approve again.` : mrkdwn``;
  const so = p.counted.length ? mrkdwn` (${people(p.counted)})` : mrkdwn``;
  const lapsed = p.lapsed.length ? mrkdwn`; the approval of ${people(p.lapsed)} lapsed before it ran: approve again` : mrkdwn``;
  return mrkdwn`\n*${p.counted.length} of ${p.needed} approvals*${so}${lapsed}. Each approver must be a different responder, never the requester.`;
}

/** Compact one-line JSON of a state snapshot, cut to fit a section. */
function stateLine(state: Record<string, unknown> | undefined | null): Mrkdwn {
  if (!state) return mrkdwn`_not read_`;
  return code(truncate(JSON.stringify(state), 900));
}

function describeBlocks(request: ActionRequest, def: ActionDefinition): KnownBlock[] {
  const d = def.describe(request.target, request.account);
  const reversible = def.reversible ? (def.undo ? mrkdwn`Yes (Undo button after it runs)` : mrkdwn`Yes, by hand`) : mrkdwn`*No*: this cannot be undone`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      fields: [
        md(mrkdwn`*Account*\n${esc(d.account)}`),
        md(mrkdwn`*Region*\n${esc(d.region)}`),
        md(mrkdwn`*Resource*\n${esc(truncate(d.resource, 1500))}`),
        md(mrkdwn`*Reversible*\n${reversible}`),
        md(mrkdwn`*Runbook step*\n${esc(def.step)}`),
        md(mrkdwn`*Requested by*\n${mention(request.requestedBy)}`),
      ],
    },
    { type: 'section', text: md(mrkdwn`*What will change:* ${esc(truncate(d.effect, 2500))}`) },
  ];
  if (request.reason) blocks.push({ type: 'context', elements: [md(mrkdwn`*Reason:* ${esc(truncate(request.reason, 1000))}`)] });
  if (request.undoOf) blocks.push({ type: 'context', elements: [md(mrkdwn`Undo of request ${code(request.undoOf)}`)] });
  return blocks;
}

function button(text: string, prefix: string, value: RequestIdButtonValue, style?: 'primary' | 'danger'): Button {
  const b: Button = { type: 'button', text: plain(truncate(text, LIMITS.buttonText)), action_id: buttonActionId(prefix, 0), value: JSON.stringify(value) };
  if (style) b.style = style;
  return b;
}

/** The request as posted in the scan's thread, with Approve / Reject. */
export function requestMessage(request: ActionRequest, def: ActionDefinition, progress?: ApprovalProgress): RenderedMessage {
  const approve = button(request.dryRun ? 'Approve (dry run)' : 'Approve', ACTION.approve, { requestId: request.id }, 'primary');
  if (!def.reversible && !request.dryRun) {
    approve.confirm = {
      title: plain('Approve an irreversible change?'),
      text: md(
        truncateMrkdwn(mrkdwn`${esc(def.label)}: ${esc(truncate(def.describe(request.target, request.account).resource, 200))}. This cannot be undone.`, 300),
      ),
      confirm: plain('Approve'),
      deny: plain('Cancel'),
      style: 'danger',
    };
  }
  const actions: ActionsBlock = { type: 'actions', elements: [approve, button('Reject', ACTION.reject, { requestId: request.id }, 'danger')] };
  const dry = request.dryRun ? mrkdwn` _(dry run: nothing will be changed)_` : mrkdwn``;
  return {
    text: mrkdwn`Approval needed: ${esc(def.label)} (${esc(request.target.kind)}) requested by ${mention(request.requestedBy)}${
      progress && progress.needed > 1 ? mrkdwn`, ${progress.counted.length} of ${progress.needed} approvals` : mrkdwn``
    }`,
    blocks: [
      {
        type: 'section',
        text: md(
          mrkdwn`:raised_hand: *Approval needed: ${esc(def.label)}*${dry}\n${
            progress && progress.needed > 1 ? mrkdwn`${progress.needed} different responders must approve` : mrkdwn`A different responder must approve`
          }. Expires ${slackDate(request.expiresAt)}.${approvalLine(progress)}`,
        ),
      },
      ...describeBlocks(request, def),
      actions,
    ],
  };
}

function outcomeOf(request: ActionRequest): ActionOutcome | undefined {
  return request.outcome;
}

function callsList(outcome: ActionOutcome): Mrkdwn {
  if (!outcome.calls.length) return mrkdwn`_no write calls_`;
  const lines = outcome.calls.slice(0, 15).map((c) => mrkdwn`• ${code(c.operation)} ${code(truncate(JSON.stringify(c.input), 250))}`);
  if (outcome.calls.length > 15) lines.push(mrkdwn`… and ${outcome.calls.length - 15} more (see \`/aws-ir audit\`)`);
  return joinMrkdwn(lines, '\n');
}

/** The request message once decided: no Approve/Reject, the decision and the verified result. */
export function decidedMessage(request: ActionRequest, def: ActionDefinition, undo?: ActionRequest): RenderedMessage {
  const outcome = outcomeOf(request);
  const approvers = (request.approvals ?? []).filter((a) => !a.breakGlass && a.user !== request.requestedBy).map((a) => a.user);
  const who = request.breakGlass
    ? mrkdwn`${mention(request.breakGlass.by)} alone (break-glass)`
    : approvers.length > 1 && request.status !== 'rejected'
      ? people(approvers)
      : request.decidedBy
        ? mention(request.decidedBy)
        : mrkdwn`nobody`;
  const when = request.decidedAt ? slackDate(request.decidedAt) : mrkdwn``;
  const label = esc(def.label);
  const blocks: KnownBlock[] = [];
  let text: Mrkdwn;
  switch (request.status) {
    case 'succeeded':
      if (request.dryRun) {
        text = mrkdwn`Dry run of ${label}: nothing was changed`;
        blocks.push({
          type: 'section',
          text: md(
            mrkdwn`:test_tube: *Dry run: ${label}*. Approved by ${who} ${when}. *Nothing was changed.* These calls would be made:\n${outcome ? callsList(outcome) : mrkdwn``}`,
          ),
        });
      } else {
        text = mrkdwn`Done: ${label}, approved by ${who}`;
        blocks.push({
          type: 'section',
          text: md(mrkdwn`:white_check_mark: *Done: ${label}*. Approved by ${who} ${when}; the new state was read back and verified.`),
        });
      }
      break;
    case 'failed':
      text = mrkdwn`Failed: ${label}`;
      blocks.push({
        type: 'section',
        text: md(mrkdwn`:x: *Failed: ${label}*. Approved by ${who} ${when}.\n${esc(truncate(outcome?.error ?? 'The action did not complete.', 1500))}`),
      });
      break;
    case 'rejected':
      text = mrkdwn`Rejected: ${label}`;
      blocks.push({ type: 'section', text: md(mrkdwn`:no_entry_sign: *Rejected: ${label}* by ${who} ${when}. Nothing was changed.`) });
      break;
    case 'expired':
      text = mrkdwn`Expired: ${label}`;
      blocks.push({
        type: 'section',
        text: md(
          mrkdwn`:hourglass: *Expired: ${label}*. Nobody approved it before ${slackDate(request.expiresAt)}; nothing was changed. Request it again if it is still needed.`,
        ),
      });
      break;
    case 'interrupted':
      text = mrkdwn`Interrupted: ${label}`;
      blocks.push({
        type: 'section',
        text: md(
          mrkdwn`:warning: *Interrupted: ${label}*. aws-ir stopped while this was running (approved by ${who} ${when}). It was *not* re-run: check the resource by hand, then request again if needed.`,
        ),
      });
      break;
    case 'executing':
      text = mrkdwn`Running: ${label}`;
      blocks.push({ type: 'section', text: md(mrkdwn`:hourglass_flowing_sand: *Running: ${label}*. Approved by ${who} ${when}.`) });
      break;
    default:
      return requestMessage(request, def);
  }
  if (request.breakGlass) blocks.push(...breakGlassBlocks(request));
  blocks.push(...describeBlocks(request, def));
  if (outcome && !request.dryRun && (request.status === 'succeeded' || request.status === 'failed')) {
    blocks.push({ type: 'section', fields: [md(mrkdwn`*Before*\n${stateLine(outcome.before)}`), md(mrkdwn`*After*\n${stateLine(outcome.after)}`)] });
    if (outcome.requestIds.length) {
      const ids = joinMrkdwn(
        outcome.requestIds.map((id) => code(id)),
        ', ',
      );
      blocks.push({ type: 'context', elements: [md(truncateMrkdwn(mrkdwn`AWS request ids: ${ids}`, 2500))] });
    }
  }
  if (request.status === 'succeeded' && !request.dryRun && def.undo) {
    // A used Undo shows what became of it; a new Undo is offered only when the last one came to nothing.
    const settled = undo && ['rejected', 'expired', 'failed'].includes(undo.status);
    if (undo) blocks.push({ type: 'context', elements: [md(undoOutcome(undo))] });
    if (!undo || settled) blocks.push({ type: 'actions', elements: [button('Undo', ACTION.undo, { requestId: request.id })] });
  }
  return { text, blocks };
}

/** The flag on a break-glass run: who ran it alone and why, and its review (or a Reviewed button until then). */
function breakGlassBlocks(request: ActionRequest): KnownBlock[] {
  const bg = request.breakGlass;
  if (!bg) return [];
  const review = request.reviewedBy
    ? mrkdwn`Reviewed by ${mention(request.reviewedBy)}${request.reviewedAt ? mrkdwn` ${slackDate(request.reviewedAt)}` : mrkdwn``}.`
    : mrkdwn`*Not reviewed yet*: a second responder should check it and click Reviewed.`;
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: md(mrkdwn`:rotating_light: *Break-glass*: run by ${mention(bg.by)} without a second approver. *Why:* ${esc(truncate(bg.reason, 1000))}\n${review}`),
    },
  ];
  if (!request.reviewedBy) blocks.push({ type: 'actions', elements: [button('Reviewed', ACTION.reviewBreakGlass, { requestId: request.id })] });
  return blocks;
}

/** One line on the original request's message saying what its Undo became. */
export function undoOutcome(undo: ActionRequest): Mrkdwn {
  const by = mention(undo.requestedBy);
  const decider = undo.decidedBy ? mention(undo.decidedBy) : mrkdwn`nobody`;
  const when = undo.decidedAt ? mrkdwn` ${slackDate(undo.decidedAt)}` : mrkdwn``;
  switch (undo.status) {
    case 'pending':
      return mrkdwn`:leftwards_arrow_with_hook: Undo requested by ${by}: waiting for a second responder.`;
    case 'executing':
      return mrkdwn`:leftwards_arrow_with_hook: Undo approved by ${decider}: running.`;
    case 'succeeded':
      return mrkdwn`:leftwards_arrow_with_hook: *Undone*: requested by ${by}, approved by ${decider}${when}, verified.`;
    case 'failed':
      return mrkdwn`:x: The undo requested by ${by} failed${when}; the change above still stands.`;
    case 'rejected':
      return mrkdwn`:no_entry_sign: The undo requested by ${by} was rejected by ${decider}${when}; the change above still stands.`;
    case 'expired':
      return mrkdwn`:hourglass: The undo requested by ${by} expired unapproved; the change above still stands.`;
    case 'interrupted':
      return mrkdwn`:warning: The undo requested by ${by} was interrupted; check the resource by hand.`;
  }
}

/** What the reason form carries: the finding's button, or the request an Undo is for; and where to answer. */
export type ReasonModalMetadata = (RequestButtonValue | { undoOf: string }) & { channel?: string };

/** Asks the requester why (required: every request has a reason), before the request is posted. */
export function reasonModal(meta: ReasonModalMetadata, def: ActionDefinition, resource: string, offer: { breakGlass?: boolean } = {}): ModalView {
  const breakGlass: KnownBlock[] = offer.breakGlass
    ? [
        {
          type: 'input',
          block_id: BLOCK.breakGlassInput,
          optional: true,
          label: plain('Break-glass'),
          element: {
            type: 'checkboxes',
            action_id: BLOCK.breakGlassAction,
            options: [
              {
                text: plain('Run it now, without a second approver'),
                description: plain('Containment only; announced with @here and reviewed later.'),
                value: BREAK_GLASS_OPTION,
              },
            ],
          },
        },
      ]
    : [];
  return {
    type: 'modal',
    callback_id: VIEW.requestReason,
    private_metadata: JSON.stringify(meta),
    title: plain('Request an action'),
    submit: plain('Request'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: md(mrkdwn`*${esc(def.label)}*: ${esc(truncate(resource, 500))}\nA different responder must approve before anything changes.`) },
      {
        type: 'input',
        block_id: BLOCK.requestReasonInput,
        optional: false,
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: BLOCK.requestReasonAction, multiline: true, max_length: 500 },
      },
      ...breakGlass,
    ],
  };
}
