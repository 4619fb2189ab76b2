/**
 * Slack's signature window, both ways: a timestamp up to 5 minutes from now (past or future) is
 * accepted, one more second either way is refused, and so are 10 minutes, 1 hour and 1 day in the
 * future (which Bolt's own check let through). Headers missing, repeated or malformed, a wrong secret
 * and an altered body are refused. The clock is a parameter: nothing here waits.
 */
import { checkSignature, checkSignedHeaders, expectedSignature, SIGNATURE_WINDOW_SECONDS, type SignedHeaders } from '../../../src/slack/request-signature';
import { slackSignature } from '../../support/signed-request';

const NOW_MS = Date.parse('2026-03-01T12:00:00.400Z');
const NOW_S = Math.floor(NOW_MS / 1000);
const SECRET = 'unit-test-signing-secret-0001';
const BODY = 'command=%2Faws-ir&text=scan&user_id=U0ALICE&channel_id=C0INCIDENT';

function headersAt(offsetSeconds: number, secret = SECRET, body = BODY): SignedHeaders | string {
  const ts = NOW_S + offsetSeconds;
  return checkSignedHeaders(String(ts), slackSignature(secret, ts, body), NOW_MS);
}

function verdict(offsetSeconds: number, secret = SECRET, signedBody = BODY, sentBody = BODY): 'accepted' | string {
  const headers = headersAt(offsetSeconds, secret, signedBody);
  if (typeof headers === 'string') return headers;
  return checkSignature(SECRET, headers, Buffer.from(sentBody)) ?? 'accepted';
}

describe('the signature window (5 minutes, both directions)', () => {
  it('accepts 4:59 and exactly 5:00 in the past and in the future', () => {
    for (const offset of [-299, -300, 0, 299, 300]) expect([offset, verdict(offset)]).toEqual([offset, 'accepted']);
  });

  it('refuses 5:01 in the past as stale and 5:01 in the future as future-dated', () => {
    expect(verdict(-301)).toBe('stale_timestamp');
    expect(verdict(301)).toBe('future_timestamp');
  });

  it('refuses 10 minutes, 1 hour and 1 day in the future, and the same in the past', () => {
    const future = [10 * 60, 3600, 86_400].map((s) => verdict(s));
    const past = [10 * 60, 3600, 86_400].map((s) => verdict(-s));
    expect(future).toEqual(['future_timestamp', 'future_timestamp', 'future_timestamp']);
    expect(past).toEqual(['stale_timestamp', 'stale_timestamp', 'stale_timestamp']);
    expect(SIGNATURE_WINDOW_SECONDS).toBe(300);
  });

  it('refuses missing, repeated and malformed headers', () => {
    const sig = slackSignature(SECRET, NOW_S, BODY);
    expect(checkSignedHeaders(undefined, sig, NOW_MS)).toBe('missing_timestamp');
    expect(checkSignedHeaders(String(NOW_S), undefined, NOW_MS)).toBe('missing_signature');
    expect(checkSignedHeaders([String(NOW_S), String(NOW_S)], sig, NOW_MS)).toBe('missing_timestamp');
    expect(checkSignedHeaders(String(NOW_S), [sig, sig], NOW_MS)).toBe('missing_signature');
    for (const ts of ['', 'abc', '-1', '1e9', ` ${NOW_S}`, `${NOW_S}.5`, '9'.repeat(13), '0x10'])
      expect([ts, checkSignedHeaders(ts, sig, NOW_MS)]).toEqual([ts, 'malformed_timestamp']);
    for (const s of ['', 'v0=', `v1=${'a'.repeat(64)}`, `v0=${'A'.repeat(64)}`, `v0=${'a'.repeat(63)}`, `${sig} `, sig.slice(3)])
      expect([s, checkSignedHeaders(String(NOW_S), s, NOW_MS)]).toEqual([s, 'malformed_signature']);
  });

  it('refuses a wrong secret and a body altered after signing', () => {
    expect(verdict(0, 'another-secret-entirely-000')).toBe('signature_mismatch');
    expect(verdict(0, SECRET, BODY, BODY.replace('U0ALICE', 'U0BOB'))).toBe('signature_mismatch');
    expect(verdict(0, SECRET, BODY, `${BODY}&x=1`)).toBe('signature_mismatch');
    // The timestamp is part of what is signed: a signature moved to another time does not verify.
    const moved = checkSignedHeaders(String(NOW_S + 1), slackSignature(SECRET, NOW_S, BODY), NOW_MS);
    expect(typeof moved).toBe('object');
    expect(checkSignature(SECRET, moved as SignedHeaders, Buffer.from(BODY))).toBe('signature_mismatch');
  });

  it('signs the raw bytes, so a body that is not valid UTF-8 verifies as Slack sent it', () => {
    const raw = Buffer.from([0x70, 0x3d, 0xff, 0xfe, 0x41]);
    const sig = expectedSignature(SECRET, NOW_S, raw);
    const headers = checkSignedHeaders(String(NOW_S), sig, NOW_MS) as SignedHeaders;
    expect(checkSignature(SECRET, headers, raw)).toBeUndefined();
    expect(checkSignature(SECRET, headers, Buffer.from(raw.toString('utf8')))).toBe('signature_mismatch');
  });
});
