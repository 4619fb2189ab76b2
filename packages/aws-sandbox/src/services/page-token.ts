/**
 * Opaque pagination tokens. A token carries where the previous page stopped and a fingerprint of the
 * request it belongs to, so a token replayed with different parameters is rejected as AWS rejects it.
 */
import { createHash } from 'node:crypto';
import { SandboxError } from '../model';

export function fingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export function encodeToken<T>(position: T, requestFingerprint: string): string {
  return Buffer.from(JSON.stringify({ p: position, f: requestFingerprint }), 'utf8').toString('base64url');
}

export function decodeToken<T>(token: string, requestFingerprint: string, errorCode: string, message = 'Invalid NextToken.'): T {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { p?: T; f?: string };
    if (parsed.f !== requestFingerprint || parsed.p === undefined) throw new Error('mismatch');
    return parsed.p;
  } catch {
    throw new SandboxError(errorCode, message);
  }
}

/** Offset-based paging for listings whose order never changes between calls. */
export function pageByOffset<T>(
  items: readonly T[],
  token: string | undefined,
  limit: number,
  requestFingerprint: string,
  errorCode: string,
): { page: T[]; next?: string } {
  const start = token ? decodeToken<number>(token, requestFingerprint, errorCode) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw new SandboxError(errorCode, 'Invalid NextToken.');
  const page = items.slice(start, start + limit);
  const end = start + page.length;
  return end < items.length ? { page, next: encodeToken(end, requestFingerprint) } : { page };
}
