/**
 * Every Slack identifier the app shares between the blocks it renders and the listeners that receive
 * them. Buttons in one message need unique action_ids, so ids are prefixes matched by a RegExp and a
 * button's own id is `${prefix}:${n}`.
 */
export const SLASH_COMMAND = '/aws-ir';

export const ACTION = {
  /** A finding's response-action button; value = JSON RequestButtonValue. */
  requestAction: 'aws_ir.request',
  /** A finding's "investigate" button (last-accessed details, trail); value = JSON InvestigateButtonValue. */
  investigate: 'aws_ir.investigate',
  approve: 'aws_ir.approve',
  reject: 'aws_ir.reject',
  /** Undo of an executed action: itself a new request. */
  undo: 'aws_ir.undo',
  /** "Mark done" on an open checklist item: a person's attestation; value = JSON OpenItemButtonValue. */
  markItemDone: 'aws_ir.item_done',
  /** "Reviewed" on a break-glass run: a second responder's review; value = JSON RequestIdButtonValue. */
  reviewBreakGlass: 'aws_ir.review',
  /** A finding's "More": a modal with all of its evidence, paged; value = JSON InvestigateButtonValue. */
  moreDetails: 'aws_ir.more',
  /** Next / previous page of the More modal; value = the page number. */
  morePage: 'aws_ir.more_page',
} as const;

export const VIEW = {
  /** Modal asking for the reason of a request. */
  requestReason: 'aws_ir.request_reason',
} as const;

export const BLOCK = {
  requestReasonInput: 'aws_ir.reason_block',
  requestReasonAction: 'aws_ir.reason_input',
  /** The reason form's break-glass checkbox (only when AWS_IR_BREAK_GLASS is on and the action is containment). */
  breakGlassInput: 'aws_ir.break_glass_block',
  breakGlassAction: 'aws_ir.break_glass_input',
  /** Prefix of an open item's block in the status message; the click replaces that block. */
  openItem: 'aws_ir.item',
} as const;

/** The block id of one open item: `aws_ir.item:<item id>` (well under Slack's 255 characters). */
export function openItemBlockId(itemId: string): string {
  return `${BLOCK.openItem}:${itemId}`;
}

/** Matches every button whose id starts with `prefix` (e.g. `aws_ir.approve:0`). */
export function actionIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/\./g, '\\.')}(:\\d+)?$`);
}

export function buttonActionId(prefix: string, n: number): string {
  return `${prefix}:${n}`;
}

/** The value of the reason form's break-glass checkbox option. */
export const BREAK_GLASS_OPTION = 'break_glass';

export interface RequestButtonValue {
  scanId: string;
  findingId: string;
  action: string;
}

export interface InvestigateButtonValue {
  scanId: string;
  findingId: string;
}

/** "Mark done" carries only the item id; who clicked comes from the verified payload. */
export interface OpenItemButtonValue {
  itemId: string;
}

/** Approve / Reject / Undo carry only the request id; who clicked comes from the verified payload. */
export interface RequestIdButtonValue {
  requestId: string;
}
