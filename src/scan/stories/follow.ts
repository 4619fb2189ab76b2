/**
 * Following one credential through the trail: every call it made (the entry credential only from the
 * attacker's addresses, so the owner's own use of a leaked key stays out), every credential it handed
 * on (a role session's key, a key it created, a password it set) from the moment it did, and the
 * sessions of roles it created or re-trusted.
 */
import type { TrailEvent } from '../cloudtrail-events';
import { credentialOf, describeCredential, type Credential } from './credentials';
import { effectOf } from './effects';
import type { StoryEvent, StoryFootprint } from './model';

export interface TrailIndex {
  byCredential: Map<Credential, TrailEvent[]>;
  /** Session credentials seen acting as each role. */
  sessionsOfRole: Map<string, Map<Credential, Date>>;
}

/** The credential a person or tool acts with; an IAM user's console session (ASIA key, no issuer) is its password. */
export function followedCredential(e: TrailEvent): Credential | undefined {
  if (e.principalType === 'IAMUser' && e.userName && e.accessKeyId?.startsWith('ASIA') && !e.session?.issuerArn)
    return credentialOf({ principalType: 'IAMUser', userName: e.userName });
  return credentialOf(e);
}

export function indexTrail(events: readonly TrailEvent[]): TrailIndex {
  const byCredential = new Map<Credential, TrailEvent[]>();
  const sessionsOfRole = new Map<string, Map<Credential, Date>>();
  for (const e of [...events].sort((a, b) => a.time.getTime() - b.time.getTime())) {
    const c = followedCredential(e);
    if (!c) continue;
    byCredential.set(c, [...(byCredential.get(c) ?? []), e]);
    if (e.principalType === 'AssumedRole' && e.roleName) {
      const sessions = sessionsOfRole.get(e.roleName) ?? new Map<Credential, Date>();
      if (!sessions.has(c)) sessions.set(c, e.time);
      sessionsOfRole.set(e.roleName, sessions);
    }
  }
  return { byCredential, sessionsOfRole };
}

export interface Followed {
  credentials: Credential[];
  owners: Map<Credential, string>;
  events: TrailEvent[];
  timeline: StoryEvent[];
  footprint: StoryFootprint;
  addresses: Set<string>;
}

export function emptyFootprint(): StoryFootprint {
  return {
    users: [],
    keys: [],
    loginProfiles: [],
    roles: [],
    rolesAssumed: [],
    policies: [],
    accounts: [],
    instances: [],
    regions: [],
    disabled: [],
    sharedOut: [],
  };
}

function merge(into: StoryFootprint, add: Partial<StoryFootprint>): void {
  for (const [k, v] of Object.entries(add) as [keyof StoryFootprint, unknown[]][]) {
    const list = into[k] as unknown[];
    for (const x of v) if (!list.some((y) => JSON.stringify(y) === JSON.stringify(x))) list.push(x);
  }
}

const TIMELINE_MAX = 500;

export function follow(index: TrailIndex, entry: Credential, entryAddresses: ReadonlySet<string>): Followed {
  const since = new Map<Credential, number>([[entry, Number.NEGATIVE_INFINITY]]);
  const owners = new Map<Credential, string>();
  const queue: Credential[] = [entry];
  const events: TrailEvent[] = [];
  const footprint = emptyFootprint();
  const addresses = new Set(entryAddresses);
  const roles = new Map<string, number>();
  const handOn = (c: Credential, at: number, owner?: string): void => {
    if (since.has(c)) return;
    since.set(c, at);
    if (owner) owners.set(c, owner);
    queue.push(c);
  };
  while (queue.length) {
    const c = queue.shift() as Credential;
    const from = since.get(c) ?? 0;
    const mine = (index.byCredential.get(c) ?? []).filter(
      (e) => e.time.getTime() >= from && (c !== entry || !entryAddresses.size || !e.sourceIp || entryAddresses.has(e.sourceIp)),
    );
    for (const e of mine) {
      events.push(e);
      if (e.sourceIp && c !== entry) addresses.add(e.sourceIp);
      const effect = effectOf(e);
      merge(footprint, effect.footprint);
      for (const h of effect.handoffs) handOn(h.credential, e.time.getTime(), h.owner);
      for (const r of effect.roles) if (!roles.has(r)) roles.set(r, e.time.getTime());
    }
    // Sessions of roles the story created, re-trusted or assumed, once it had done so.
    for (const [role, at] of roles) for (const [session, first] of index.sessionsOfRole.get(role) ?? []) if (first.getTime() >= at) handOn(session, at, role);
  }
  events.sort((a, b) => a.time.getTime() - b.time.getTime());
  const timeline = events.slice(0, TIMELINE_MAX).map((e): StoryEvent => {
    const c = followedCredential(e) as Credential;
    return {
      at: e.time.toISOString(),
      actor: describeCredential(c, owners.get(c) ?? (c === entry ? e.userName : undefined)),
      event: e.eventName,
      region: e.region,
      ...(e.sourceIp ? { sourceIp: e.sourceIp } : {}),
      what: effectOf(e).what,
      ...(e.errorCode || e.signIn?.failed ? { failed: true } : {}),
    };
  });
  return { credentials: [...since.keys()], owners, events, timeline, footprint, addresses };
}
