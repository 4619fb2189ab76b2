/**
 * How actions read IAM before and after they write: every page of a list, a missing entity as
 * `undefined` rather than an error, and policy documents decoded as IAM returns them URL-encoded.
 */
import { tolerateGone } from '../aws-errors';

/** Reads something that may not exist: NoSuchEntity becomes undefined, any other error is thrown. */
export async function readIfExists<T>(read: () => Promise<T>): Promise<T | undefined> {
  const r = await tolerateGone(read);
  return r === 'already-gone' ? undefined : r;
}

/** IAM returns policy documents URL-encoded; an undecodable one is kept as it is. */
export function decodePolicyDocument(doc: string): string {
  try {
    return decodeURIComponent(doc);
  } catch {
    return doc;
  }
}

/** Collects every page of an IAM Marker/IsTruncated list. */
export async function allPages<P extends { IsTruncated?: boolean; Marker?: string }, T>(
  fetch: (marker: string | undefined) => Promise<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const page = await fetch(marker);
    out.push(...(items(page) ?? []));
    if (!page.IsTruncated || !page.Marker) break;
    marker = page.Marker;
  }
  return out;
}
