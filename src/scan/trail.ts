/**
 * Runbook D3: the CloudTrail event history of one principal (`/aws-ir trail`, `aws-ir trail`) across
 * every enabled region. LookupEvents allows one attribute per call: an access key id is looked up by
 * AccessKeyId, a user by Username, a role by ResourceName (calls that assume or change it) — sessions of
 * a role are named by whoever assumed it, so the role's own name is the reliable handle.
 */
import type { LookupAttribute } from '@aws-sdk/client-cloudtrail';
import { GLOBAL_SERVICE_REGION } from '../aws/account';
import type { AwsClients } from '../aws/clients';
import { enabledRegions } from '../aws/regions';
import { withRequestPriority } from '../aws/rate-limit';
import { lookupEvents, type TrailEvent } from './cloudtrail-events';
import { type CacheAttribute, cacheAccount, processEventCache } from './sources/event-cache';
import { failureReason, step } from './errors';
import { checkIdentity, roleSessions, type IdentityCheck, type RoleSession } from './trail-identity';

export type PrincipalKind = 'access-key' | 'user' | 'role';

export interface PrincipalRef {
  kind: PrincipalKind;
  name: string;
}

export interface PrincipalActivityInput {
  /** An access key id (AKIA…/ASIA…), a user name, a role name, `user/NAME`, `role/NAME`, or a user or role ARN. */
  principal: string;
  /** Default: every enabled region. */
  regions?: string[];
  /** Default: the last 7 days. */
  window?: { start: Date; end: Date };
  /** Page cap per region (50 events a page). */
  maxPagesPerRegion?: number;
}

export interface ActivityEvent {
  time: string;
  name: string;
  source?: string;
  sourceIp?: string;
  error?: string;
  principal: string;
  accessKeyId?: string;
  resources: string[];
  /** AWS made this call itself (e.g. its quarantine of a leaked key), though recorded under the principal. */
  byAws?: string;
}

export interface RegionActivity {
  region: string;
  events: ActivityEvent[];
  /** Event name -> count. */
  counts: Record<string, number>;
  truncated: boolean;
}

export interface PrincipalActivity {
  principal: PrincipalRef;
  /** Whether IAM knows the user, role or key (false: it does not exist; absent: could not tell), with close names. */
  identity?: IdentityCheck;
  /** For a role: who assumed it, when and from where, with what each session did (regions' events by its key). */
  sessions?: (RoleSession & { events: number; eventNames: string[] })[];
  window: { start: string; end: string };
  regions: RegionActivity[];
  totalEvents: number;
  sourceIps: string[];
  gaps: { region?: string; reason: string }[];
}

export class InvalidPrincipalError extends Error {
  readonly code = 'aws_ir_invalid_principal';
  constructor(readonly input: string) {
    super(`"${input}" is not an access key id, IAM user name or role name.`);
    this.name = 'InvalidPrincipalError';
  }
}

const ACCESS_KEY = /^(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,124}$/;
const NAME = /^[\w+=,.@-]{1,128}$/;

export function parsePrincipal(raw: string): PrincipalRef {
  const v = raw.trim();
  if (ACCESS_KEY.test(v) && /^(AKIA|ASIA)/.test(v)) return { kind: 'access-key', name: v };
  const arn = /^arn:aws[a-z-]*:iam::\d{12}:(user|role)\/(?:.*\/)?([^/]+)$/.exec(v);
  if (arn) return { kind: arn[1] as 'user' | 'role', name: arn[2] as string };
  const prefixed = /^(user|role)\/([^/]+)$/.exec(v);
  if (prefixed && NAME.test(prefixed[2] as string)) return { kind: prefixed[1] as 'user' | 'role', name: prefixed[2] as string };
  if (NAME.test(v)) return { kind: 'user', name: v };
  throw new InvalidPrincipalError(raw);
}

function attributeFor(p: PrincipalRef): LookupAttribute {
  switch (p.kind) {
    case 'access-key':
      return { AttributeKey: 'AccessKeyId', AttributeValue: p.name };
    case 'user':
      return { AttributeKey: 'Username', AttributeValue: p.name };
    case 'role':
      return { AttributeKey: 'ResourceName', AttributeValue: p.name };
  }
}

const DEFAULT_PAGES = 20;

/**
 * A person's lookup: its requests go before a running scan's (which keeps a fixed share, see
 * rate-limit.ts), and what a scan of the same window already read is not fetched again.
 */
export function principalActivity(clients: AwsClients, input: PrincipalActivityInput): Promise<PrincipalActivity> {
  return withRequestPriority('interactive', () => lookUpPrincipal(clients, input));
}

async function lookUpPrincipal(clients: AwsClients, input: PrincipalActivityInput): Promise<PrincipalActivity> {
  const principal = parsePrincipal(input.principal);
  const end = input.window?.end ?? new Date();
  const start = input.window?.start ?? new Date(end.getTime() - 7 * 86_400_000);
  const gaps: PrincipalActivity['gaps'] = [];
  let regions = input.regions;
  if (!regions?.length) {
    try {
      regions = (await step('ec2:DescribeRegions', () => enabledRegions(clients))).enabled;
    } catch (err) {
      regions = [GLOBAL_SERVICE_REGION];
      gaps.push({ reason: `could not list the account's regions (${failureReason(err)}); only ${GLOBAL_SERVICE_REGION} was searched.` });
    }
  }
  const attribute = attributeFor(principal);
  const raw: TrailEvent[] = [];
  const identity = checkIdentity(clients, principal).catch((): IdentityCheck => ({}));
  const perRegion = await Promise.all(
    regions.map(async (region): Promise<RegionActivity | undefined> => {
      try {
        const res = await cachedLookup(clients, region, { start, end }, input.maxPagesPerRegion ?? DEFAULT_PAGES, attribute);
        if (res.truncated) gaps.push({ region, reason: `only the latest ${res.events.length} events in ${region} were read.` });
        raw.push(...res.events);
        return summarise(region, res.events, res.truncated);
      } catch (err) {
        gaps.push({ region, reason: failureReason(err, region) });
        return undefined;
      }
    }),
  );
  const withEvents = perRegion.filter((r): r is RegionActivity => !!r && r.events.length > 0);
  const sourceIps = new Set<string>();
  // Where the principal's own calls came from: AWS's calls on its behalf come from AWS's addresses.
  for (const r of withEvents) for (const e of r.events) if (e.sourceIp && !e.byAws) sourceIps.add(e.sourceIp);
  const sessions =
    principal.kind === 'role'
      ? await sessionActivity(clients, roleSessions(await withAssumeRoles(clients, raw, regions, { start, end }), principal.name), regions, { start, end })
      : undefined;
  return {
    principal,
    identity: await identity,
    ...(sessions?.length ? { sessions } : {}),
    window: { start: start.toISOString(), end: end.toISOString() },
    regions: withEvents,
    totalEvents: withEvents.reduce((a, r) => a + r.events.length, 0),
    sourceIps: [...sourceIps].sort(),
    gaps,
  };
}

/**
 * LookupEvents for one attribute over [start, end], answered from the event cache where a scan read that
 * stretch (every event, or this attribute), and from AWS for the rest (usually the minutes since the scan).
 */
async function cachedLookup(
  clients: AwsClients,
  region: string,
  window: { start: Date; end: Date },
  maxPages: number,
  attribute: LookupAttribute,
): Promise<{ events: TrailEvent[]; truncated: boolean }> {
  const key = attribute.AttributeKey as CacheAttribute['key'];
  const hit = processEventCache.lookup(cacheAccount(clients), region, { key, value: attribute.AttributeValue ?? '' }, window.start, window.end);
  if (!hit) return lookupEvents(clients, region, window, maxPages, attribute);
  const parts: { start: Date; end: Date }[] = [];
  if (hit.to < window.end) parts.push({ start: hit.to, end: window.end });
  if (hit.from > window.start) parts.push({ start: window.start, end: hit.from });
  const events = [...hit.events];
  let truncated = false;
  for (const part of parts) {
    const res = await lookupEvents(clients, region, part, maxPages, attribute);
    events.push(...res.events);
    truncated ||= res.truncated;
  }
  // The stretches meet at their edges: an event on an edge may come twice.
  const seen = new Set<string>();
  return {
    events: events.filter((e) => !e.eventId || (!seen.has(e.eventId) && !!seen.add(e.eventId))),
    truncated,
  };
}

const SESSIONS_FOLLOWED = 5;
const ASSUME_ROLE_PAGES = 4;

/** A role's lookup by name may miss AssumeRole calls that do not list it as a resource: read them by event name too. */
async function withAssumeRoles(clients: AwsClients, events: TrailEvent[], regions: string[], window: { start: Date; end: Date }): Promise<TrailEvent[]> {
  const seen = new Set(events.map((e) => e.eventId).filter(Boolean));
  const more = await Promise.all(
    regions.map((region) =>
      lookupEvents(clients, region, window, ASSUME_ROLE_PAGES, { AttributeKey: 'EventName', AttributeValue: 'AssumeRole' })
        .then((r) => r.events)
        .catch((): TrailEvent[] => []),
    ),
  );
  return [...events, ...more.flat().filter((e) => !e.eventId || !seen.has(e.eventId))];
}

/** What each session of a role did: its calls, looked up by the session's key in every region. */
async function sessionActivity(
  clients: AwsClients,
  sessions: RoleSession[],
  regions: string[],
  window: { start: Date; end: Date },
): Promise<NonNullable<PrincipalActivity['sessions']>> {
  return Promise.all(
    sessions.slice(-SESSIONS_FOLLOWED).map(async (s) => {
      if (!s.accessKeyId) return { ...s, events: 0, eventNames: [] };
      const found = await Promise.all(
        regions.map((region) =>
          lookupEvents(clients, region, window, 4, { AttributeKey: 'AccessKeyId', AttributeValue: s.accessKeyId as string })
            .then((r) => r.events)
            .catch((): TrailEvent[] => []),
        ),
      );
      const events = found.flat();
      return { ...s, events: events.length, eventNames: [...new Set(events.map((e) => e.eventName))].slice(0, 10) };
    }),
  );
}

function summarise(region: string, events: TrailEvent[], truncated: boolean): RegionActivity {
  const counts: Record<string, number> = {};
  const out = [...events]
    .sort((a, b) => b.time.getTime() - a.time.getTime())
    .map((e): ActivityEvent => {
      counts[e.eventName] = (counts[e.eventName] ?? 0) + 1;
      const a: ActivityEvent = { time: e.time.toISOString(), name: e.eventName, principal: e.principal, resources: e.resources };
      if (e.eventSource) a.source = e.eventSource;
      if (e.sourceIp) a.sourceIp = e.sourceIp;
      if (e.errorCode) a.error = e.errorCode;
      if (e.accessKeyId) a.accessKeyId = e.accessKeyId;
      if (e.awsOrigin) a.byAws = e.awsOrigin;
      return a;
    });
  return { region, events: out, counts, truncated };
}
