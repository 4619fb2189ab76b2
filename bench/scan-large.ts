/**
 * The `large` benchmark: scans the sandbox's `large` scenario (1,000 users, 17 regions, 20,000 events) with
 * AWS's rate limits on, through unchanged SDK clients, and checks the scan against the floor the rate
 * limits set for that data; then checks that every event of the window was read (coverage), and scans
 * again while 13 `/aws-ir trail` lookups are sent, which must leave the scan within 1.5x its time alone.
 */
import { CallCounter, withAwsCallObserver } from '../src/aws/call-tracking';
import { AwsClients } from '../src/aws/clients';
import { runScan } from '../src/scan/engine';
import type { ScanResult } from '../src/scan/model';
import { processEventCache } from '../src/scan/sources/event-cache';
import { principalActivity } from '../src/scan/trail';
import { mb, request, rssSampler, s, startChild } from './child';
import { coverageLines } from './report';
import { LOOKUP_EVENTS_PER_SECOND, type StartedReply, type StoppedReply } from './protocol';
import { minimumCalls, TARGETS, verdicts, type Measurement } from './targets';

/** Principals of `large` with events (one per region): the lookups a team sends while the scan runs. */
const TRAIL_PRINCIPALS = Array.from({ length: 13 }, (_, r) => `user-${String((r * 37) % 1000).padStart(4, '0')}`);
const TRAIL_START_MS = 3_000;
const TRAIL_SPACING_MS = 1_500;

export async function benchLarge(scenario: string, days: number): Promise<boolean> {
  const now = new Date();
  const child = startChild();
  try {
    const started: StartedReply = await request(child, { type: 'start', scenario, now: now.toISOString(), days }, 'started');
    const { profile } = started;
    const clients = new AwsClients({ key: started.accountId, region: 'us-east-1', endpoint: started.endpoint, credentials: started.adminCredentials });

    global.gc?.();
    const rss = rssSampler();
    const t0 = performance.now();
    const result = await runScan({ clients, options: { days, now } });
    const wallMs = performance.now() - t0;
    const peakRss = rss.stop();

    const busiest = profile.regions.reduce((a, b) => (b.lookupPages > a.lookupPages ? b : a));
    const floorMs = (busiest.lookupPages / LOOKUP_EVENTS_PER_SECOND) * 1000;
    const calls = result.stats.apiCalls;
    const ceRequests = Object.entries(calls)
      .filter(([op]) => op.startsWith('CostExplorer:'))
      .reduce((n, [, c]) => n + c, 0);
    const verified = await request(
      child,
      { type: 'verify', report: result.cloudtrail ?? { regions: [] }, from: readStart(result), to: result.window.end },
      'verified',
    );
    const everyRegion = (result.cloudtrail?.regions.length ?? 0) === profile.regions.length;

    // The same scan again, with 13 trail lookups sent while it runs; the cache starts empty so the
    // trails compete for the same 2 requests/s and show what the shared budget does.
    processEventCache.clear();
    const contended = await withTrails(clients, () => runScan({ clients, options: { days, now: new Date() } }));
    const stopped: StoppedReply = await request(child, { type: 'stop' }, 'stopped');

    const m: Measurement = { wallMs, floorMs, ceRequests, peakRssBytes: peakRss };
    const minimum = minimumCalls(profile);
    const ratioWithTrails = contended.scanMs / wallMs;
    const lines = [
      `aws-ir scan benchmark — scenario ${scenario}, window ${days} days`,
      `data: ${profile.users} IAM users, ${profile.regions.length} enabled regions, ${profile.totalEvents} events (${profile.regions.reduce((n, r) => n + r.eventsInWindow, 0)} in the window)`,
      `busiest region: ${busiest.name}, ${busiest.eventsInWindow} events = ${busiest.lookupPages} LookupEvents pages`,
      '',
      `scan wall time        ${s(wallMs)}`,
      `rate-limit floor      ${s(floorMs)}  (${busiest.lookupPages} pages / ${LOOKUP_EVENTS_PER_SECOND} per second)`,
      `ratio                 ${(wallMs / floorMs).toFixed(2)}  (target <= ${TARGETS.maxFloorRatio})`,
      ...coverageLines(verified.verdict),
      `Cost Explorer calls   ${ceRequests}  (target <= ${TARGETS.maxCostExplorerRequests})`,
      `peak RSS (scan)       ${mb(peakRss)}  (target < ${mb(TARGETS.maxRssBytes)}; sandbox process: ${mb(stopped.peakRssBytes)})`,
      `findings ${result.findings.length}, gaps ${result.gaps.length}`,
      ...result.gaps.map((g) => `  gap: ${g.check}${g.region ? ` ${g.region}` : ''}: ${g.reason}`),
      '',
      `with ${TRAIL_PRINCIPALS.length} trails sent during it: scan ${s(contended.scanMs)} = ${ratioWithTrails.toFixed(2)}x alone (target <= ${TARGETS.maxTrailSlowdown})`,
      `  trails answered in ${s(contended.trailMs[0] ?? 0)} .. ${s(contended.trailMs[contended.trailMs.length - 1] ?? 0)} (median ${s(contended.trailMs[Math.floor(contended.trailMs.length / 2)] ?? 0)}), ${contended.trailLookups} LookupEvents requests for them`,
      '',
      'API calls by operation (minimum needed for this data where it is defined):',
      ...Object.keys({ ...calls, ...minimum })
        .sort()
        .map((op) => `  ${op.padEnd(44)} ${String(calls[op] ?? 0).padStart(5)}   ${minimum[op] === undefined ? '' : `min ${minimum[op]}`}`),
      '',
    ];
    const results = [
      ...verdicts(m),
      { target: 'every event of the window read or covered by a targeted query, in every region', ok: verified.verdict.ok && everyRegion },
      {
        target: `${TRAIL_PRINCIPALS.length} trails during the scan leave it within ${TARGETS.maxTrailSlowdown}x its time alone`,
        ok: ratioWithTrails <= TARGETS.maxTrailSlowdown,
      },
    ];
    for (const v of results) lines.push(`${v.ok ? 'PASS' : 'FAIL'}  ${v.target}`);
    process.stdout.write(`${lines.join('\n')}\n\n`);
    return results.every((v) => v.ok);
  } finally {
    if (child.connected) child.kill();
  }
}

/** The scan's read reaches back a week at least (its baseline), which is what coverage is checked over. */
export function readStart(result: ScanResult): string {
  const end = Date.parse(result.window.end);
  return new Date(Math.min(Date.parse(result.window.start), end - 7 * 86_400_000)).toISOString();
}

async function withTrails(clients: AwsClients, scan: () => Promise<ScanResult>): Promise<{ scanMs: number; trailMs: number[]; trailLookups: number }> {
  const t0 = performance.now();
  let trailLookups = 0;
  const trails = TRAIL_PRINCIPALS.map(
    (principal, i) =>
      new Promise<number>((resolve, reject) => {
        setTimeout(
          () => {
            const sent = performance.now();
            const counter = new CallCounter();
            withAwsCallObserver(counter, () => principalActivity(clients, { principal }))
              .then(() => {
                trailLookups += counter.counts['CloudTrail:LookupEvents'] ?? 0;
                resolve(performance.now() - sent);
              })
              .catch(reject);
          },
          TRAIL_START_MS + i * TRAIL_SPACING_MS,
        );
      }),
  );
  await scan();
  const scanMs = performance.now() - t0;
  const trailMs = (await Promise.all(trails)).sort((a, b) => a - b);
  return { scanMs, trailMs, trailLookups };
}
