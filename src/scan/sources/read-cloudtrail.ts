/**
 * Reads the scan's CloudTrail window from the best source for each region, by volume and access:
 *
 * 1. One unfiltered LookupEvents page per region (regions in parallel). A quiet region is then read.
 * 2. For the others, the event count that page suggests sets what each source would take: LookupEvents
 *    in full (pages / 2 per s, up to MAX_PAGES_PER_REGION), the trail's log files in S3 (not rate
 *    limited), Athena (when configured; one query for every region). The fastest that can run is used;
 *    `prefer` (AWS_IR_CLOUDTRAIL_SOURCE) puts one first.
 * 3. S3 and Athena hold what the trail delivered: the last minutes, and any time the trail was not
 *    logging, are read through LookupEvents. When none fits, targeted LookupEvents queries
 *    (targeted-lookup.ts). A source that fails (access denied, a failed query) falls back to the next,
 *    and the report says so.
 *
 * Every region's report says which strategy and source ran, what it covered and what it could not.
 */
import type { TrailEvent } from '../cloudtrail-events';
import type { CheckContext } from '../context';
import { failureReason, gapFrom } from '../errors';
import type { Gap } from '../model';
import type { ActivityHistory, KeyUse } from '../routine-activity';
import { athenaCostUsd, readAthena } from './athena-source';
import { EventCollector } from './collector';
import { cacheAccount, processEventCache } from './event-cache';
import { estimateEvents, LOOKUP_REQUESTS_PER_SECOND, lookupPage, pagesFor, readLookup, type LookupPage } from './lookup-reader';
import type { CloudTrailReport, CloudTrailSourceOptions, Coverage, RegionReport, SourceName } from './model';
import { readS3Logs } from './s3-logs';
import { logLocation } from './s3-location';
import { readTargeted } from './targeted-lookup';

/** 200 pages = 10,000 events per region: at 2 requests/s, under two minutes. */
export const MAX_PAGES_PER_REGION = 200;
/**
 * Seconds the S3 reader needs, roughly: two to find the trail and list its days, a file per 5 minutes
 * that had events (about 20 ms each, 8 at a time), and about 100,000 events a second to parse.
 */
const S3_FIXED_SECONDS = 2;
const S3_SECONDS_PER_FILE = 0.02 / 8;
const S3_EVENTS_PER_SECOND = 100_000;
/** An Athena query takes seconds whatever it scans. */
const ATHENA_SECONDS = 10;

export interface CloudTrailRead {
  /** Events a detection could match (the window and the baseline before it), once each. */
  events: TrailEvent[];
  /**
   * Regions where every event a detection could match was read, and every other event at least seen by
   * the history (habits, usual addresses, how each key was used): a full read, the log files, Athena.
   */
  complete: Set<string>;
  history: ActivityHistory;
  keyUses(accessKeyId: string): KeyUse[];
  gaps: Gap[];
  report: CloudTrailReport;
}

interface Busy {
  region: string;
  probe: LookupPage;
  estimate: number;
  windowMs: number;
}

type Ctx = CheckContext;

function fullReport(region: string, coverage: Coverage[], requests: number, bytes: number, estimate?: number): RegionReport {
  const r: RegionReport = {
    region,
    strategy: 'full',
    source: 'lookup-events',
    coverage,
    notCovered: [],
    requests,
    bytes,
    eventsRead: coverage.reduce((n, c) => n + c.events, 0),
  };
  if (estimate !== undefined) r.estimatedEvents = estimate;
  return r;
}

/**
 * LookupEvents over [from, to] for one region: whole when it fits the page budget, else targeted. When a
 * whole read runs out of pages (the estimate was low), the older rest is read targeted.
 */
async function readWithLookup(ctx: Ctx, collector: EventCollector, region: string, from: Date, to: Date, probe?: LookupPage): Promise<RegionReport> {
  const first = probe ?? (await lookupPage(ctx.clients, { region, from, to }));
  const estimate = estimateEvents(first, from, to);
  const sink = (e: TrailEvent): void => collector.add(e);
  if (pagesFor(estimate) <= MAX_PAGES_PER_REGION) {
    const cache = processEventCache.open(cacheAccount(ctx.clients), region, to);
    const r = await readLookup(ctx.clients, { region, from, to, maxPages: MAX_PAGES_PER_REGION, first, cache }, sink);
    const report = fullReport(region, [r.coverage], r.pages, r.bytes, first.token ? estimate : undefined);
    if (r.coverage.complete) return report;
    const rest = await readTargeted(targetedInput(ctx, collector, region, from, new Date(r.coverage.stoppedAt ?? to.toISOString()), estimate));
    return merge(report, rest, `the first page suggested ${estimate} events, but more than ${MAX_PAGES_PER_REGION} pages were needed`);
  }
  return readTargeted({ ...targetedInput(ctx, collector, region, from, to, estimate), probe: first });
}

function targetedInput(ctx: Ctx, collector: EventCollector, region: string, from: Date, to: Date, estimate: number): Parameters<typeof readTargeted>[0] {
  const input: Parameters<typeof readTargeted>[0] = {
    clients: ctx.clients,
    region,
    from,
    to,
    collector,
    account: ctx.account,
    window: ctx.window,
    estimatedEvents: estimate,
  };
  if (ctx.caller?.arn) input.own = ctx.caller.arn;
  return input;
}

/** One region's report from a main read and the reads that covered the rest of the window. */
function merge(main: RegionReport, rest: RegionReport, why?: string): RegionReport {
  const out: RegionReport = {
    ...main,
    coverage: [...main.coverage, ...rest.coverage],
    notCovered: [...main.notCovered, ...rest.notCovered],
    requests: main.requests + rest.requests,
    bytes: main.bytes + rest.bytes,
    eventsRead: main.eventsRead + rest.eventsRead,
  };
  if (main.strategy === 'full' && rest.strategy !== 'full') out.strategy = rest.strategy;
  if (why) out.fallback = [main.fallback, why].filter(Boolean).join('; ');
  return out;
}

/** Estimated seconds each source would take for a region. */
function estimates(b: Busy, opts: CloudTrailSourceOptions): Partial<Record<SourceName | 'full', number>> {
  const out: Partial<Record<SourceName | 'full', number>> = {
    s3: S3_FIXED_SECONDS + Math.min(b.estimate, b.windowMs / 300_000) * S3_SECONDS_PER_FILE + b.estimate / S3_EVENTS_PER_SECOND,
    'lookup-events': (2 * MAX_PAGES_PER_REGION) / LOOKUP_REQUESTS_PER_SECOND,
  };
  if (pagesFor(b.estimate) <= MAX_PAGES_PER_REGION) out.full = pagesFor(b.estimate) / LOOKUP_REQUESTS_PER_SECOND;
  if (opts.athena) out.athena = ATHENA_SECONDS;
  return out;
}

/** Sources to try, fastest first (the preferred one first when it can run). */
export function sourceOrder(b: Busy, opts: CloudTrailSourceOptions): (SourceName | 'full')[] {
  const est = estimates(b, opts);
  const order = (Object.keys(est) as (SourceName | 'full')[]).sort((x, y) => (est[x] ?? 0) - (est[y] ?? 0));
  const prefer = opts.prefer ?? 'auto';
  if (prefer === 'auto') return order;
  if (prefer === 'lookup-events') return order.filter((s) => s === 'full' || s === 'lookup-events');
  return [prefer, ...order.filter((s) => s !== prefer)].filter((s) => s in est);
}

/** The S3 read of a region, with LookupEvents before and after what the trail delivered. */
async function readWithS3(ctx: Ctx, collector: EventCollector, b: Busy, from: Date, to: Date): Promise<RegionReport> {
  const loc = await logLocation(ctx, ctx.cloudTrail ?? {}, b.region, from, to);
  if (!loc.ok) throw new SourceUnavailable('s3', loc.reason);
  const p = loc.period;
  let r: Awaited<ReturnType<typeof readS3Logs>>;
  try {
    r = await readS3Logs(p.location, b.region, p.from, p.to, collector);
  } catch (err) {
    // Listing failed (no such bucket, access denied): what was read is kept, LookupEvents reads it all again.
    throw new SourceUnavailable('s3', `${p.description}: ${failureReason(err, b.region)}`);
  }
  if (r.files > 0 && r.failed.length === r.files)
    throw new SourceUnavailable('s3', `no log file of ${p.description} could be read (${r.failure ?? 'unknown error'})`);
  let report: RegionReport = {
    region: b.region,
    strategy: 's3',
    source: 's3',
    estimatedEvents: b.estimate,
    coverage: [r.coverage],
    notCovered: r.failed.length
      ? [
          `${r.failed.length} of ${r.files} log files of ${b.region} could not be read (${r.failure ?? 'unknown error'}): their 5-minute periods were not reviewed.`,
        ]
      : [],
    requests: r.requests,
    bytes: r.bytes,
    eventsRead: r.coverage.events,
  };
  if (p.notes.length) report.fallback = p.notes.join('; ');
  // What the files do not hold: before the trail logged, and after its latest delivery.
  if (p.from > from) report = merge(report, await readWithLookup(ctx, collector, b.region, from, p.from));
  if (p.to < to) report = merge(report, await readWithLookup(ctx, collector, b.region, p.to, to));
  return report;
}

export class SourceUnavailable extends Error {
  readonly code = 'aws_ir_cloudtrail_source_unavailable';
  constructor(
    readonly source: SourceName,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = 'SourceUnavailable';
  }
}

const SOURCE_NAMES: Record<SourceName | 'full', string> = {
  full: 'LookupEvents',
  'lookup-events': 'LookupEvents',
  s3: "the trail's S3 log files",
  athena: 'Athena',
};

export async function readCloudTrail(ctx: Ctx, regions: string[], from: Date): Promise<CloudTrailRead> {
  const to = ctx.window.end;
  const opts = ctx.cloudTrail ?? {};
  const collector = new EventCollector(ctx.account, ctx.caller?.arn);
  const reports = new Map<string, RegionReport>();
  const gaps: Gap[] = [];
  const busy: Busy[] = [];

  await Promise.all(
    regions.map(async (region) => {
      try {
        const probe = await lookupPage(ctx.clients, { region, from, to });
        const estimate = estimateEvents(probe, from, to);
        if (!probe.token) {
          for (const e of probe.events) collector.add(e);
          const cache = processEventCache.open(cacheAccount(ctx.clients), region, to);
          cache.add(probe.events, from);
          cache.reachedStart(from);
          const coverage: Coverage = {
            source: 'lookup-events',
            from: from.toISOString(),
            to: to.toISOString(),
            filter: { kind: 'all' },
            events: probe.events.length,
            complete: true,
          };
          reports.set(region, fullReport(region, [coverage], 1, probe.bytes));
          return;
        }
        busy.push({ region, probe, estimate, windowMs: to.getTime() - from.getTime() });
      } catch (err) {
        gaps.push(gapFrom('cloudtrail', err, region));
      }
    }),
  );

  let athena: CloudTrailReport['athena'];
  const viaAthena = busy.filter((b) => sourceOrder(b, opts)[0] === 'athena');
  const athenaFailure = new Map<string, string>();
  if (viaAthena.length && opts.athena) {
    // One query for every region that chose Athena; what the files do not hold yet is read after: up to
    // the trail's latest delivery when this account's trail says, else a quarter of an hour.
    const delivered = await Promise.all(viaAthena.map((b) => logLocation(ctx, opts, b.region, from, to)));
    const ends = delivered.map((l) => (l.ok ? l.period.to.getTime() : to.getTime() - 15 * 60_000));
    const end = new Date(Math.min(...ends));
    try {
      const read = await readAthena(
        ctx.clients,
        ctx.clients.target.region,
        opts.athena,
        { regions: viaAthena.map((b) => b.region), from, to: end },
        collector,
        ctx.pollIntervalMs,
      );
      athena = { queryIds: read.queryIds, scannedBytes: read.scannedBytes, costUsd: athenaCostUsd(read.queryBytes) };
      await Promise.all(
        viaAthena.map(async (b) => {
          const sql = `the catalog's event names, errors, root and attack tools, and a history of every principal's addresses (queries ${read.queryIds.join(', ')})`;
          const main: RegionReport = {
            region: b.region,
            strategy: 'athena',
            source: 'athena',
            estimatedEvents: b.estimate,
            coverage: [
              {
                source: 'athena',
                from: from.toISOString(),
                to: end.toISOString(),
                filter: { kind: 'sql', detail: sql },
                events: read.events.get(b.region) ?? 0,
                complete: true,
              },
            ],
            notCovered: [],
            requests: 0,
            bytes: 0,
            eventsRead: read.events.get(b.region) ?? 0,
          };
          reports.set(b.region, merge(main, await readWithLookup(ctx, collector, b.region, end, to)));
        }),
      );
      // The queries' requests and bytes belong to all of them; they are counted once, on the first.
      const first = reports.get(viaAthena[0]?.region ?? '');
      if (first) {
        first.requests += read.requests;
        first.bytes += read.scannedBytes;
      }
    } catch (err) {
      for (const b of viaAthena)
        athenaFailure.set(b.region, `Athena could not be used (${err instanceof Error && 'reason' in err ? String(err.reason) : failureReason(err)})`);
    }
  }

  await Promise.all(
    busy
      .filter((b) => !reports.has(b.region))
      .map(async (b) => {
        const fallbacks: string[] = [];
        const why = athenaFailure.get(b.region);
        if (why) fallbacks.push(why);
        try {
          for (const source of sourceOrder(b, opts).filter((s) => s !== 'athena')) {
            try {
              const report =
                source === 's3' ? await readWithS3(ctx, collector, b, from, to) : await readWithLookup(ctx, collector, b.region, from, to, b.probe);
              if (fallbacks.length) report.fallback = [...fallbacks, report.fallback].filter(Boolean).join('; ');
              reports.set(b.region, report);
              return;
            } catch (err) {
              if (!(err instanceof SourceUnavailable)) throw err;
              fallbacks.push(`${SOURCE_NAMES[err.source]} could not be used (${err.reason})`);
            }
          }
        } catch (err) {
          gaps.push(gapFrom('cloudtrail', err, b.region));
        }
      }),
  );

  const complete = new Set<string>();
  const ordered = regions.filter((r) => reports.has(r)).map((r) => reports.get(r) as RegionReport);
  for (const r of ordered) {
    for (const reason of r.notCovered) gaps.push({ check: 'cloudtrail', region: r.region, reason });
    if (r.coverage.every((c) => c.complete) && !r.notCovered.length) complete.add(r.region);
  }
  const history = collector.activityHistory();
  const report: CloudTrailReport = { regions: ordered };
  if (athena) report.athena = athena;
  return { events: collector.events, complete, history, keyUses: (k) => collector.keyUses(k), gaps, report };
}
