/**
 * Errors as a responder should read them: one plain sentence saying what happened and, when
 * possible, what to do. Never a stack, never a raw SDK message (those can carry ARNs of the app's
 * own role or request details); the full error goes to the logs.
 */
import { UsageError } from './command-args';

function field(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null && name in err ? (err as Record<string, unknown>)[name] : undefined;
}

/** Slack Web API error code (`not_in_channel`, …) of a failed call, if that is what `err` is. */
export function slackErrorCode(err: unknown): string | undefined {
  if (field(err, 'code') !== 'slack_webapi_platform_error') return undefined;
  const data = field(err, 'data');
  const code = field(data, 'error');
  return typeof code === 'string' ? code : undefined;
}

const SLACK_ERRORS: Record<string, string> = {
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

const AWS_ERRORS: Record<string, string> = {
  AccessDenied: 'AWS denied aws-ir access. Check that its role has the read-only scan policy (policies/scan-policy.json).',
  AccessDeniedException: 'AWS denied aws-ir access. Check that its role has the read-only scan policy (policies/scan-policy.json).',
  UnauthorizedOperation: 'AWS denied aws-ir access. Check that its role has the read-only scan policy (policies/scan-policy.json).',
  ExpiredToken: "aws-ir's AWS credentials have expired. Refresh them and try again.",
  ExpiredTokenException: "aws-ir's AWS credentials have expired. Refresh them and try again.",
  InvalidClientTokenId: "aws-ir's AWS credentials are not valid (unknown access key). Check its AWS configuration.",
  SignatureDoesNotMatch: "aws-ir's AWS credentials are not valid (wrong secret key). Check its AWS configuration.",
  UnrecognizedClientException: "aws-ir's AWS credentials are not valid. Check its AWS configuration.",
  CredentialsProviderError: 'aws-ir found no AWS credentials. Configure them (environment, profile or role) and restart it.',
  ThrottlingException: "AWS is throttling aws-ir's requests; try again in a few minutes.",
  Throttling: "AWS is throttling aws-ir's requests; try again in a few minutes.",
  NoSuchEntity: 'That IAM identity does not exist (any more).',
  NoSuchEntityException: 'That IAM identity does not exist (any more).',
  TimeoutError: 'AWS did not answer in time; try again.',
};

export const GENERIC_ERROR = 'Something went wrong inside aws-ir; the details are in its logs.';

export function userMessage(err: unknown): string {
  if (err instanceof UsageError) return err.message;
  const slack = slackErrorCode(err);
  if (slack) return SLACK_ERRORS[slack] ?? `Slack refused a request from aws-ir (${slack}).`;
  const name = field(err, 'name');
  if (typeof name === 'string' && AWS_ERRORS[name]) return AWS_ERRORS[name];
  const code = field(err, 'code');
  if (typeof code === 'string') {
    if (AWS_ERRORS[code]) return AWS_ERRORS[code];
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT')
      return 'aws-ir could not reach AWS. Check its network and endpoint configuration.';
  }
  if (code === 'aws_ir_block_limit') return "aws-ir could not fit a message within Slack's limits; the details are in its logs.";
  // Our own named errors (ConfigError, BlockLimitError, …) say what to do in their message.
  if (err instanceof Error && typeof code === 'string' && code.startsWith('aws_ir_') && !err.message.includes('\n    at ')) return err.message.split('\n')[0];
  return GENERIC_ERROR;
}
