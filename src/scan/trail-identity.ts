/**
 * What a trail lookup must not leave unsaid: whether the user, role or key looked up exists at all
 * (an empty trail for a typo reads like a quiet principal), which names are close when it does not,
 * and for a role, who assumed it and what the sessions did (followed by their session keys).
 */
import { GetAccessKeyLastUsedCommand, GetRoleCommand, GetUserCommand, ListRolesCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import type { AwsClients } from '../aws/clients';
import type { TrailEvent } from './cloudtrail-events';
import { step } from './errors';
import type { PrincipalRef } from './trail';

export interface IdentityCheck {
  /** False: IAM says there is no such user, role or key in the account; undefined: could not tell. */
  exists?: boolean;
  /** For a user or role that does not exist: the closest names that do. */
  suggestions?: string[];
  /** The user an access key belongs to, when IAM says. */
  owner?: string;
}

export interface RoleSession {
  assumedBy: string;
  at: string;
  sourceIp?: string;
  /** The session's temporary key, from AssumeRole's response; its calls are looked up by it. */
  accessKeyId?: string;
}

const SUGGESTIONS = 3;
const LIST_PAGES = 20;

function errorName(err: unknown): string {
  if (err && typeof err === 'object' && 'cause' in err) return errorName((err as { cause: unknown }).cause);
  return err instanceof Error ? err.name : '';
}

/** Edit distance, for "did you mean". */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

export function closest(name: string, names: readonly string[]): string[] {
  const max = Math.max(2, Math.floor(name.length / 3));
  return names
    .map((n) => ({ n, d: n.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(n.toLowerCase()) ? 1 : distance(name, n) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, SUGGESTIONS)
    .map((x) => x.n);
}

async function names(clients: AwsClients, kind: 'user' | 'role'): Promise<string[]> {
  const out: string[] = [];
  let marker: string | undefined;
  for (let page = 0; page < LIST_PAGES; page++) {
    if (kind === 'user') {
      const res = await step('iam:ListUsers', () => clients.iam().send(new ListUsersCommand({ Marker: marker })));
      out.push(...(res.Users ?? []).map((u) => u.UserName ?? '').filter(Boolean));
      marker = res.IsTruncated ? res.Marker : undefined;
    } else {
      const res = await step('iam:ListRoles', () => clients.iam().send(new ListRolesCommand({ Marker: marker })));
      out.push(...(res.Roles ?? []).map((r) => r.RoleName ?? '').filter(Boolean));
      marker = res.IsTruncated ? res.Marker : undefined;
    }
    if (!marker) break;
  }
  return out;
}

export async function checkIdentity(clients: AwsClients, p: PrincipalRef): Promise<IdentityCheck> {
  try {
    if (p.kind === 'user') await step('iam:GetUser', () => clients.iam().send(new GetUserCommand({ UserName: p.name })));
    else if (p.kind === 'role') await step('iam:GetRole', () => clients.iam().send(new GetRoleCommand({ RoleName: p.name })));
    else {
      // Session keys (ASIA) are not IAM's; only long-term keys can be asked about.
      if (!p.name.startsWith('AKIA')) return {};
      const res = await step('iam:GetAccessKeyLastUsed', () => clients.iam().send(new GetAccessKeyLastUsedCommand({ AccessKeyId: p.name })));
      return { exists: true, ...(res.UserName ? { owner: res.UserName } : {}) };
    }
    return { exists: true };
  } catch (err) {
    const name = errorName(err);
    // AWS answers AccessDenied for a key id that is not the account's (it does not say whether it exists elsewhere).
    const missing = name === 'NoSuchEntityException' || name === 'NoSuchEntity' || (p.kind === 'access-key' && name === 'AccessDenied');
    if (!missing) return {};
    if (p.kind === 'access-key') return { exists: false };
    try {
      return { exists: false, suggestions: closest(p.name, await names(clients, p.kind)) };
    } catch {
      return { exists: false };
    }
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Who assumed the role, from the AssumeRole events a role lookup returns, with each session's key. */
export function roleSessions(events: readonly TrailEvent[], role: string): RoleSession[] {
  return events
    .filter(
      (e) =>
        e.eventName === 'AssumeRole' &&
        !e.errorCode &&
        (str(e.request?.roleArn)?.endsWith(`/${role}`) ?? e.resources.some((r) => r.endsWith(`/${role}`) || r === role)),
    )
    .map((e): RoleSession => {
      const creds = e.response?.credentials;
      const key = creds && typeof creds === 'object' ? str((creds as Record<string, unknown>).accessKeyId) : undefined;
      return {
        assumedBy: e.principal,
        at: e.time.toISOString(),
        ...(e.sourceIp ? { sourceIp: e.sourceIp } : {}),
        ...(key ? { accessKeyId: key } : {}),
      };
    })
    .sort((a, b) => a.at.localeCompare(b.at));
}
