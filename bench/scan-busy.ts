/**
 * The `busy` benchmark: about 2 million management events over 7 days in us-east-1, the leaked key's
 * attack spread over the week. The same scan runs three times, once per CloudTrail source — the trail's
 * S3 log files, Athena, targeted LookupEvents — with AWS's rate limits on. Each must find every planted
 * event, read or cover every event of the window a detection could match, and stay under 300 MB; each
 * wall time is shown against its floor: LookupEvents, the pages its queries need at 2 per second; S3,
 * the bytes to read at this machine's measured throughput (and the LookupEvents pages of the minutes not
 * yet delivered, read beside it).
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { BUSY_ATHENA } from '@aws-ir/aws-sandbox';
import { AwsClients } from '../src/aws/clients';
import { clearCostCache } from '../src/scan/checks/cost';
import { runScan } from '../src/scan/engine';
import type { ScanResult } from '../src/scan/model';
import { processEventCache } from '../src/scan/sources/event-cache';
import type { SourceName } from '../src/scan/sources/model';
import { trailEventFromRecord } from '../src/scan/cloudtrail-events';
import { EventCollector } from '../src/scan/sources/collector';
import { streamRecords } from '../src/scan/sources/s3-logs';
import { mb, request, rssSampler, s, startChild } from './child';
import type { CoverageVerdict } from './coverage';
import { LOOKUP_EVENTS_PER_SECOND, type StartedReply, type StoppedReply } from './protocol';
import { loadExpectation, recall } from './recall';
import { coverageLines } from './report';
import { readStart } from './scan-large';
import { TARGETS } from './targets';

/** What each source's wall time may be, at most, against its floor. */
const MAX_RATIO: Record<SourceName, number> = { 'lookup-events': 1.3, s3: 2, athena: 3 };
const SAMPLE_FILES = 150;

interface Run {
  source: SourceName;
  result: ScanResult;
  wallMs: number;
  peakRss: number;
  verdict: CoverageVerdict;
}

/**
 * This machine's S3 reading speed, network aside: the sample files, already in memory, through what the
 * scan does with every file — gunzip, split, parse, and each record into the collector (the catalog's
 * first look and the history).
 */
async function measureThroughput(paths: string[], account: string): Promise<{ bytesPerSecond: number; eventsPerSecond: number }> {
  const files = paths.map((p) => readFileSync(p));
  const collector = new EventCollector(account, undefined);
  let events = 0;
  const t0 = performance.now();
  for (const f of files) {
    await streamRecords(Readable.from([f]), (rec) => {
      events++;
      collector.add(trailEventFromRecord(rec, 'us-east-1'));
    });
  }
  const seconds = (performance.now() - t0) / 1000;
  const bytes = files.reduce((n, f) => n + f.length, 0);
  return { bytesPerSecond: bytes / seconds, eventsPerSecond: events / seconds };
}

export async function benchBusy(days: number, sources: SourceName[] = ['s3', 'athena', 'lookup-events']): Promise<boolean> {
  const now = new Date();
  const child = startChild();
  try {
    const started: StartedReply = await request(child, { type: 'start', scenario: 'busy', now: now.toISOString(), days }, 'started');
    const delivered = await request(child, { type: 'deliver', samples: SAMPLE_FILES }, 'delivered');
    const speed = await measureThroughput(delivered.samplePaths, started.accountId);
    const clients = new AwsClients({ key: started.accountId, region: 'us-east-1', endpoint: started.endpoint, credentials: started.adminCredentials });
    const expectation = loadExpectation('busy');

    const runs: Run[] = [];
    for (const source of sources) {
      clearCostCache();
      processEventCache.clear();
      global.gc?.();
      const rss = rssSampler();
      const t0 = performance.now();
      const result = await runScan({ clients, options: { days, cloudTrail: { prefer: source, athena: BUSY_ATHENA } } });
      const wallMs = performance.now() - t0;
      const peakRss = rss.stop();
      const verified = await request(
        child,
        { type: 'verify', report: result.cloudtrail ?? { regions: [] }, from: readStart(result), to: result.window.end },
        'verified',
      );
      runs.push({ source, result, wallMs, peakRss, verdict: verified.verdict });
    }
    const stopped: StoppedReply = await request(child, { type: 'stop' }, 'stopped');

    const busiest = started.profile.regions.reduce((a, b) => (b.eventsInWindow > a.eventsInWindow ? b : a));
    const lines = [
      `aws-ir CloudTrail volume benchmark — scenario busy, window ${days} days`,
      `data: ${busiest.eventsInWindow.toLocaleString('en-US')} events in ${busiest.name} in the window; ${delivered.files} log files, ${mb(delivered.bytes)} gzip (delivered by the sandbox in ${s(delivered.ms)} and loaded into its Athena engine in ${s(delivered.athenaMs)}, neither counted)`,
      `this machine reads log files at ${mb(speed.bytesPerSecond)}/s gzip = ${Math.round(speed.eventsPerSecond).toLocaleString('en-US')} events/s (gunzip, split, parse, collect; ${delivered.samplePaths.length} files in memory)`,
      '',
    ];
    const results: { target: string; ok: boolean }[] = [];
    for (const run of runs) {
      const r = run.result.cloudtrail?.regions.find((x) => x.region === busiest.name);
      const v = run.verdict.regions.find((x) => x.region === busiest.name);
      const lookupFloorMs = ((v?.lookupPagesNeeded ?? 0) / LOOKUP_EVENTS_PER_SECOND) * 1000;
      const s3Bytes = run.source === 's3' ? (r?.bytes ?? 0) : 0;
      const floorMs = run.source === 's3' ? Math.max((s3Bytes / speed.bytesPerSecond) * 1000, lookupFloorMs) : lookupFloorMs;
      const m = recall(expectation, run.result);
      const calls = run.result.stats.apiCalls;
      const ratio = run.wallMs / Math.max(1, floorMs);
      lines.push(
        `— ${run.source}: ${r?.strategy ?? '?'} in ${busiest.name}`,
        `  wall time            ${s(run.wallMs)}`,
        run.source === 's3'
          ? `  floor                ${s(floorMs)}  (max of ${mb(s3Bytes)} at ${mb(speed.bytesPerSecond)}/s, and ${v?.lookupPagesNeeded ?? 0} LookupEvents pages of undelivered minutes / 2 per s); ratio ${ratio.toFixed(2)} (target <= ${MAX_RATIO.s3})`
          : run.source === 'athena'
            ? `  floor                ${s(floorMs)}  (${v?.lookupPagesNeeded ?? 0} LookupEvents pages of undelivered minutes / 2 per s; the queries' own time comes on top); ratio ${ratio.toFixed(2)} (target <= ${MAX_RATIO.athena})`
            : `  floor                ${s(floorMs)}  (${v?.lookupPagesNeeded ?? 0} pages its queries need / 2 per s); ratio ${ratio.toFixed(2)} (target <= ${MAX_RATIO['lookup-events']})`,
        `  recall               ${m.found}/${m.total} planted events found${m.missed.length ? ` — missed: ${m.missed.join('; ')}` : ''}; benign at medium or above: ${m.alarms.length}`,
        ...coverageLines(run.verdict).map((l) => `  ${l}`),
        `  requests             LookupEvents ${calls['CloudTrail:LookupEvents'] ?? 0}, S3 ${(calls['S3:ListObjectsV2'] ?? 0) + (calls['S3:GetObject'] ?? 0)}, Athena ${Object.entries(
          calls,
        )
          .filter(([op]) => op.startsWith('Athena:'))
          .reduce((n, [, c]) => n + c, 0)}; read ${mb(r?.bytes ?? 0)} in ${busiest.name}, ${(r?.eventsRead ?? 0).toLocaleString('en-US')} events`,
        ...(run.result.cloudtrail?.athena
          ? [`  Athena               ${mb(run.result.cloudtrail.athena.scannedBytes)} scanned, $${run.result.cloudtrail.athena.costUsd.toFixed(4)} at $5/TB`]
          : []),
        `  peak RSS             ${mb(run.peakRss)}  (target < ${mb(TARGETS.maxRssBytes)})`,
        ...(r?.notCovered.length ? [`  not covered: ${r.notCovered.join(' ')}`] : []),
        '',
      );
      results.push(
        { target: `${run.source}: every planted event found (recall 100%)`, ok: m.missed.length === 0 },
        { target: `${run.source}: every event a detection could match read or under a complete query`, ok: run.verdict.ok },
        { target: `${run.source}: peak RSS under ${mb(TARGETS.maxRssBytes)}`, ok: run.peakRss < TARGETS.maxRssBytes },
        { target: `${run.source}: wall time within ${MAX_RATIO[run.source]}x its floor`, ok: ratio <= MAX_RATIO[run.source] },
      );
    }
    lines.push(`sandbox process peak RSS (not counted): ${mb(stopped.peakRssBytes)}`);
    for (const v of results) lines.push(`${v.ok ? 'PASS' : 'FAIL'}  ${v.target}`);
    process.stdout.write(`${lines.join('\n')}\n\n`);
    return results.every((v) => v.ok);
  } finally {
    if (child.connected) child.kill();
  }
}
