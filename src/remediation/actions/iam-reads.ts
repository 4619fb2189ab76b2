/**
 * How actions read IAM before and after they write: a missing entity as `undefined` rather than an
 * error, and policy documents decoded as IAM returns them URL-encoded. (Lists are read whole with the
 * SDK's paginators and aws/collect-pages.ts.)
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
