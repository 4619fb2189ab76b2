/**
 * LookupEvents when a region's window is too large to read whole at 2 requests/s: the write events
 * (ReadOnly=false) and each read-only event name of the catalog, or, when even the writes are too many,
 * one query per event name of the catalog — most important first (evasion and credential events before
 * discovery) — then the whole activity of every key and user the detections implicated (AccessKeyId,
 * Username), and of root. What no query covered is said, never dropped.
 */
import type { AwsClients } from '../../aws/clients';
import type { TrailEvent } from '../cloudtrail-events';
import { DETECTIONS } from '../detections/catalog';
import { indexCatalog, runCatalog } from '../detections/evaluate';
import type { Family, MatchEnv } from '../detections/model';
import { SEVERITY_RANK } from '../signals';
import { CATALOG_NAMES } from './candidates';
import type { EventCollector } from './collector';
import { cacheAccount, processEventCache } from './event-cache';
import { estimateEvents, lookupPage, pagesFor, readLookup, type LookupPage } from './lookup-reader';
import type { Coverage, LookupKey, RegionReport } from './model';

/** Pages a region's targeted queries may take in all (at 2 per second, 12.5 minutes). */
export const TARGETED_MAX_PAGES = 1500;
/**
 * Pages one query may take (30,000 events), so one frequent call cannot starve the rest; enough for a
 * busy CI key's week, whose first day is where a leaked key's first use hides.
 */
export const QUERY_MAX_PAGES = 600;
/** Keys and users whose whole activity is read, most severe first. */
export const MAX_IMPLICATED = 20;

const FAMILY_ORDER: Family[] = [
  'defense-evasion',
  'credential-access',
  'privilege-escalation',
  'persistence',
  'account-takeover',
  'exfiltration',
  'resource-abuse',
  'lateral-movement',
  'discovery',
];

/** Catalog event names, most important family first (a name counts in its most important family). */
export function prioritisedNames(): string[] {
  const rank = (name: string): number => Math.min(...(CATALOG_NAMES.get(name) ?? []).map((d) => FAMILY_ORDER.indexOf(d.family)));
  return [...CATALOG_NAMES.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * Names CloudTrail may record as read-only: reads, and sign-in and STS calls (AssumeRole and
 * GetSessionToken are read-only events). ReadOnly=false does not return these, so each gets its own query.
 */
export function mayBeReadOnly(name: string): boolean {
  if (/^(Get|List|Describe|Head|Lookup|Search|BatchGet|Simulate|Check)/.test(name)) return true;
  return (CATALOG_NAMES.get(name) ?? []).some((d) => d.match.source === 'sts.amazonaws.com' || d.match.source === 'signin.amazonaws.com');
}

type Query = { key: LookupKey; value: string };

/** The first-phase queries of a strategy. Root's whole activity is always read: root calls anything. */
export function firstPhase(strategy: 'write-events' | 'event-names'): Query[] {
  const names = prioritisedNames();
  const root: Query = { key: 'Username', value: 'root' };
  if (strategy === 'event-names') return [root, ...names.map((value): Query => ({ key: 'EventName', value }))];
  return [{ key: 'ReadOnly', value: 'false' }, root, ...names.filter(mayBeReadOnly).map((value): Query => ({ key: 'EventName', value }))];
}

export interface Implicated {
  keys: string[];
  users: string[];
  /** More than MAX_IMPLICATED of either. */
  dropped: number;
}

const INDEX = indexCatalog(DETECTIONS);

/** Keys and users the kept events implicate at medium or above (judged with the history read so far), most severe first. */
export function implicatedPrincipals(collector: EventCollector, account: string, own: string | undefined, window: { start: Date; end: Date }): Implicated {
  const history = collector.activityHistory();
  const env: MatchEnv = {
    account,
    habitual: (e) => history.isHabit(e),
    usualAddress: (e) => history.isUsualAddress(e),
    usedRegionBefore: (region) => history.isWorkedRegion(region),
  };
  const theirs = collector.events.filter((e) => !e.awsOrigin && e.principal !== own && e.time >= window.start && e.time <= window.end);
  const hits = runCatalog(INDEX, theirs, env, history)
    .filter((h) => SEVERITY_RANK[h.severity] <= SEVERITY_RANK.medium)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
  const keys = new Set<string>();
  const users = new Set<string>();
  const owner = new Map<string, string>();
  for (const h of hits) {
    const e: TrailEvent = h.event;
    if (e.accessKeyId) keys.add(e.accessKeyId);
    if (e.userName && e.principalType !== 'Root') users.add(e.userName);
    if (e.accessKeyId && e.principalType === 'IAMUser' && e.userName) owner.set(e.accessKeyId, e.userName);
    for (const t of h.targets) {
      if (t.kind !== 'access-key') continue;
      keys.add(t.name);
      if (t.userName) owner.set(t.name, t.userName);
    }
  }
  // A user's Username lookup returns every call of all its keys: its keys need no lookup of their own.
  const k = [...keys].filter((key) => !users.has(owner.get(key) ?? ''));
  const u = [...users];
  return {
    keys: k.slice(0, MAX_IMPLICATED),
    users: u.slice(0, MAX_IMPLICATED),
    dropped: Math.max(0, k.length - MAX_IMPLICATED) + Math.max(0, u.length - MAX_IMPLICATED),
  };
}

export interface TargetedInput {
  clients: AwsClients;
  region: string;
  from: Date;
  to: Date;
  collector: EventCollector;
  account: string;
  own?: string;
  window: { start: Date; end: Date };
  /** The unfiltered first page already read (the volume probe). */
  probe?: LookupPage;
  estimatedEvents?: number;
  budgetPages?: number;
}

/** Reads a region with targeted queries; the report says what was covered and what was not. */
export async function readTargeted(input: TargetedInput): Promise<RegionReport> {
  const { clients, region, from, to, collector } = input;
  const sink = (e: TrailEvent): void => collector.add(e);
  let budget = input.budgetPages ?? TARGETED_MAX_PAGES;
  const coverage: Coverage[] = [];
  const notCovered: string[] = [];
  let requests = 0;
  let bytes = 0;
  let eventsRead = 0;
  if (input.probe) {
    // The probe's events are real events of the window: keep them.
    for (const e of input.probe.events) sink(e);
    requests++;
    bytes += input.probe.bytes;
  }

  // Writes fit when their estimated pages and the read-only names' first pages stay within the budget.
  const writesProbe = await lookupPage(clients, { region, from, to, attribute: { key: 'ReadOnly', value: 'false' } });
  requests++;
  bytes += writesProbe.bytes;
  budget--;
  const writes = estimateEvents(writesProbe, from, to);
  const readNames = prioritisedNames().filter(mayBeReadOnly).length;
  // Half the budget at most, so the implicated keys' and users' whole activity still fits after it.
  const strategy = pagesFor(writes) + readNames + 1 <= budget / 2 ? 'write-events' : 'event-names';

  const run = async (q: Query, maxPages: number, first?: LookupPage): Promise<void> => {
    if (budget <= 0) {
      notCovered.push(
        `${q.key}=${q.value} in ${region}: not read, the region's budget of ${input.budgetPages ?? TARGETED_MAX_PAGES} LookupEvents pages was spent.`,
      );
      return;
    }
    // A query that goes on from a page already read (and paid for) may take one page more.
    const cache = processEventCache.open(cacheAccount(clients), region, to, q);
    const query = { region, from, to, attribute: q, maxPages: Math.min(maxPages, budget) + (first ? 1 : 0), cache, ...(first ? { first } : {}) };
    const r = await readLookup(clients, query, sink);
    budget -= first ? r.pages - 1 : r.pages;
    requests += first ? r.pages - 1 : r.pages;
    bytes += r.bytes - (first?.bytes ?? 0);
    eventsRead += r.coverage.events;
    coverage.push(r.coverage);
    if (!r.coverage.complete) {
      notCovered.push(`${q.key}=${q.value} in ${region}: only events after ${r.coverage.stoppedAt ?? to.toISOString()} were read (page budget).`);
    }
  };

  for (const q of firstPhase(strategy)) {
    const first = strategy === 'write-events' && q.key === 'ReadOnly' ? writesProbe : undefined;
    await run(q, q.key === 'ReadOnly' ? budget : QUERY_MAX_PAGES, first);
  }
  if (strategy === 'event-names') {
    // The write probe's events were read all the same.
    for (const e of writesProbe.events) sink(e);
  }

  const implicated = implicatedPrincipals(collector, input.account, input.own, input.window);
  for (const key of implicated.keys) await run({ key: 'AccessKeyId', value: key }, QUERY_MAX_PAGES);
  for (const user of implicated.users) await run({ key: 'Username', value: user }, QUERY_MAX_PAGES);
  if (implicated.dropped)
    notCovered.push(`${implicated.dropped} more implicated keys or users in ${region}: their whole activity was not read (at most ${MAX_IMPLICATED} of each).`);

  notCovered.push(
    strategy === 'write-events'
      ? `read-only calls in ${region} outside the catalog's event names, by principals no detection implicated, were not read (an AccessDenied burst or an attack tool's reads by them would not show).`
      : `calls in ${region} outside the catalog's event names, by principals no detection implicated, were not read (an AccessDenied burst or an attack tool's calls by them would not show).`,
  );
  const report: RegionReport = {
    region,
    strategy,
    source: 'lookup-events',
    coverage,
    notCovered,
    requests,
    bytes,
    eventsRead: eventsRead + (input.probe?.events.length ?? 0),
  };
  if (input.estimatedEvents !== undefined) report.estimatedEvents = input.estimatedEvents;
  return report;
}
