/**
 * Which findings belong to a story: the CloudTrail findings its credentials made (above routine), and
 * the findings of the other checks about what it touched — its entry user, the users, keys and roles
 * it created, the instances it started, the accounts it made, and the spend in the regions it used.
 */
import type { Finding } from '../model';
import { SEVERITY_RANK } from '../signals';
import { credentialOfFinding, type Credential } from './credentials';
import type { StoryEntry, StoryFootprint } from './model';

export interface Reach {
  credentials: ReadonlySet<Credential>;
  entry: StoryEntry;
  footprint: StoryFootprint;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Account ids and names of the accounts the story created or invited (names resolve to ids through the Organizations findings). */
export function storyAccounts(reach: Reach, findings: readonly Finding[]): Set<string> {
  const accounts = new Set(reach.footprint.accounts);
  for (const f of findings)
    if (f.check === 'organizations' && typeof f.evidence.name === 'string' && accounts.has(f.evidence.name) && typeof f.evidence.accountId === 'string')
      accounts.add(f.evidence.accountId);
  return accounts;
}

export function belongs(f: Finding, reach: Reach, accounts: ReadonlySet<string>): boolean {
  const fp = reach.footprint;
  const cred = credentialOfFinding(f);
  if (cred) return reach.credentials.has(cred) && SEVERITY_RANK[f.severity] <= SEVERITY_RANK.medium;
  // A routine CloudTrail note without a followable actor is not part of anything.
  if (f.check === 'cloudtrail' && SEVERITY_RANK[f.severity] > SEVERITY_RANK.medium) return false;
  const users = new Set([...fp.users, ...fp.loginProfiles, ...(reach.entry.userName ? [reach.entry.userName] : [])]);
  const roles = new Set([...fp.roles, ...(reach.entry.roleName ? [reach.entry.roleName] : [])]);
  const instances = new Set(fp.instances.map((i) => i.id));
  const t = f.target;
  if (t?.kind === 'access-key' && reach.credentials.has(t.accessKeyId)) return true;
  if (t?.kind === 'instance' && instances.has(t.instanceId)) return true;
  if (t?.kind === 'role' && roles.has(t.roleName)) return true;
  // Users: what the story did with them, not their unrelated hygiene (an idle key, no MFA on someone else).
  if ((t?.kind === 'user' || t?.kind === 'access-key') && users.has(t.userName))
    return f.severity !== 'low' || f.check !== 'credential-report' || fp.users.includes(t.userName);
  if (f.check === 'last-accessed') {
    const name = /^(?:IAM user|Role) (\S+) used/.exec(f.title)?.[1];
    return !!name && (users.has(name) || roles.has(name));
  }
  if (f.check === 'organizations') {
    const parties = Array.isArray(f.evidence.parties) ? f.evidence.parties.map(String) : [];
    return (typeof f.evidence.accountId === 'string' && accounts.has(f.evidence.accountId)) || parties.some((p) => accounts.has(p.replace(/^ACCOUNT:/, '')));
  }
  if (f.check === 'cost') return costShare(f, reach, accounts) > 0;
  return f.resources.some((r) => instances.has(r));
}

/** The spend a cost finding puts on the story: new spend in a region it started instances in, or in an account it created. */
export function costShare(f: Finding, reach: Reach, accounts: ReadonlySet<string>): number {
  if (f.check !== 'cost') return 0;
  const ev = f.evidence;
  const regions = new Set([...reach.footprint.regions, ...reach.footprint.instances.map((i) => i.region)]);
  const delta = Math.max(0, num(ev.current) - num(ev.previous));
  if (typeof ev.region === 'string' && regions.has(ev.region)) return delta;
  if (typeof ev.linkedAccount === 'string' && accounts.has(ev.linkedAccount)) return delta;
  return 0;
}
