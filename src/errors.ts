/**
 * The catalog of what can go wrong, by code, with the sentence a responder or operator reads: Slack
 * platform errors, AWS errors, aws-ir's own error codes and its workflow refusals. One plain sentence
 * saying what happened and, when possible, what to do. Never a stack, never a raw SDK message (those
 * can carry ARNs of the app's own role or request details); the full error goes to the logs.
 */

/** aws-ir's own error codes; every named error class carries one of them as `code`. */
export const ERROR_CODES = {
  usage: 'aws_ir_usage',
  config: 'aws_ir_config_error',
  startup: 'aws_ir_startup',
  store: 'aws_ir_store_error',
  storeUnavailable: 'aws_ir_store_unavailable',
  slackSetup: 'aws_ir_slack_setup',
  slackResponse: 'aws_ir_slack_response',
  blockLimit: 'aws_ir_block_limit',
  wrongTarget: 'aws_ir_wrong_target',
  invalidPrincipal: 'aws_ir_invalid_principal',
  memberAccess: 'aws_ir_member_access',
  orgListing: 'aws_ir_org_listing',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Something an operator must fix before aws-ir (or a command) can start; the message says what. */
export class StartupError extends Error {
  readonly code = ERROR_CODES.startup;
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Why a workflow said no; the sentence goes to the person who clicked or typed. */
export type RefusalCode =
  | 'not_found'
  | 'not_responder'
  | 'self_approval'
  | 'protected'
  | 'already_decided'
  | 'expired'
  | 'not_offered'
  | 'precheck_failed'
  | 'no_undo'
  | 'reason_required'
  | 'scan_busy'
  | 'already_approved'
  | 'break_glass_off'
  | 'not_containment'
  | 'self_review';

/** The fixed sentences of refusals; the others are built from the request they concern. */
export const REFUSALS = {
  findingGone: 'aws-ir no longer has this finding or does not offer that action; run `/aws-ir scan` again.',
  scanGone: 'That scan or finding is no longer on record; run /aws-ir scan again.',
  requestGone: 'That request is no longer on record.',
  notOffered: 'That action is not offered for this finding.',
  selfApproval: 'You asked for this change, so a different responder must approve it.',
  expired: 'This request expired before it was approved; request the action again if it is still needed.',
  noUndo: 'There is nothing to undo for this request.',
  reasonRequired: 'Every request needs a reason: say why in a few words (it is recorded in the audit trail).',
  /** views.open failed, so there was no form to give the reason in. */
  modalDidNotOpen: 'aws-ir could not open the form that asks for the reason, so nothing was requested. Click the button again: every request needs a reason.',
  unreadableButton: "aws-ir cannot read this button, so it did nothing. Use the buttons of the request's message in the scan's thread.",
  itemGone: 'That checklist item is no longer on record; run `/aws-ir status` again.',
  unknownItemButton: 'aws-ir does not recognise this button; run `/aws-ir status` for the current checklist.',
  investigateGone: 'aws-ir no longer has this scan; run `/aws-ir scan` again.',
  noIdentity: 'This finding has no IAM identity to investigate.',
  breakGlassOff: 'Break-glass is off here (AWS_IR_BREAK_GLASS): a different responder must approve.',
  notContainment:
    'Break-glass runs only containment actions (deactivate a key, quarantine a user, revoke sessions, isolate an instance), never a deletion: a different responder must approve.',
  nothingToReview: 'That request was not a break-glass run, so there is nothing to review.',
  selfReview: 'You ran this break-glass action, so a different responder must review it.',
  lookupFailed: 'aws-ir could not look up your Slack account, so it cannot confirm you may do this. Try again in a moment.',
} as const;

export const SLACK_ERRORS: Readonly<Record<string, string>> = {
  not_in_channel: 'aws-ir is not a member of this channel. Invite it with `/invite @aws-ir` and try again.',
  channel_not_found: 'aws-ir cannot post in this conversation. Invite it to the channel (`/invite @aws-ir`) and try again.',
  is_archived: 'This channel is archived, so aws-ir cannot post here.',
  restricted_action: 'This workspace does not allow aws-ir to post in this channel.',
  ratelimited: 'Slack is rate-limiting aws-ir right now; try again in a minute.',
  invalid_blocks: "Slack refused a message aws-ir tried to post; the details are in aws-ir's logs.",
  msg_too_long: "Slack refused a message aws-ir tried to post because it was too long; the details are in aws-ir's logs.",
  invalid_auth: "aws-ir's Slack token is not valid any more. Ask the app's owner to reinstall it.",
  token_revoked: "aws-ir's Slack token has been revoked. Ask the app's owner to reinstall it.",
  missing_scope: "aws-ir lacks a Slack permission it needs. Ask the app's owner to reinstall it from the manifest.",
};

/** Slack answers that mean the app's token no longer works: aws-ir is not ready (healthz). */
export const SLACK_AUTH_ERRORS: ReadonlySet<string> = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

/** Start-up: what a failing auth.test means for SLACK_BOT_TOKEN. */
export const SLACK_TOKEN_ERRORS: Readonly<Record<string, string>> = {
  invalid_auth: 'Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page.',
  not_authed: 'Slack received no token: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…).',
  account_inactive: 'SLACK_BOT_TOKEN belongs to a deleted or deactivated app or workspace: reinstall aws-ir and use its new token.',
  token_revoked: 'SLACK_BOT_TOKEN has been revoked: reinstall aws-ir and use its new token.',
  token_expired: 'SLACK_BOT_TOKEN has expired: turn off token rotation for aws-ir or reinstall it.',
};

const ACCESS_DENIED = 'AWS denied aws-ir access. Check that its role has the read-only scan policy (policies/scan-policy.json).';
const EXPIRED = "aws-ir's AWS credentials have expired. Refresh them and try again.";
const THROTTLED = "AWS is throttling aws-ir's requests; try again in a few minutes.";
const NO_ENTITY = 'That IAM identity does not exist (any more).';

export const AWS_ERRORS: Readonly<Record<string, string>> = {
  AccessDenied: ACCESS_DENIED,
  AccessDeniedException: ACCESS_DENIED,
  UnauthorizedOperation: ACCESS_DENIED,
  ExpiredToken: EXPIRED,
  ExpiredTokenException: EXPIRED,
  InvalidClientTokenId: "aws-ir's AWS credentials are not valid (unknown access key). Check its AWS configuration.",
  SignatureDoesNotMatch: "aws-ir's AWS credentials are not valid (wrong secret key). Check its AWS configuration.",
  UnrecognizedClientException: "aws-ir's AWS credentials are not valid. Check its AWS configuration.",
  CredentialsProviderError: 'aws-ir found no AWS credentials. Configure them (environment, profile or role) and restart it.',
  ThrottlingException: THROTTLED,
  Throttling: THROTTLED,
  NoSuchEntity: NO_ENTITY,
  NoSuchEntityException: NO_ENTITY,
  TimeoutError: 'AWS did not answer in time; try again.',
};

const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET']);
const UNREACHABLE_AWS = 'aws-ir could not reach AWS. Check its network and endpoint configuration.';
const BLOCK_LIMIT = "aws-ir could not fit a message within Slack's limits; the details are in its logs.";

export const GENERIC_ERROR = 'Something went wrong inside aws-ir; the details are in its logs.';

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null && name in err ? (err as Record<string, unknown>)[name] : undefined;
}

/** Slack Web API error code (`not_in_channel`, …) of a failed call, if that is what `err` is. */
export function slackErrorCode(err: unknown): string | undefined {
  if (field(err, 'code') !== 'slack_webapi_platform_error') return undefined;
  const code = field(field(err, 'data'), 'error');
  return typeof code === 'string' ? code : undefined;
}

/** The sentence a person reads for any error. */
export function userMessage(err: unknown): string {
  const slack = slackErrorCode(err);
  if (slack) return SLACK_ERRORS[slack] ?? `Slack refused a request from aws-ir (${slack}).`;
  const name = field(err, 'name');
  if (typeof name === 'string' && AWS_ERRORS[name]) return AWS_ERRORS[name];
  const code = field(err, 'code');
  if (typeof code !== 'string') return GENERIC_ERROR;
  if (AWS_ERRORS[code]) return AWS_ERRORS[code];
  if (NETWORK_ERRORS.has(code)) return UNREACHABLE_AWS;
  if (code === ERROR_CODES.blockLimit) return BLOCK_LIMIT;
  // aws-ir's own named errors say what to do in their first line; a stack is never passed on.
  if (err instanceof Error && code.startsWith('aws_ir_') && !err.message.includes('\n    at ')) return err.message.split('\n')[0]!;
  return GENERIC_ERROR;
}
