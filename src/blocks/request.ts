/**
 * Block Kit for action requests: the message a responder approves (who asked, exactly what changes,
 * reversible or not), the same message after a decision (no buttons, who decided, what changed, AWS
 * request ids, Undo), and the reason modal. Pure functions of the stored request.
 */
import type { ActionsBlock, Button, KnownBlock, ModalView } from '@slack/types';
import type { ActionOutcome } from '../remediation/executor';
import type { ActionDefinition } from '../remediation/types';
import type { ActionRequest } from '../store/store';
import { ACTION, BLOCK, VIEW, buttonActionId, type RequestButtonValue, type RequestIdButtonValue } from '../slack-ids';
import { LIMITS } from './limits';
import { code, esc, md, plain, truncate } from './text';

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

function slackDate(iso: string): string {
  const t = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(t) ? `<!date^${t}^{date_short_pretty} {time_secs}|${iso}>` : esc(iso);
}

/** Compact one-line JSON of a state snapshot, cut to fit a section. */
function stateLine(state: Record<string, unknown> | undefined | null): string {
  if (!state) return '_not read_';
  return code(truncate(JSON.stringify(state), 900));
}

function describeBlocks(request: ActionRequest, def: ActionDefinition): KnownBlock[] {
  const d = def.describe(request.target, request.account);
  const reversible = def.reversible ? (def.undo ? 'Yes (Undo button after it runs)' : 'Yes, by hand') : '*No*: this cannot be undone';
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      fields: [
        md(`*Account*\n${esc(d.account)}`),
        md(`*Region*\n${esc(d.region)}`),
        md(`*Resource*\n${esc(truncate(d.resource, 1500))}`),
        md(`*Reversible*\n${reversible}`),
        md(`*Runbook step*\n${def.step}`),
        md(`*Requested by*\n<@${request.requestedBy}>`),
      ],
    },
    { type: 'section', text: md(`*What will change:* ${esc(d.effect)}`) },
  ];
  if (request.reason) blocks.push({ type: 'context', elements: [md(`*Reason:* ${esc(truncate(request.reason, 1000))}`)] });
  if (request.undoOf) blocks.push({ type: 'context', elements: [md(`Undo of request ${code(request.undoOf)}`)] });
  return blocks;
}

function button(text: string, prefix: string, value: RequestIdButtonValue, style?: 'primary' | 'danger'): Button {
  const b: Button = { type: 'button', text: plain(truncate(text, LIMITS.buttonText)), action_id: buttonActionId(prefix, 0), value: JSON.stringify(value) };
  if (style) b.style = style;
  return b;
}

/** The request as posted in the scan's thread, with Approve / Reject. */
export function requestMessage(request: ActionRequest, def: ActionDefinition): RenderedMessage {
  const approve = button(request.dryRun ? 'Approve (dry run)' : 'Approve', ACTION.approve, { requestId: request.id }, 'primary');
  if (!def.reversible && !request.dryRun) {
    approve.confirm = {
      title: plain('Approve an irreversible change?'),
      text: md(truncate(`${esc(def.label)}: ${esc(def.describe(request.target, request.account).resource)}. This cannot be undone.`, 300)),
      confirm: plain('Approve'),
      deny: plain('Cancel'),
      style: 'danger',
    };
  }
  const actions: ActionsBlock = { type: 'actions', elements: [approve, button('Reject', ACTION.reject, { requestId: request.id }, 'danger')] };
  const dry = request.dryRun ? ' _(dry run: nothing will be changed)_' : '';
  return {
    text: `Approval needed: ${def.label} (${request.target.kind}) requested by <@${request.requestedBy}>`,
    blocks: [
      {
        type: 'section',
        text: md(`:raised_hand: *Approval needed: ${esc(def.label)}*${dry}\nA different responder must approve. Expires ${slackDate(request.expiresAt)}.`),
      },
      ...describeBlocks(request, def),
      actions,
    ],
  };
}

function outcomeOf(request: ActionRequest): ActionOutcome | undefined {
  return request.outcome;
}

function callsList(outcome: ActionOutcome): string {
  if (!outcome.calls.length) return '_no write calls_';
  const lines = outcome.calls.slice(0, 15).map((c) => `• ${code(c.operation)} ${code(truncate(JSON.stringify(c.input), 250))}`);
  if (outcome.calls.length > 15) lines.push(`… and ${outcome.calls.length - 15} more (see \`/aws-ir audit\`)`);
  return lines.join('\n');
}

/** The request message once decided: no Approve/Reject, the decision and the verified result. */
export function decidedMessage(request: ActionRequest, def: ActionDefinition): RenderedMessage {
  const outcome = outcomeOf(request);
  const who = request.decidedBy ? `<@${request.decidedBy}>` : 'nobody';
  const when = request.decidedAt ? slackDate(request.decidedAt) : '';
  const blocks: KnownBlock[] = [];
  let text: string;
  switch (request.status) {
    case 'succeeded':
      if (request.dryRun) {
        text = `Dry run of ${def.label}: nothing was changed`;
        blocks.push({
          type: 'section',
          text: md(
            `:test_tube: *Dry run: ${esc(def.label)}*. Approved by ${who} ${when}. *Nothing was changed.* These calls would be made:\n${outcome ? callsList(outcome) : ''}`,
          ),
        });
      } else {
        text = `Done: ${def.label}, approved by ${who}`;
        blocks.push({
          type: 'section',
          text: md(`:white_check_mark: *Done: ${esc(def.label)}*. Approved by ${who} ${when}; the new state was read back and verified.`),
        });
      }
      break;
    case 'failed':
      text = `Failed: ${def.label}`;
      blocks.push({
        type: 'section',
        text: md(`:x: *Failed: ${esc(def.label)}*. Approved by ${who} ${when}.\n${esc(truncate(outcome?.error ?? 'The action did not complete.', 1500))}`),
      });
      break;
    case 'rejected':
      text = `Rejected: ${def.label}`;
      blocks.push({ type: 'section', text: md(`:no_entry_sign: *Rejected: ${esc(def.label)}* by ${who} ${when}. Nothing was changed.`) });
      break;
    case 'expired':
      text = `Expired: ${def.label}`;
      blocks.push({
        type: 'section',
        text: md(
          `:hourglass: *Expired: ${esc(def.label)}*. Nobody approved it before ${slackDate(request.expiresAt)}; nothing was changed. Request it again if it is still needed.`,
        ),
      });
      break;
    case 'interrupted':
      text = `Interrupted: ${def.label}`;
      blocks.push({
        type: 'section',
        text: md(
          `:warning: *Interrupted: ${esc(def.label)}*. aws-ir stopped while this was running (approved by ${who} ${when}). It was *not* re-run: check the resource by hand, then request again if needed.`,
        ),
      });
      break;
    case 'executing':
      text = `Running: ${def.label}`;
      blocks.push({ type: 'section', text: md(`:hourglass_flowing_sand: *Running: ${esc(def.label)}*. Approved by ${who} ${when}.`) });
      break;
    default:
      return requestMessage(request, def);
  }
  blocks.push(...describeBlocks(request, def));
  if (outcome && !request.dryRun && (request.status === 'succeeded' || request.status === 'failed')) {
    blocks.push({ type: 'section', fields: [md(`*Before*\n${stateLine(outcome.before)}`), md(`*After*\n${stateLine(outcome.after)}`)] });
    if (outcome.requestIds.length) {
      blocks.push({ type: 'context', elements: [md(`AWS request ids: ${truncate(outcome.requestIds.map((id) => code(id)).join(', '), 2500)}`)] });
    }
  }
  if (request.status === 'succeeded' && !request.dryRun && def.undo) {
    blocks.push({ type: 'actions', elements: [button('Undo', ACTION.undo, { requestId: request.id })] });
  }
  return { text, blocks };
}

/** What the reason form carries: the finding's button, or the request an Undo is for; and where to answer. */
export type ReasonModalMetadata = (RequestButtonValue | { undoOf: string }) & { channel?: string };

/** Asks the requester why (required: every request has a reason), before the request is posted. */
export function reasonModal(meta: ReasonModalMetadata, def: ActionDefinition, resource: string): ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.requestReason,
    private_metadata: JSON.stringify(meta),
    title: plain('Request an action'),
    submit: plain('Request'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: md(`*${esc(def.label)}*: ${esc(truncate(resource, 500))}\nA different responder must approve before anything changes.`) },
      {
        type: 'input',
        block_id: BLOCK.requestReasonInput,
        optional: false,
        label: plain('Reason'),
        element: { type: 'plain_text_input', action_id: BLOCK.requestReasonAction, multiline: true, max_length: 500 },
      },
    ],
  };
}
