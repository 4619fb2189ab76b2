/**
 * Checks a scan's CloudTrail report against the sandbox's own history, so the benchmark cannot pass on
 * missing data: every claim a read makes (all events of a range, the events of one lookup attribute, the
 * rows of the Athena query) must hold exactly the events the sandbox has for it, and every event of the
 * window a detection could match must lie under some claim. Events outside every claim are counted:
 * for a targeted read they are what no detection reads (kept in the report, never a pass by accident).
 */
import type { SandboxState, TrailEvent as SandboxEvent } from '@aws-ir/aws-sandbox';
import { trailEventFromRecord } from '../src/scan/cloudtrail-events';
import { ATTACK_TOOL_AGENTS } from '../src/scan/detections/conditions';
import { ANY_NAME_DETECTIONS, CATALOG_NAMES, catalogCandidate } from '../src/scan/sources/candidates';
import type { CloudTrailReport, Coverage } from '../src/scan/sources/model';

export interface RegionCoverage {
  region: string;
  strategy: string;
  /** Events of the window the sandbox holds. */
  events: number;
  /** Of them, events some complete claim covers. */
  covered: number;
  /** Events under no claim that a detection could match: must be none. */
  missedRelevant: number;
  /** Claims whose events were not all read (a page cap, a truncated read, a miscount). */
  shortClaims: string[];
  /** LookupEvents pages the region's LookupEvents claims need for their events (at least one each). */
  lookupPagesNeeded: number;
}

export interface CoverageVerdict {
  regions: RegionCoverage[];
  ok: boolean;
}

/** The sandbox's own events, newest first or not, of a region in [from, to]. */
export interface HistoryView {
  events(region: string, from: number, to: number): Iterable<SandboxEvent>;
}

const LOOKUP_ATTRIBUTE: Record<string, (e: SandboxEvent, v: string) => boolean> = {
  ReadOnly: (e, v) => String(e.readOnly) === v,
  EventName: (e, v) => e.eventName === v,
  AccessKeyId: (e, v) => e.accessKeyId === v,
  Username: (e, v) => e.userName === v,
};

const record = (e: SandboxEvent): Record<string, unknown> => e.record;

/** What the Athena events query selects (athena-sql.ts), evaluated on a record. */
function athenaSelects(e: SandboxEvent): boolean {
  if (CATALOG_NAMES.has(e.eventName)) return true;
  const r = record(e);
  const identity = (r.userIdentity ?? {}) as { type?: string };
  const error = typeof r.errorCode === 'string' ? r.errorCode : undefined;
  for (const d of ANY_NAME_DETECTIONS) {
    const m = d.match;
    const parts: boolean[] = [];
    if (m.outcome === 'failure') parts.push(!!error && (!m.errorCodes?.length || m.errorCodes.some((c) => error.includes(c))));
    if (m.identities?.length) parts.push(m.identities.includes(identity.type ?? ''));
    if (d.id === 'attack-tool-user-agent') parts.push(ATTACK_TOOL_AGENTS.test(String(r.userAgent ?? '')));
    if (parts.length && parts.every(Boolean)) return true;
  }
  return false;
}

function claimMatches(c: Coverage, e: SandboxEvent): boolean {
  const t = e.eventTime.getTime();
  const from = Date.parse(c.from);
  const to = Date.parse(c.to);
  // LookupEvents' range includes its end; a log file read or a query excludes it (the next read starts there).
  if (t < from || (c.source === 'lookup-events' ? t > to : t >= to)) return false;
  switch (c.filter.kind) {
    case 'all':
      return true;
    case 'attribute':
      return LOOKUP_ATTRIBUTE[c.filter.key]?.(e, c.filter.value) ?? false;
    case 'sql':
      return athenaSelects(e);
  }
}

export function verifyCoverage(state: SandboxState, history: HistoryView, report: CloudTrailReport, from: number, to: number): CoverageVerdict {
  const candidate = catalogCandidate(state.accountId);
  const regions: RegionCoverage[] = [];
  for (const r of report.regions) {
    const claims = r.coverage;
    const counts = claims.map(() => 0);
    let events = 0;
    let covered = 0;
    let missedRelevant = 0;
    for (const e of history.events(r.region, from, to)) {
      events++;
      let under = false;
      claims.forEach((c, i) => {
        if (!claimMatches(c, e)) return;
        counts[i] = (counts[i] ?? 0) + 1;
        if (c.complete) under = true;
      });
      if (under) {
        covered++;
        continue;
      }
      const parsed = trailEventFromRecord(record(e) as Parameters<typeof trailEventFromRecord>[0], e.region, { eventId: e.eventId, time: e.eventTime });
      if (candidate(parsed)) missedRelevant++;
    }
    // Athena's claim counts only the rows of its region; every other claim must hold exactly the sandbox's events.
    const shortClaims = claims
      .map((c, i) => ({ c, expected: counts[i] ?? 0 }))
      .filter(({ c, expected }) => !c.complete || c.events < expected)
      .map(
        ({ c, expected }) =>
          `${c.source} ${c.filter.kind === 'attribute' ? `${c.filter.key}=${c.filter.value}` : c.filter.kind}: read ${c.events} of ${expected}${c.complete ? '' : ' (stopped by its budget)'}`,
      );
    const lookupPagesNeeded = claims.reduce((n, c, i) => n + (c.source === 'lookup-events' ? Math.max(1, Math.ceil((counts[i] ?? 0) / 50)) : 0), 0);
    regions.push({ region: r.region, strategy: r.strategy, events, covered, missedRelevant, shortClaims, lookupPagesNeeded });
  }
  return { regions, ok: regions.every((x) => x.missedRelevant === 0 && x.shortClaims.length === 0) };
}
