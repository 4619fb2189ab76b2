/**
 * Slack's request signing (docs.slack.dev "Verifying requests from Slack"): `X-Slack-Signature:
 * v0=<hex HMAC-SHA256(signing secret, "v0:<timestamp>:<raw body>")>` and `X-Slack-Request-Timestamp`,
 * refused when the timestamp is more than five minutes from now *in either direction*.
 *
 * Bolt's own check (verifySlackRequest in @slack/bolt 5.1, receivers/verify-request.js) refuses only
 * timestamps older than five minutes, so a request signed with a timestamp in the future stays
 * replayable until that future has passed. This module is what the receiver uses instead.
 *
 * The time is checked first, from the headers alone, so a stale or future request is refused before
 * its body is read.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's window: a request more than this far from now, past or future, is refused. */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;

export type SignatureRefusal =
  | 'missing_timestamp'
  | 'malformed_timestamp'
  | 'stale_timestamp'
  | 'future_timestamp'
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch';

/** What the receiver logs for each refusal (the request itself is never logged). */
export const SIGNATURE_REFUSAL_TEXT: Record<SignatureRefusal, string> = {
  missing_timestamp: 'no X-Slack-Request-Timestamp header',
  malformed_timestamp: 'X-Slack-Request-Timestamp is not a Unix time in seconds',
  stale_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes in the past',
  future_timestamp: 'X-Slack-Request-Timestamp is more than 5 minutes in the future',
  missing_signature: 'no X-Slack-Signature header',
  malformed_signature: 'X-Slack-Signature is not v0=<64 hex digits>',
  signature_mismatch: 'X-Slack-Signature does not match the body and the signing secret',
};

type Header = string | string[] | undefined;

/** A repeated header is as suspicious as a missing one: Slack sends each exactly once. */
function single(value: Header): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const UNIX_SECONDS = /^\d{1,12}$/;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

export interface SignedHeaders {
  timestamp: number;
  signature: string;
}

/**
 * Checks the two headers' presence and shape, and the timestamp against `nowMs` (both directions).
 * Returns the parsed headers, or why the request is refused.
 */
export function checkSignedHeaders(timestampHeader: Header, signatureHeader: Header, nowMs: number): SignedHeaders | SignatureRefusal {
  const rawTimestamp = single(timestampHeader);
  if (rawTimestamp === undefined) return 'missing_timestamp';
  if (!UNIX_SECONDS.test(rawTimestamp)) return 'malformed_timestamp';
  const timestamp = Number(rawTimestamp);
  const skew = timestamp - Math.floor(nowMs / 1000);
  if (skew < -SIGNATURE_WINDOW_SECONDS) return 'stale_timestamp';
  if (skew > SIGNATURE_WINDOW_SECONDS) return 'future_timestamp';
  const signature = single(signatureHeader);
  if (signature === undefined) return 'missing_signature';
  if (!SIGNATURE.test(signature)) return 'malformed_signature';
  return { timestamp, signature };
}

/** Slack signs the body's bytes as received, so the HMAC covers the raw buffer, not a re-encoding of it. */
export function expectedSignature(signingSecret: string, timestamp: number, rawBody: Buffer): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Constant-time comparison of the header's signature with the one the body and secret give. */
export function checkSignature(signingSecret: string, headers: SignedHeaders, rawBody: Buffer): SignatureRefusal | undefined {
  const expected = Buffer.from(expectedSignature(signingSecret, headers.timestamp, rawBody));
  const given = Buffer.from(headers.signature);
  // Both are "v0=" + 64 hex digits here (checkSignedHeaders), so the lengths match.
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : 'signature_mismatch';
}
