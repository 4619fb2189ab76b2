/**
 * Runbook R4: CloudTrail event history in every enabled region. One unfiltered, paged lookup per region
 * over the window (classified locally against the high-signal list) costs far fewer of LookupEvents'
 * 2 requests/s than one filtered lookup per event name. Also warns when no trail is logging.
 */
import { DescribeTrailsCommand, GetTrailStatusCommand, type Trail } from '@aws-sdk/client-cloudtrail';
import { GLOBAL_SERVICE_REGION } from '../../aws/account';
import type { ActionId, ActionTarget } from '../../remediation/action-ids';
import { lookupEvents, type TrailEvent } from '../cloudtrail-events';
import type { Check, CheckContext } from '../context';
import { makeFinding } from '../context';
import { gapFrom, step } from '../errors';
import type { Finding, Gap, Severity } from '../model';
import { activityHistory, judgeSignal } from '../routine-activity';
import { isAccessDeniedCode, mostSevere, signalCategory, type SignalCategory } from '../signals';

const CHECK = 'cloudtrail' as const;
/** 200 pages = 10,000 events per region: at 2 requests/s, under two minutes. */
export const MAX_PAGES_PER_REGION = 200;
const BURST_WINDOW_MS = 10 * 60_000;
const BURST_MIN_DENIED = 5;

export const cloudTrailCheck: Check = async (ctx) => {
  const gaps: Gap[] = [];
  const events: TrailEvent[] = [];
  const trails = new Map<string, Trail>();
  let regionsRead = 0;
  let trailListFailed = false;
  // IAM, STS and Organizations events are global and recorded in us-east-1 only.
  const regions = ctx.regions.includes(GLOBAL_SERVICE_REGION) ? ctx.regions : [...ctx.regions, GLOBAL_SERVICE_REGION];
  await Promise.all(
    regions.map(async (region) => {
      try {
        const res = await lookupEvents(ctx.clients, region, ctx.window, MAX_PAGES_PER_REGION);
        events.push(...res.events);
        regionsRead++;
        ctx.detail(`cloudtrail: ${region}: ${res.events.length} events in ${res.pages} page(s)`);
        if (res.truncated) {
          gaps.push({
            check: CHECK,
            region,
            reason: `only the latest ${res.events.length} events of ${region} were reviewed (more than ${MAX_PAGES_PER_REGION} pages in the window); shorten the window with --days to review all of it.`,
          });
        }
      } catch (err) {
        gaps.push(gapFrom(CHECK, err, region));
      }
      try {
        const out = await step('cloudtrail:DescribeTrails', () =>
          ctx.clients.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true })),
        );
        for (const t of out.trailList ?? []) if (t.TrailARN) trails.set(t.TrailARN, t);
      } catch (err) {
        trailListFailed = true;
        gaps.push(gapFrom(CHECK, err, region));
      }
    }),
  );
  const findings = classify(ctx, events);
  const trailFindings = await trailStatusFindings(ctx, [...trails.values()], gaps, !trailListFailed);
  if (regionsRead === 0) ctx.detail('cloudtrail: no region could be read');
  return { findings: [...findings, ...trailFindings], gaps };
};

interface Group {
  principal: string;
  principalType?: string;
  userName?: string;
  roleName?: string;
  accessKeyId?: string;
  sourceIp?: string;
  region: string;
  count: number;
  events: Record<string, number>;
  categories: Set<SignalCategory>;
  severity: Severity;
  first: Date;
  last: Date;
  failed: number;
  /** Why everyday calls (sign-ins, reconnaissance, session minting) in the group are not routine. */
  unusual: Set<string>;
}

/** Groups high-signal events by principal, access key, source IP and region. */
export function classify(ctx: CheckContext, events: TrailEvent[]): Finding[] {
  const own = ctx.caller?.arn;
  const groups = new Map<string, Group>();
  const deniedByPrincipal = new Map<string, TrailEvent[]>();
  const awsCalls: TrailEvent[] = [];
  const theirs: TrailEvent[] = [];
  for (const e of events) {
    if (own && e.principal === own) continue; // this scan's own reads
    if (e.awsOrigin) {
      // AWS's own calls are not the principal's activity: a separate note, never a signal against it.
      if (signalCategory(e.eventName)) awsCalls.push(e);
      continue;
    }
    theirs.push(e);
  }
  const history = activityHistory(theirs, (e) => signalCategory(e.eventName));
  for (const e of theirs) {
    if (isAccessDeniedCode(e.errorCode)) {
      const k = `${e.principal}|${e.region}`;
      const list = deniedByPrincipal.get(k) ?? [];
      list.push(e);
      deniedByPrincipal.set(k, list);
    }
    const category = signalCategory(e.eventName);
    if (!category) continue;
    const judged = judgeSignal(e, category, history);
    if (!judged) continue;
    const key = [e.principal, e.accessKeyId ?? '', e.sourceIp ?? '', e.region].join('|');
    let g = groups.get(key);
    if (!g) {
      g = {
        principal: e.principal,
        region: e.region,
        count: 0,
        events: {},
        categories: new Set(),
        severity: 'info',
        first: e.time,
        last: e.time,
        failed: 0,
        unusual: new Set(),
      };
      if (e.principalType) g.principalType = e.principalType;
      if (e.userName) g.userName = e.userName;
      if (e.roleName) g.roleName = e.roleName;
      if (e.accessKeyId) g.accessKeyId = e.accessKeyId;
      if (e.sourceIp) g.sourceIp = e.sourceIp;
      groups.set(key, g);
    }
    g.count++;
    g.events[e.eventName] = (g.events[e.eventName] ?? 0) + 1;
    g.categories.add(category);
    g.severity = mostSevere(g.severity, judged.severity);
    for (const r of judged.reasons) g.unusual.add(r);
    if (e.time < g.first) g.first = e.time;
    if (e.time > g.last) g.last = e.time;
    if (e.errorCode || e.signIn?.failed) g.failed++;
  }
  const findings: Finding[] = [];
  for (const [key, g] of groups) {
    const { actions, target } = responseFor(g);
    const names = Object.entries(g.events)
      .sort((a, b) => b[1] - a[1])
      .map(([n]) => n);
    findings.push(
      makeFinding(ctx, CHECK, key, {
        severity: g.severity,
        step: 'R4',
        title: `${shortPrincipal(g)} made ${g.count} ${g.severity === 'low' ? 'routine ' : 'high-signal '}call${g.count > 1 ? 's' : ''} in ${g.region}${g.sourceIp ? ` from ${g.severity === 'low' ? 'its usual address ' : ''}${g.sourceIp}` : ''}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`,
        resources: [g.principal, ...(g.accessKeyId ? [g.accessKeyId] : [])],
        evidence: {
          principal: g.principal,
          principalType: g.principalType,
          accessKeyId: g.accessKeyId,
          sourceIp: g.sourceIp,
          region: g.region,
          count: g.count,
          failedCalls: g.failed,
          events: g.events,
          categories: [...g.categories].sort(),
          ...(g.unusual.size ? { unusual: [...g.unusual].sort() } : {}),
          first: g.first.toISOString(),
          last: g.last.toISOString(),
        },
        actions,
        target,
      }),
    );
  }
  for (const [key, list] of deniedByPrincipal) {
    const burst = largestBurst(list);
    if (burst.length < BURST_MIN_DENIED) continue;
    const first = burst[0] as TrailEvent;
    const g = {
      principal: first.principal,
      principalType: first.principalType,
      userName: first.userName,
      roleName: first.roleName,
      accessKeyId: first.accessKeyId,
    } as Group;
    const { actions, target } = responseFor(g);
    const names: Record<string, number> = {};
    for (const e of burst) names[e.eventName] = (names[e.eventName] ?? 0) + 1;
    findings.push(
      makeFinding(ctx, CHECK, `${key}#denied-burst`, {
        severity: burst.length >= 20 ? 'high' : 'medium',
        step: 'R4',
        title: `${shortPrincipal(g)} hit ${burst.length} AccessDenied errors within 10 minutes in ${first.region} (reconnaissance)`,
        resources: [first.principal, ...(first.accessKeyId ? [first.accessKeyId] : [])],
        evidence: {
          principal: first.principal,
          region: first.region,
          deniedInWindow: list.length,
          burst: burst.length,
          events: names,
          sourceIps: [...new Set(burst.map((e) => e.sourceIp).filter(Boolean))],
          first: first.time.toISOString(),
          last: (burst[burst.length - 1] as TrailEvent).time.toISOString(),
        },
        actions,
        target,
      }),
    );
  }
  findings.push(...awsCallNotes(ctx, awsCalls));
  return findings;
}

/** One info note per region for the high-signal calls AWS made itself, with what it did and to whom. */
function awsCallNotes(ctx: CheckContext, calls: TrailEvent[]): Finding[] {
  const byRegion = new Map<string, TrailEvent[]>();
  for (const e of calls) byRegion.set(e.region, [...(byRegion.get(e.region) ?? []), e]);
  return [...byRegion].map(([region, list]) => {
    const sorted = [...list].sort((a, b) => a.time.getTime() - b.time.getTime());
    const events: Record<string, number> = {};
    for (const e of sorted) events[e.eventName] = (events[e.eventName] ?? 0) + 1;
    const origins = [...new Set(sorted.map((e) => e.awsOrigin as string))];
    const names = Object.keys(events);
    return makeFinding(ctx, CHECK, `aws-origin|${region}`, {
      severity: 'info',
      step: 'R4',
      title: `AWS itself made ${sorted.length} high-signal call${sorted.length > 1 ? 's' : ''} in ${region}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''} (${origins.join('; ')})`,
      resources: [...new Set(sorted.flatMap((e) => e.resources))],
      evidence: {
        region,
        origins,
        count: sorted.length,
        events,
        // The identities CloudTrail recorded them under: AWS acted, not these principals.
        recordedAs: [...new Set(sorted.map((e) => e.principal))],
        first: (sorted[0] as TrailEvent).time.toISOString(),
        last: (sorted[sorted.length - 1] as TrailEvent).time.toISOString(),
      },
    });
  });
}

function largestBurst(list: TrailEvent[]): TrailEvent[] {
  const sorted = [...list].sort((a, b) => a.time.getTime() - b.time.getTime());
  let best: TrailEvent[] = [];
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as TrailEvent).time.getTime() - (sorted[lo] as TrailEvent).time.getTime() > BURST_WINDOW_MS) lo++;
    if (hi - lo + 1 > best.length) best = sorted.slice(lo, hi + 1);
  }
  return best;
}

function shortPrincipal(g: Pick<Group, 'principal' | 'userName' | 'roleName' | 'principalType' | 'accessKeyId'>): string {
  if (g.principalType === 'Root') return 'The root user';
  if (g.principalType === 'IAMUser' && g.userName) return `IAM user ${g.userName}${g.accessKeyId ? ` (key ${g.accessKeyId})` : ''}`;
  if (g.principalType === 'AssumedRole' && g.roleName) return `Role ${g.roleName}`;
  return g.principal;
}

/** Long-term user keys (AKIA…) can be deactivated; sessions of a role can be revoked. */
function responseFor(g: Pick<Group, 'principalType' | 'userName' | 'roleName' | 'accessKeyId'>): { actions: ActionId[]; target?: ActionTarget } {
  if (g.principalType === 'IAMUser' && g.userName && g.accessKeyId?.startsWith('AKIA')) {
    return { actions: ['key.deactivate', 'key.delete'], target: { kind: 'access-key', userName: g.userName, accessKeyId: g.accessKeyId } };
  }
  if (g.principalType === 'IAMUser' && g.userName) {
    return { actions: ['user.deactivate-keys', 'user.quarantine'], target: { kind: 'user', userName: g.userName } };
  }
  if (g.principalType === 'AssumedRole' && g.roleName) {
    return { actions: ['role.revoke-sessions'], target: { kind: 'role', roleName: g.roleName } };
  }
  return { actions: [] };
}

/** `complete`: every region's trail list was read, so "no trail is logging" can be claimed. */
async function trailStatusFindings(ctx: CheckContext, trails: Trail[], gaps: Gap[], complete: boolean): Promise<Finding[]> {
  const statuses = await Promise.all(
    trails.map(async (t) => {
      const region = t.HomeRegion ?? ctx.clients.target.region;
      try {
        const s = await step('cloudtrail:GetTrailStatus', () => ctx.clients.cloudTrail(region).send(new GetTrailStatusCommand({ Name: t.TrailARN })));
        return { trail: t, logging: s.IsLogging === true, stoppedAt: s.StopLoggingTime };
      } catch (err) {
        gaps.push(gapFrom(CHECK, err, region));
        return undefined;
      }
    }),
  );
  const known = statuses.filter((s): s is NonNullable<typeof s> => !!s);
  const findings: Finding[] = [];
  if (complete && known.length === trails.length && !known.some((s) => s.logging)) {
    findings.push(
      makeFinding(ctx, CHECK, 'no-logging-trail', {
        severity: 'high',
        step: 'R4',
        title: trails.length ? 'No CloudTrail trail is logging' : 'The account has no CloudTrail trail',
        resources: trails.map((t) => t.TrailARN ?? t.Name ?? 'trail'),
        evidence: {
          trails: known.map((s) => ({ name: s.trail.Name, homeRegion: s.trail.HomeRegion, logging: s.logging, stoppedAt: s.stoppedAt?.toISOString() })),
          consequence: 'Event history keeps only 90 days of management events; nothing is archived for the investigation.',
        },
      }),
    );
  }
  for (const s of known) {
    if (s.logging || !s.trail.TrailARN) continue;
    findings.push(
      makeFinding(ctx, CHECK, `${s.trail.TrailARN}#stopped`, {
        severity: s.stoppedAt && s.stoppedAt >= ctx.window.start ? 'critical' : 'medium',
        step: 'R4',
        title: `CloudTrail trail ${s.trail.Name ?? s.trail.TrailARN} is not logging${s.stoppedAt ? ` (stopped ${s.stoppedAt.toISOString()})` : ''}`,
        resources: [s.trail.TrailARN],
        evidence: { homeRegion: s.trail.HomeRegion, multiRegion: s.trail.IsMultiRegionTrail, stoppedAt: s.stoppedAt?.toISOString() },
      }),
    );
  }
  return findings;
}
