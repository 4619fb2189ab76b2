/**
 * Whether a role's trust policy lets a caller from another account assume it, as AWS decides for the
 * cases organization scenarios use: an Allow of sts:AssumeRole to the caller's account (`123…`,
 * `arn:aws:iam::123…:root`) or to the caller's own user or role, with an optional sts:ExternalId
 * condition that must match.
 */
import type { Caller } from '../model';

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The IAM ARN a trust policy names a caller by: its user, or the role its session is of. */
function callerPrincipalArn(caller: Caller): string {
  if (caller.type === 'assumed-role' && caller.roleName) return `arn:aws:iam::${caller.accountId}:role/${caller.roleName}`;
  return caller.arn;
}

export function trustAllows(trustPolicy: string, caller: Caller, externalId: string | undefined): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(trustPolicy);
  } catch {
    return false;
  }
  const statements = list((doc as { Statement?: unknown }).Statement) as Statement[];
  const names = new Set([caller.accountId, `arn:aws:iam::${caller.accountId}:root`, callerPrincipalArn(caller)]);
  return statements.some((s) => {
    if (s.Effect !== 'Allow') return false;
    if (!list(s.Action).some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) return false;
    const principal = s.Principal as { AWS?: unknown } | undefined;
    if (!list(principal?.AWS).some((p) => typeof p === 'string' && (p === '*' || names.has(p)))) return false;
    const wanted = s.Condition?.StringEquals?.['sts:ExternalId'];
    return wanted === undefined || list(wanted).includes(externalId);
  });
}
