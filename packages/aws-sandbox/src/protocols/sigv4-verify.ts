/**
 * SigV4 verification for keys whose secret the sandbox knows: the signature is recomputed from the
 * request as received (canonical request, string to sign, derived signing key) exactly as AWS does,
 * so a tampered body, a wrong secret or a stale clock fails here as it fails against AWS.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { SigV4Authorization } from './sigv4';
import type { WireRequest } from './types';

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS accepts a signed request within 15 minutes either side of its own clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export class SignatureRejected extends Error {
  readonly code = 'signature_rejected';
  constructor(
    /** 'skew' is a request time outside the 15-minute window; 'incomplete' a header AWS requires is missing. */
    readonly failure: 'signature' | 'skew' | 'incomplete',
    message: string,
  ) {
    super(message);
    this.name = 'SignatureRejected';
  }
}

function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent leaves !'()* alone, AWS does not. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Every service but S3 normalises the path and encodes each segment once more than it came on the wire. */
function canonicalUri(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return uriEncode(`/${segments.join('/')}${trailing}`).replace(/%2F/g, '/');
}

function canonicalQuery(query: URLSearchParams): string {
  const pairs: [string, string][] = [];
  for (const [k, v] of query) if (k !== 'X-Amz-Signature') pairs.push([uriEncode(k), uriEncode(v)]);
  pairs.sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

/** `YYYYMMDDTHHMMSSZ` from X-Amz-Date, or the HTTP Date header converted to that form. */
function requestTime(req: WireRequest): { amzDate: string; time: Date } | undefined {
  const amz = header(req, 'x-amz-date');
  if (amz) {
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amz);
    if (!m) return undefined;
    return { amzDate: amz, time: new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`) };
  }
  const date = header(req, 'date');
  if (!date) return undefined;
  const time = new Date(date);
  if (Number.isNaN(time.getTime())) return undefined;
  return { amzDate: basicIso(time), time };
}

function basicIso(time: Date): string {
  return time
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** S3 signs the path as it was sent: no normalisation, each segment encoded once. */
function s3CanonicalUri(path: string): string {
  return path
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment)))
    .join('/');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * S3 signs the X-Amz-Content-Sha256 header's value (a hash, or UNSIGNED-PAYLOAD); a hash that does not
 * match the body that arrived is refused as S3 refuses it.
 */
function s3PayloadHash(req: WireRequest, bodyHash: string): string {
  const claimed = header(req, 'x-amz-content-sha256');
  if (!claimed) throw new SignatureRejected('incomplete', 'Missing required header for this request: x-amz-content-sha256');
  if (/^[0-9a-f]{64}$/.test(claimed) && claimed !== bodyHash) {
    throw new SignatureRejected('signature', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return claimed;
}

/** The canonical request AWS computes for what arrived (exported for tests and for debugging a client). */
export function canonicalRequest(req: WireRequest, signedHeaders: string[], service = ''): string {
  const headers = signedHeaders.map((name) => `${name}:${(header(req, name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  // The body AWS received, never the client's X-Amz-Content-Sha256 claim about it: a body changed after
  // signing must not verify just because the header still carries the old hash.
  const bodyHash = createHash('sha256').update(req.body).digest('hex');
  const payloadHash = service === 's3' ? s3PayloadHash(req, bodyHash) : bodyHash;
  const uri = service === 's3' ? s3CanonicalUri(req.path) : canonicalUri(req.path);
  return [req.method.toUpperCase(), uri, canonicalQuery(req.query), headers, signedHeaders.join(';'), payloadHash].join('\n');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Checks the request time against AWS's window, then the signature itself; throws SignatureRejected. */
export function verifySignature(req: WireRequest, auth: SigV4Authorization, secretAccessKey: string, now: Date): void {
  if (!auth.signedHeaders.includes('host')) {
    throw new SignatureRejected('incomplete', `'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.`);
  }
  const when = requestTime(req);
  if (!when) {
    throw new SignatureRejected(
      'incomplete',
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${ALGORITHM}`,
    );
  }
  checkClockSkew(when, now);

  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = [
    ALGORITHM,
    when.amzDate,
    scope,
    createHash('sha256')
      .update(canonicalRequest(req, auth.signedHeaders, auth.service))
      .digest('hex'),
  ].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, auth.date), auth.region), auth.service), 'aws4_request');
  const expected = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new SignatureRejected('signature', SIGNATURE_MISMATCH);
  }
}

/** AWS's own wording, e.g. "Signature expired: 20240101T000000Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)". */
function checkClockSkew(when: { amzDate: string; time: Date }, now: Date): void {
  const nowIso = basicIso(now);
  if (when.time.getTime() < now.getTime() - MAX_CLOCK_SKEW_MS) {
    const floor = basicIso(new Date(now.getTime() - MAX_CLOCK_SKEW_MS));
    throw new SignatureRejected('skew', `Signature expired: ${when.amzDate} is now earlier than ${floor} (${nowIso} - 15 min.)`);
  }
  if (when.time.getTime() > now.getTime() + MAX_CLOCK_SKEW_MS) {
    const ceiling = basicIso(new Date(now.getTime() + MAX_CLOCK_SKEW_MS));
    throw new SignatureRejected('skew', `Signature not yet current: ${when.amzDate} is still later than ${ceiling} (${nowIso} + 15 min.)`);
  }
}
