/**
 * Reads a verified request body the way Bolt will (form fields, a form's `payload` field as JSON, or
 * a JSON body: parseHTTPRequestBody in @slack/bolt 5.1), then decides what the receiver does with
 * it: answer Slack's URL verification and SSL check itself, refuse a body Bolt could not route
 * safely (400), or hand it to Bolt. Parsing the same way Bolt does matters: the body checked here
 * is the body Bolt routes.
 */
import { parse as parseForm } from 'node:querystring';
import { isRecord, payloadKind, shapeProblem, type Json, type PayloadKind } from './payload-shapes';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export type InboundBody =
  | { kind: 'ssl_check' }
  | { kind: 'url_verification'; challenge: string }
  /** Slack telling the app something (its events are being rate limited): 200, logged, nothing routed. */
  | { kind: 'notice'; note: string }
  | { kind: 'dispatch'; payloadKind: PayloadKind; body: Json }
  | { kind: 'malformed'; problem: string };

/** Bolt compares the content type exactly (no parameters), so this does too. */
function parseLikeBolt(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (contentType === FORM_CONTENT_TYPE) {
    const fields = parseForm(text);
    return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
  }
  return JSON.parse(text);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** True for an unsigned `ssl_check=1` form, which Slack sends without a payload and Bolt answers unverified. */
export function isSslCheck(raw: Buffer, contentType: string | undefined): boolean {
  if (contentType !== FORM_CONTENT_TYPE) return false;
  return parseForm(raw.toString('utf8')).ssl_check === '1';
}

export function readInboundBody(raw: Buffer, contentType: string | undefined): InboundBody {
  let parsed: unknown;
  try {
    parsed = parseLikeBolt(raw, contentType);
  } catch {
    // JSON.parse's message can quote the body; the reason alone is enough for the log.
    return { kind: 'malformed', problem: 'the body is not valid JSON (or its payload field is not)' };
  }
  if (!isRecord(parsed)) return { kind: 'malformed', problem: `the payload is ${describe(parsed)}, not an object` };
  if (parsed.ssl_check === '1') return { kind: 'ssl_check' };
  if (parsed.type === 'url_verification') {
    return typeof parsed.challenge === 'string' && parsed.challenge.length <= 200
      ? { kind: 'url_verification', challenge: parsed.challenge }
      : { kind: 'malformed', problem: 'url_verification without a challenge string' };
  }
  if (parsed.type === 'app_rate_limited') return { kind: 'notice', note: 'Slack is rate-limiting the events it sends to aws-ir (app_rate_limited)' };
  const kind = payloadKind(parsed);
  if (!kind) {
    const type = typeof parsed.type === 'string' ? `"${parsed.type.slice(0, 40)}"` : describe(parsed.type);
    return { kind: 'malformed', problem: `payload type ${type} is not one Slack sends to an app` };
  }
  const problem = shapeProblem(kind, parsed);
  return problem ? { kind: 'malformed', problem: `${kind} payload: ${problem}` } : { kind: 'dispatch', payloadKind: kind, body: parsed };
}
