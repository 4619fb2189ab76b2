/**
 * Runbook R4: CloudTrail event history in every enabled region, run through the detection catalog
 * (src/scan/detections), over the events trail-window.ts read from the best source per region
 * (LookupEvents whole or targeted, the trail's S3 log files, Athena). Each detection names the resource
 * it is about; a summary per principal, address and region keeps the actor's view as context. Also warns
 * when no trail is logging.
 */
import type { Trail } from '@aws-sdk/client-cloudtrail';
import { GLOBAL_SERVICE_REGION } from '../../aws/account';
import type { ActionId, ActionTarget } from '../../remediation/action-ids';
import type { TrailEvent } from '../cloudtrail-events';
import type { Check, CheckContext } from '../context';
import { inWindow, makeFinding } from '../context';
import { DETECTIONS } from '../detections/catalog';
import { indexCatalog, matches, runCatalog, type DetectionHit } from '../detections/evaluate';
import { actorTarget, describeActor, detectionFindings } from '../detections/findings';
import type { MatchEnv } from '../detections/model';
import { gapFrom } from '../errors';
import type { Finding, Gap, Severity } from '../model';
import { type ActivityHistory, activityHistory } from '../routine-activity';
import { mostSevere } from '../signals';
import { describeTrails, trailStatus } from '../sources/trail-info';
import { trailWindow } from '../trail-window';

export { MAX_PAGES_PER_REGION } from '../trail-window';

const CHECK = 'cloudtrail' as const;
const INDEX = indexCatalog(DETECTIONS);
const EVERYDAY = new Set(DETECTIONS.filter((d) => d.routine === 'everyday').flatMap((d) => d.match.events));
/** The actor summary is context: the findings naming each target carry the critical ones. */
const SUMMARY_CEILING: Severity = 'high';

export const cloudTrailCheck: Check = async (ctx) => {
  const gaps: Gap[] = [];
  const trails = new Map<string, Trail>();
  let trailListFailed = false;
  const regions = ctx.regions.includes(GLOBAL_SERVICE_REGION) ? ctx.regions : [...ctx.regions, GLOBAL_SERVICE_REGION];
  const [read] = await Promise.all([
    trailWindow(ctx),
    ...regions.map(async (region) => {
      try {
        for (const t of await describeTrails(ctx, region)) if (t.TrailARN) trails.set(t.TrailARN, t);
      } catch (err) {
        trailListFailed = true;
        gaps.push(gapFrom(CHECK, err, region));
      }
    }),
  ]);
  gaps.push(...read.gaps);
  const findings = classify(ctx, read.events, read.history);
  const trailFindings = await trailStatusFindings(ctx, [...trails.values()], gaps, !trailListFailed);
  return { findings: [...findings, ...trailFindings], gaps };
};

/**
 * Runs the catalog over `events` (the window and any baseline before it; findings come only from the
 * window): one finding per detection and named resource, one summary per actor, and a note of what AWS
 * itself did.
 */
export function classify(ctx: CheckContext, events: TrailEvent[], known?: ActivityHistory): Finding[] {
  const own = ctx.caller?.arn;
  const awsCalls: TrailEvent[] = [];
  const theirs: TrailEvent[] = [];
  for (const e of events) {
    if (own && e.principal === own) continue; // this scan's own reads
    if (e.awsOrigin) {
      // AWS's own calls are not the principal's activity: a separate note, never a signal against it.
      if (inWindow(ctx, e.time)) awsCalls.push(e);
      continue;
    }
    theirs.push(e);
  }
  // A source that streamed more events than it kept built the history from all of them.
  const history = known ?? activityHistory(theirs, (e) => EVERYDAY.has(e.eventName));
  const env: MatchEnv = {
    account: ctx.account,
    habitual: (e) => history.isHabit(e),
    usualAddress: (e) => history.isUsualAddress(e),
    usedRegionBefore: (region) => history.isWorkedRegion(region),
  };
  const hits = runCatalog(
    INDEX,
    theirs.filter((e) => inWindow(ctx, e.time)),
    env,
    history,
  );
  return [
    ...detectionFindings(ctx, hits),
    ...actorSummaries(ctx, hits),
    ...awsCallNotes(
      ctx,
      awsCalls.filter((e) => [...(INDEX.byName.get(e.eventName) ?? []), ...INDEX.anyName].some((d) => matches(d, e, env))),
    ),
  ];
}

interface ActorGroup {
  first: TrailEvent;
  hits: DetectionHit[];
}

/** Per principal, access key, address and region: what the actor did, as context for the findings naming each target. */
function actorSummaries(ctx: CheckContext, hits: DetectionHit[]): Finding[] {
  const groups = new Map<string, ActorGroup>();
  for (const h of hits) {
    const e = h.event;
    const key = [e.principal, e.accessKeyId ?? '', e.sourceIp ?? '', e.region].join('|');
    const g = groups.get(key) ?? { first: e, hits: [] };
    g.hits.push(h);
    groups.set(key, g);
  }
  const findings: Finding[] = [];
  for (const [key, g] of groups) {
    const e = g.first;
    const byEvent = new Map<TrailEvent, DetectionHit[]>();
    for (const h of g.hits) byEvent.set(h.event, [...(byEvent.get(h.event) ?? []), h]);
    const calls = [...byEvent.keys()].sort((a, b) => a.time.getTime() - b.time.getTime());
    const events: Record<string, number> = {};
    for (const c of calls) events[c.eventName] = (events[c.eventName] ?? 0) + 1;
    const names = Object.entries(events)
      .sort((a, b) => b[1] - a[1])
      .map(([n]) => n);
    const top = g.hits.reduce<Severity>((s, h) => mostSevere(s, h.severity), 'info');
    const severity = mostSevere(top, SUMMARY_CEILING) === top ? SUMMARY_CEILING : top;
    const unusual = [...new Set(g.hits.flatMap((h) => h.reasons).filter((r) => !r.startsWith('routine')))].sort();
    const target = actorTarget(e);
    const count = calls.length;
    findings.push(
      makeFinding(ctx, CHECK, key, {
        severity,
        step: 'R4',
        title: `${capitalise(describeActor(e))} made ${count} ${severity === 'low' ? 'routine ' : 'high-signal '}call${count > 1 ? 's' : ''} in ${e.region}${e.sourceIp ? ` from ${severity === 'low' ? 'its usual address ' : ''}${e.sourceIp}` : ''}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`,
        resources: [e.principal, ...(e.accessKeyId ? [e.accessKeyId] : [])],
        evidence: {
          principal: e.principal,
          principalType: e.principalType,
          accessKeyId: e.accessKeyId,
          sourceIp: e.sourceIp,
          region: e.region,
          count,
          failedCalls: calls.filter((c) => c.errorCode || c.signIn?.failed).length,
          events,
          detections: [...new Set(g.hits.map((h) => h.detection.id))].sort(),
          categories: [...new Set(g.hits.map((h) => h.detection.family))].sort(),
          ...(unusual.length ? { unusual } : {}),
          first: (calls[0] as TrailEvent).time.toISOString(),
          last: (calls[calls.length - 1] as TrailEvent).time.toISOString(),
        },
        actions: target ? ACTOR_ACTIONS[target.kind] : [],
        ...(target ? { target } : {}),
      }),
    );
  }
  return findings;
}

const ACTOR_ACTIONS: Record<ActionTarget['kind'], ActionId[]> = {
  'access-key': ['key.deactivate', 'key.delete'],
  user: ['user.deactivate-keys', 'user.quarantine'],
  role: ['role.revoke-sessions'],
  policy: [],
  instance: [],
};

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

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

/** `complete`: every region's trail list was read, so "no trail is logging" can be claimed. */
async function trailStatusFindings(ctx: CheckContext, trails: Trail[], gaps: Gap[], complete: boolean): Promise<Finding[]> {
  const statuses = await Promise.all(
    trails.map(async (t) => {
      const region = t.HomeRegion ?? ctx.clients.target.region;
      try {
        const s = await trailStatus(ctx, t, region);
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
