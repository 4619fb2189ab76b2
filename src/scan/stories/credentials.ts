/**
 * Which credential made a call, as one string a story can follow: a key id (long-term AKIA or a
 * session's ASIA), "root" for the root user's password sessions, or "password:NAME" for a user's
 * console sign-ins. Findings name their actor the same way, so a finding and an event meet.
 */
import type { TrailEvent } from '../cloudtrail-events';
import type { Finding } from '../model';
import type { StoryEntry } from './model';

export type Credential = string;

export const ROOT: Credential = 'root';
export const passwordOf = (user: string): Credential => `password:${user}`;

/** The credential behind a CloudTrail event, if it can be followed. */
export function credentialOf(e: Pick<TrailEvent, 'principalType' | 'accessKeyId' | 'userName'>): Credential | undefined {
  // The root user's console sessions use short-lived ASIA keys; a root AKIA key is its own way in.
  if (e.principalType === 'Root') return e.accessKeyId?.startsWith('AKIA') ? e.accessKeyId : ROOT;
  if (e.accessKeyId) return e.accessKeyId;
  if (e.principalType === 'IAMUser' && e.userName) return passwordOf(e.userName);
  return undefined;
}

const ACTOR_USER = /^IAM user (\S+)$/;

/** The credential a CloudTrail finding was made with (detection findings and actor summaries alike). */
export function credentialOfFinding(f: Finding): Credential | undefined {
  if (f.check !== 'cloudtrail') return undefined;
  const ev = f.evidence;
  const key = typeof ev.accessKeyId === 'string' ? ev.accessKeyId : undefined;
  const actors = Array.isArray(ev.actors) ? ev.actors.filter((a): a is string => typeof a === 'string') : [];
  const root = ev.principalType === 'Root' || actors.includes('the root user');
  if (root) return key?.startsWith('AKIA') ? key : ROOT;
  if (key) return key;
  if (ev.principalType === 'IAMUser' && typeof ev.principal === 'string') return passwordOf(ev.principal.split('/').pop() ?? ev.principal);
  const user = actors.length === 1 ? ACTOR_USER.exec(actors[0] as string)?.[1] : undefined;
  return user ? passwordOf(user) : undefined;
}

/** The addresses a finding saw its actor at. */
export function addressesOfFinding(f: Finding): string[] {
  const ev = f.evidence;
  const many = Array.isArray(ev.sourceIps) ? ev.sourceIps.filter((a): a is string => typeof a === 'string') : [];
  return typeof ev.sourceIp === 'string' ? [...many, ev.sourceIp] : many;
}

/** The entry of a story that starts at `c`, named from an event the credential made. */
export function entryOf(c: Credential, seen: Pick<TrailEvent, 'userName' | 'roleName' | 'principalType'> | undefined): StoryEntry {
  if (c === ROOT) return { kind: 'root', id: ROOT, label: "the root user's password" };
  if (c.startsWith('password:')) {
    const user = c.slice('password:'.length);
    return { kind: 'password', id: user, userName: user, label: `console password of IAM user ${user}` };
  }
  if (seen?.principalType === 'AssumedRole' && seen.roleName)
    return { kind: 'role-session', id: c, roleName: seen.roleName, label: `session ${c} of role ${seen.roleName}` };
  if (seen?.principalType === 'Root') return { kind: 'access-key', id: c, label: `root access key ${c}` };
  const user = seen?.userName;
  return { kind: 'access-key', id: c, ...(user ? { userName: user } : {}), label: user ? `access key ${c} of ${user}` : `access key ${c}` };
}

/** A credential as a person reads it in a timeline line. */
export function describeCredential(c: Credential, owner?: string): string {
  if (c === ROOT) return 'root user';
  if (c.startsWith('password:')) return `${c.slice('password:'.length)} (console)`;
  return owner ? `${owner} (${c})` : c;
}
