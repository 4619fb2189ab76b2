/**
 * Builds and sends requests the way Slack does, for tests of the real Bolt app over HTTP.
 *
 * Slack signs every request: `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret,
 * "v0:<timestamp>:<raw body>")>` with `X-Slack-Request-Timestamp: <unix seconds>`. Slash commands
 * are form-encoded fields; interactions (block_actions, view_submission) are one form field
 * `payload=<JSON>`. Bolt rejects a bad signature or a timestamp older than 5 minutes with 401.
 *
 *   const res = await sendSlashCommand(eventsUrl, secret, { text: 'scan --days 3', user_id: 'U1', channel_id: 'C1' });
 *   res.status, res.json, res.ms   // HTTP status, parsed body (ack payload), round trip in ms
 *   await sendInteraction(eventsUrl, secret, blockActionPayload({ actionId, value, userId, channelId, messageTs }));
 *
 * Options: `timestamp` (to test stale requests), `signature` (to forge one), `secretOverride`.
 */
import { createHmac } from 'node:crypto';

export interface SignOptions {
  /** Unix seconds; default now. */
  timestamp?: number;
  /** Replace the computed signature (forgery tests). */
  signature?: string;
}

export interface SlackHttpResponse {
  status: number;
  text: string;
  /** Parsed JSON body when there is one (e.g. an ack with an ephemeral message). */
  json?: Record<string, unknown>;
  /** Round-trip time in milliseconds: Slack's 3-second acknowledgement budget. */
  ms: number;
}

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export function signedHeaders(secret: string, body: string, options: SignOptions = {}): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(secret, timestamp, body),
  };
}

export async function postSigned(url: string, secret: string, body: string, options: SignOptions = {}): Promise<SlackHttpResponse> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: signedHeaders(secret, body, options), body });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = text ? JSON.parse(text) : undefined;
    if (typeof parsed === 'object' && parsed !== null) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, ms, ...(json ? { json } : {}) };
}

export interface SlashCommandFields {
  command?: string;
  text: string;
  user_id: string;
  channel_id: string;
  user_name?: string;
  channel_name?: string;
  team_id?: string;
  response_url?: string;
  trigger_id?: string;
}

export function slashCommandBody(f: SlashCommandFields): string {
  return new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: f.team_id ?? 'T0TEST',
    team_domain: 'test',
    channel_id: f.channel_id,
    channel_name: f.channel_name ?? 'incident',
    user_id: f.user_id,
    user_name: f.user_name ?? f.user_id.toLowerCase(),
    command: f.command ?? '/aws-ir',
    text: f.text,
    api_app_id: 'A0AWSIR',
    is_enterprise_install: 'false',
    response_url: f.response_url ?? 'http://127.0.0.1:9/response-url-not-set',
    trigger_id: f.trigger_id ?? `${Date.now()}.trigger`,
  }).toString();
}

export function sendSlashCommand(url: string, secret: string, fields: SlashCommandFields, options: SignOptions = {}): Promise<SlackHttpResponse> {
  return postSigned(url, secret, slashCommandBody(fields), options);
}

export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function sendInteraction(url: string, secret: string, payload: Record<string, unknown>, options: SignOptions = {}): Promise<SlackHttpResponse> {
  return postSigned(url, secret, interactionBody(payload), options);
}

export interface BlockActionFields {
  actionId: string;
  value?: string;
  userId: string;
  channelId: string;
  /** ts of the message holding the button. */
  messageTs: string;
  /** Thread of that message, when it is a reply. */
  threadTs?: string;
  blockId?: string;
  responseUrl?: string;
  triggerId?: string;
  /** The message as Slack would include it (blocks); optional. */
  message?: Record<string, unknown>;
}

/** A `block_actions` payload for a button click, as Slack sends it. */
export function blockActionPayload(f: BlockActionFields): Record<string, unknown> {
  return {
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: f.userId, username: f.userId.toLowerCase(), name: f.userId.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0AWSIR',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: f.messageTs, channel_id: f.channelId, is_ephemeral: false, ...(f.threadTs ? { thread_ts: f.threadTs } : {}) },
    trigger_id: f.triggerId ?? `${Date.now()}.trigger`,
    channel: { id: f.channelId, name: 'incident' },
    message: f.message ?? { type: 'message', ts: f.messageTs, ...(f.threadTs ? { thread_ts: f.threadTs } : {}), text: '', blocks: [] },
    response_url: f.responseUrl ?? 'http://127.0.0.1:9/response-url-not-set',
    actions: [
      {
        type: 'button',
        action_id: f.actionId,
        block_id: f.blockId ?? 'b1',
        text: { type: 'plain_text', text: 'button', emoji: true },
        ...(f.value !== undefined ? { value: f.value } : {}),
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

export interface ViewSubmissionFields {
  callbackId: string;
  userId: string;
  /** state.values as Slack sends them: { [block_id]: { [action_id]: { type, value } } } */
  values: Record<string, Record<string, Record<string, unknown>>>;
  privateMetadata?: string;
  viewId?: string;
}

/** A `view_submission` payload for a modal, as Slack sends it. */
export function viewSubmissionPayload(f: ViewSubmissionFields): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: f.userId, username: f.userId.toLowerCase(), name: f.userId.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0AWSIR',
    token: 'deprecated-verification-token',
    trigger_id: `${Date.now()}.trigger`,
    view: {
      id: f.viewId ?? 'V0TEST',
      team_id: 'T0TEST',
      type: 'modal',
      callback_id: f.callbackId,
      private_metadata: f.privateMetadata ?? '',
      state: { values: f.values },
      hash: 'hash',
      title: { type: 'plain_text', text: 'aws-ir' },
      blocks: [],
    },
    response_urls: [],
  };
}
