/**
 * The conditions and severity rules catalog entries are built from. Each carries the sentence the docs
 * print, so what the catalog says and what the engine does cannot drift apart.
 */
import type { TrailEvent } from '../cloudtrail-events';
import type { Severity } from '../model';
import type { Condition, MatchEnv, SeverityRule } from './model';
import { accountOf, allowedAwsPrincipals, documentAt, hasExternalIdCondition, hasNarrowingCondition, statements, strings, values, asList } from './read';

export const rule = (severity: Severity, text: string, when: (e: TrailEvent, env: MatchEnv) => boolean): SeverityRule => ({ severity, text, when });
export const cond = (text: string, test: (e: TrailEvent, env: MatchEnv) => boolean): Condition => ({ text, test });

export const present = (path: string): Condition => cond(`\`${path}\` is set`, (e) => strings(e, path).length > 0 || values(e, path).length > 0);

export const oneOf = (path: string, allowed: readonly string[]): Condition =>
  cond(`\`${path}\` is ${allowed.map((a) => `\`${a}\``).join(' or ')}`, (e) => strings(e, path).some((v) => allowed.includes(v)));

/** The caller acts on an IAM user other than itself (an attacker's key making keys for someone else). */
export const otherUser = (path = 'request.userName'): Condition =>
  cond(`\`${path}\` names a user other than the caller`, (e) => {
    const target = strings(e, path)[0];
    if (!target) return false;
    return !(e.principalType === 'IAMUser' && e.userName === target);
  });

export const sameUser = (path = 'request.userName'): Condition =>
  cond(`\`${path}\` is absent or names the caller itself`, (e) => {
    const target = strings(e, path)[0];
    return !target || (e.principalType === 'IAMUser' && e.userName === target);
  });

export const isRoot = (e: TrailEvent): boolean => e.principalType === 'Root';

/** Accounts (12 digits) at `paths` other than the scanned one, and "all" (public) where the API uses it. */
export function outsideAccounts(e: TrailEvent, env: MatchEnv, paths: string[]): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    for (const v of strings(e, p)) {
      if (v.toLowerCase() === 'all') out.add('all');
      const id = accountOf(v) ?? (/^\d{12}$/.test(v) ? v : undefined);
      if (id && id !== env.account) out.add(id);
    }
  }
  return [...out];
}

export const sharedOutside = (paths: string[]): Condition =>
  cond(
    `${paths.map((p) => `\`${p}\``).join(' or ')} adds an account other than this one, or \`all\` (public)`,
    (e, env) => outsideAccounts(e, env, paths).length > 0,
  );

/** Managed policies that grant an account takeover on their own. */
export const ADMIN_POLICIES = /(^|\/)(AdministratorAccess|IAMFullAccess|PowerUserAccess|AWSOrganizationsFullAccess|AdministratorAccess-Amplify)$/;

/** An Allow of "*" or "iam:*" on "*": administrator by another name. */
export function documentIsAdminLike(doc: unknown): boolean {
  return statements(doc).some((s) => {
    if (s.Effect !== 'Allow') return false;
    if (s.NotAction !== undefined) return true;
    const actions = asList(s.Action);
    const resources = asList(s.Resource);
    return actions.some((a) => a === '*' || a === 'iam:*' || a === 'sts:*') && resources.includes('*');
  });
}

export const adminPolicyArn = (path = 'request.policyArn'): Condition =>
  cond(`\`${path}\` is an administrator-like managed policy (AdministratorAccess, IAMFullAccess, PowerUserAccess…)`, (e) =>
    strings(e, path).some((v) => ADMIN_POLICIES.test(v)),
  );

export const adminDocument = (path: string): Condition =>
  cond(`\`${path}\` allows \`*\` or \`iam:*\` on every resource (or uses NotAction)`, (e) => documentIsAdminLike(documentAt(e, path)));

/** Principals of a trust or resource policy document outside the account, "*" included. */
export function outsidePrincipalsOf(doc: unknown, account: string): { principal: string; externalId: boolean; narrowed: boolean }[] {
  const out: { principal: string; externalId: boolean; narrowed: boolean }[] = [];
  for (const s of statements(doc)) {
    for (const p of allowedAwsPrincipals(s)) {
      const id = accountOf(p);
      if (id && id !== account) out.push({ principal: p, externalId: hasExternalIdCondition(s), narrowed: hasNarrowingCondition(s) });
    }
  }
  return out;
}

export const trustsOutside = (path: string): Condition =>
  cond(
    `the trust policy in \`${path}\` admits a principal of another account, or \`*\``,
    (e, env) => outsidePrincipalsOf(documentAt(e, path), env.account).length > 0,
  );

/** A resource policy that lets anyone ("*") in with no condition narrowing who. */
export function documentIsPublic(doc: unknown): boolean {
  return statements(doc).some((s) => allowedAwsPrincipals(s).includes('*') && !hasNarrowingCondition(s));
}

const PUBLIC_GRANTEES = /AllUsers|AuthenticatedUsers/;
const PUBLIC_CANNED = /^(public-read|public-read-write|authenticated-read)$/;

export function aclIsPublic(e: TrailEvent): boolean {
  if (strings(e, 'request.x-amz-acl').some((v) => PUBLIC_CANNED.test(v))) return true;
  if (strings(e, 'request.AccessControlPolicy.AccessControlList.Grant.Grantee.URI').some((v) => PUBLIC_GRANTEES.test(v))) return true;
  return JSON.stringify(e.request ?? {}).match(PUBLIC_GRANTEES) !== null;
}

/** The event came with an attack tool's user agent (the tools announce themselves unless configured not to). */
export const ATTACK_TOOL_AGENTS =
  /(trufflehog|pacu|kali|parrot|powershell-empire|cloudfox|scoutsuite|prowler|S3 Browser|aws_consoler|stratus-red-team|nmap|sqlmap|endgame)/i;
export const attackTool = (e: TrailEvent): boolean => ATTACK_TOOL_AGENTS.test(e.userAgent ?? '');

/** A session opened with long-term keys or from outside the console. */
export const longTermKey = (e: TrailEvent): boolean => (e.accessKeyId ?? '').startsWith('AKIA');

export const newRegion = (e: TrailEvent, env: MatchEnv): boolean => !env.usedRegionBefore(e.region, e.time);

/** A person at their desk: a session opened with MFA, from an address the principal works from. */
export const mfaAtUsualAddress = (e: TrailEvent, env: MatchEnv): boolean => e.session?.mfa === true && env.usualAddress(e);
export const AT_DESK = 'made in a session opened with MFA, from an address the caller works from';
