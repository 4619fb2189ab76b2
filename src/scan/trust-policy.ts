/** Reads a role's trust policy and lists the AWS principals it admits from outside the account. */

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

const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Principals of Allow statements that belong to another account, or "*" (anyone). */
export function outsidePrincipals(document: string | undefined, accountId: string): string[] {
  const doc = parsePolicyDocument(document);
  if (!doc) return [];
  const out = new Set<string>();
  for (const s of asList(doc.Statement)) {
    if (s.Effect !== 'Allow' || s.Principal === undefined) continue;
    if (s.Principal === '*') {
      out.add('*');
      continue;
    }
    if (typeof s.Principal === 'string') continue;
    for (const p of asList(s.Principal.AWS)) {
      if (p === '*') out.add('*');
      const id = /^\d{12}$/.test(p) ? p : /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(p)?.[1];
      if (id && id !== accountId) out.add(p);
    }
  }
  return [...out];
}
