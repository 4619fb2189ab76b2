/** Reads a role's trust policy and lists the AWS principals it admits from outside the account. */
import { outsidePrincipalsOf } from './detections/conditions';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | { AWS?: string | string[]; Federated?: string | string[]; Service?: string | string[] };
}

export function parsePolicyDocument(raw: string | undefined): { Statement?: Statement | Statement[] } | undefined {
  if (!raw) return undefined;
  let text = raw;
  // IAM returns policy documents URL-encoded (RFC 3986).
  if (/^%7B/i.test(text.trim())) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return undefined;
    }
  }
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as { Statement?: Statement | Statement[] }) : undefined;
  } catch {
    return undefined;
  }
}

/** Principals of Allow statements that belong to another account, or "*" (anyone). */
export function outsidePrincipals(document: string | undefined, accountId: string): string[] {
  return [...new Set(outsidePrincipalsOf(parsePolicyDocument(document), accountId).map((p) => p.principal))];
}
