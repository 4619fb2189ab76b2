import { parseAuthorization } from '../../src/protocols/sigv4';
import { SIGNATURE_MISMATCH, SignatureRejected, verifySignature } from '../../src/protocols/sigv4-verify';
import type { WireRequest } from '../../src/protocols/types';

// AWS's published SigV4 test suite credentials and request time; the signatures below are its known answers.
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const SIGNED_AT = new Date('2015-08-30T12:36:00Z');
const AMZ_DATE = '20150830T123600Z';

function wire(opts: { method?: string; host: string; path?: string; query?: string; headers?: Record<string, string>; body?: string }): WireRequest {
  return {
    method: opts.method ?? 'GET',
    path: opts.path ?? '/',
    query: new URLSearchParams(opts.query ?? ''),
    headers: { host: opts.host, 'x-amz-date': AMZ_DATE, ...opts.headers },
    body: Buffer.from(opts.body ?? '', 'utf8'),
  };
}

function auth(service: string, signedHeaders: string, signature: string) {
  return parseAuthorization(
    `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/${service}/aws4_request, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  );
}

const VANILLA = auth('service', 'host;x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
const POST_FORM = auth('service', 'content-type;host;x-amz-date', 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a');

function rejection(fn: () => void): SignatureRejected {
  try {
    fn();
  } catch (err) {
    if (err instanceof SignatureRejected) return err;
    throw err;
  }
  throw new Error('expected the signature to be rejected');
}

describe('known answers from AWS', () => {
  test.each([
    ['get-vanilla', wire({ host: 'example.amazonaws.com' }), VANILLA],
    [
      'get-vanilla-query-order-key',
      wire({ host: 'example.amazonaws.com', query: 'Param2=value2&Param1=value1' }),
      auth('service', 'host;x-amz-date', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'),
    ],
    [
      'IAM ListUsers (the signing guide example)',
      wire({
        host: 'iam.amazonaws.com',
        query: 'Action=ListUsers&Version=2010-05-08',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      }),
      auth('iam', 'content-type;host;x-amz-date', '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7'),
    ],
    [
      'post-x-www-form-urlencoded (body hashed)',
      wire({ method: 'POST', host: 'example.amazonaws.com', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Param1=value1' }),
      POST_FORM,
    ],
  ])('%s verifies', (_name, req, a) => {
    expect(() => verifySignature(req, a, SECRET, SIGNED_AT)).not.toThrow();
  });
});

describe('rejections', () => {
  test('a tampered body no longer matches', () => {
    const req = wire({
      method: 'POST',
      host: 'example.amazonaws.com',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Param1=value2',
    });
    const err = rejection(() => verifySignature(req, POST_FORM, SECRET, SIGNED_AT));
    expect(err.failure).toBe('signature');
    expect(err.message).toBe(SIGNATURE_MISMATCH);
  });

  test('a wrong secret, a changed query and a changed signed header do not match', () => {
    expect(rejection(() => verifySignature(wire({ host: 'example.amazonaws.com' }), VANILLA, `${SECRET}x`, SIGNED_AT)).failure).toBe('signature');
    expect(rejection(() => verifySignature(wire({ host: 'example.amazonaws.com', query: 'a=b' }), VANILLA, SECRET, SIGNED_AT)).failure).toBe('signature');
    expect(rejection(() => verifySignature(wire({ host: 'example.amazonaws.com:8080' }), VANILLA, SECRET, SIGNED_AT)).failure).toBe('signature');
  });

  test('within 15 minutes either side the clock is accepted; beyond, AWS wording for expired and not yet current', () => {
    const req = wire({ host: 'example.amazonaws.com' });
    expect(() => verifySignature(req, VANILLA, SECRET, new Date(SIGNED_AT.getTime() + 14 * 60_000))).not.toThrow();
    expect(() => verifySignature(req, VANILLA, SECRET, new Date(SIGNED_AT.getTime() - 14 * 60_000))).not.toThrow();

    const late = rejection(() => verifySignature(req, VANILLA, SECRET, new Date('2015-08-30T12:52:00Z')));
    expect(late.failure).toBe('skew');
    expect(late.message).toBe('Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)');
    const early = rejection(() => verifySignature(req, VANILLA, SECRET, new Date('2015-08-30T12:20:00Z')));
    expect(early.message).toBe('Signature not yet current: 20150830T123600Z is still later than 20150830T123500Z (20150830T122000Z + 15 min.)');
  });

  test('an unsigned Host or a request without a date is incomplete', () => {
    const noHost = auth('service', 'x-amz-date', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31');
    expect(rejection(() => verifySignature(wire({ host: 'example.amazonaws.com' }), noHost, SECRET, SIGNED_AT)).failure).toBe('incomplete');
    const undated = { ...wire({ host: 'example.amazonaws.com' }), headers: { host: 'example.amazonaws.com' } };
    expect(rejection(() => verifySignature(undated, VANILLA, SECRET, SIGNED_AT)).message).toContain(
      "requires existence of either a 'X-Amz-Date' or a 'Date' header",
    );
  });
});
