/**
 * Delivers requests to the app the way Slack does: an HTTP POST to its request URL
 * (`/slack/events`), form-encoded (`payload=<json>` for interactions), signed with the signing secret.
 * Returns the app's acknowledgement so the stand-in can act on it like Slack (ack text, view errors).
 */
import { signRequest } from './signing';

export interface AppEndpoint {
  /** e.g. http://127.0.0.1:51234/slack/events */
  url: string;
  signingSecret: string;
}

export interface AppAck {
  status: number;
  contentType: string;
  body: string;
  /** The ack body parsed as JSON when it is JSON. */
  json?: Record<string, unknown>;
}

export class AppDeliveryError extends Error {
  readonly code = 'local_app_unreachable';
  constructor(message: string) {
    super(message);
    this.name = 'AppDeliveryError';
  }
}

/** Slack gives up on an app that has not acknowledged within 3 seconds. */
export const ACK_TIMEOUT_MS = 3_000;

export async function deliverForm(endpoint: AppEndpoint, fields: Record<string, string>, now: () => number = Date.now): Promise<AppAck> {
  const body = new URLSearchParams(fields).toString();
  const timestamp = Math.floor(now() / 1000);
  let res: Response;
  try {
    res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signRequest(endpoint.signingSecret, timestamp, body),
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots) aws-ir-local',
      },
      body,
      signal: AbortSignal.timeout(ACK_TIMEOUT_MS),
    });
  } catch (err: unknown) {
    const reason = err instanceof Error ? (err.name === 'TimeoutError' ? 'did not acknowledge within 3 seconds' : err.message) : String(err);
    throw new AppDeliveryError(`The app ${reason}.`);
  }
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let json: Record<string, unknown> | undefined;
  if (text.trim().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, contentType, body: text, json };
}

export function deliverInteraction(endpoint: AppEndpoint, payload: Record<string, unknown>, now?: () => number): Promise<AppAck> {
  return deliverForm(endpoint, { payload: JSON.stringify(payload) }, now);
}
