/**
 * CloudTrail's bulk sources end to end on the sandbox's busy-tiny account (the busy account's whole attack
 * over a thousandth of its events, about 2,000), with real SDK clients over HTTP: the trail's S3 log files
 * and Athena each find every planted event and say how they read the region; S3 denied falls back to
 * LookupEvents and says so. The same at busy-small (20,000 events, where LookupEvents switches to targeted
 * queries and a trail lookup is answered from the scan's cache) runs in `npm run bench`
 * (bench/trials/cloudtrail-volume.trial.ts), and the sources' speed against their floor in bench/scan-busy.ts.
 */
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { loadExpectation, recall } from '../../../bench/recall';
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { runScan } from '../../../src/scan/engine';
import { toJsonObject } from '../../../src/scan/format';
import type { ScanResult } from '../../../src/scan/model';
import type { CloudTrailSourceOptions, RegionReport } from '../../../src/scan/sources/model';
import { processEventCache } from '../../../src/scan/sources/event-cache';

const ATHENA = { workgroup: 'aws-ir', database: 'security', table: 'cloudtrail_logs' };
const expectation = loadExpectation('busy');

let sandbox: RunningSandbox;
let clients: AwsClients;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'busy-tiny', rateLimits: false });
  clients = new AwsClients(
    // The sandbox shares this process (DuckDB runs in its own): writing the log files can hold the event loop past
    // the 15 s request timeout on a loaded machine, which would turn Athena into a fallback. Timeouts are tested
    // in faults.test.ts, not here.
    {
      key: sandbox.accountId,
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: sandbox.adminCredentials,
      timeouts: { connectionMs: 10_000, requestMs: 120_000 },
    },
    new RateLimiterRegistry({}),
  );
});

afterAll(async () => {
  await sandbox.close();
});

async function scan(cloudTrail: CloudTrailSourceOptions): Promise<ScanResult> {
  clearCostCache();
  processEventCache.clear();
  // The busy account's trail and attack are in us-east-1: the other regions would only add empty reads.
  return runScan({ clients, options: { days: 7, pollIntervalMs: 0, cloudTrail, regions: ['us-east-1'] } });
}

const busiest = (r: ScanResult): RegionReport => r.cloudtrail?.regions.find((x) => x.region === 'us-east-1') as RegionReport;

/** Events of us-east-1 the sandbox holds in [from, to]: planted and generated. */
function eventsInSandbox(from: Date, to: Date): number {
  const planted = sandbox.state.events.filter((e) => e.region === 'us-east-1' && e.eventTime >= from && e.eventTime <= to).length;
  return planted + (sandbox.state.generated?.count('us-east-1', from.getTime(), to.getTime()) ?? 0);
}

describe("the trail's S3 log files (AWS_IR_CLOUDTRAIL_SOURCE=s3)", () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await scan({ prefer: 's3' });
  }, 120_000);

  it('reads every event of us-east-1 from the log files, and the minutes not yet delivered through LookupEvents', () => {
    const r = busiest(result);
    expect([r.strategy, r.source]).toEqual(['s3', 's3']);
    expect(r.coverage.every((c) => c.complete)).toBe(true);
    expect(r.coverage.map((c) => c.source)).toEqual(['s3', 'lookup-events']);
    expect(r.notCovered).toEqual([]);
    const from = new Date(r.coverage[0]?.from as string);
    const to = new Date(result.window.end);
    expect(r.eventsRead).toBe(eventsInSandbox(from, to));
    expect(r.bytes).toBeGreaterThan(0);
    expect(result.gaps.filter((g) => g.check === 'cloudtrail')).toEqual([]);
  });

  it('finds every planted event', () => {
    expect(recall(expectation, result).missed).toEqual([]);
  });

  it('puts the report in the JSON output beside the design’s fields, regions staying a list of names', () => {
    const json = toJsonObject(result) as { regions: unknown[]; cloudtrail: { regions: RegionReport[] } };
    expect(json.regions.every((r) => typeof r === 'string')).toBe(true);
    expect(json.cloudtrail.regions.find((r) => r.region === 'us-east-1')?.source).toBe('s3');
  });
});

describe('Athena over the trail (AWS_IR_ATHENA_*)', () => {
  let result: ScanResult;
  beforeAll(async () => {
    result = await scan({ prefer: 'athena', athena: ATHENA });
  }, 120_000);

  it('runs the catalog as SQL, counts the bytes scanned and their cost, and reads the undelivered minutes through LookupEvents', () => {
    const r = busiest(result);
    // The fallback's reason in the failure message, should Athena not be used.
    expect({ strategy: r.strategy, source: r.source, fallback: r.fallback }).toEqual({ strategy: 'athena', source: 'athena', fallback: undefined });
    expect(r.coverage.every((c) => c.complete)).toBe(true);
    expect(result.cloudtrail?.athena?.queryIds).toHaveLength(2);
    expect(result.cloudtrail?.athena?.scannedBytes).toBeGreaterThan(0);
    expect(result.cloudtrail?.athena?.costUsd).toBeGreaterThan(0);
    expect(result.stats.apiCalls['Athena:StartQueryExecution']).toBe(2);
  });

  it('finds every planted event', () => {
    const m = recall(expectation, result);
    expect(m.missed).toEqual([]);
    expect(m.alarms).toEqual([]);
  });
});

describe('when the trail bucket denies access', () => {
  it('falls back to LookupEvents and says why, never silently less', async () => {
    sandbox.faults.inject('S3:ListObjectsV2', { error: 'AccessDenied', status: 403, times: 1 });
    try {
      const result = await scan({ prefer: 's3' });
      const r = busiest(result);
      expect(r.source).toBe('lookup-events');
      expect(r.fallback).toMatch(/S3 log files could not be used .*not allowed to call s3:ListObjectsV2/);
      expect(recall(expectation, result).missed).toEqual([]);
    } finally {
      sandbox.faults.clear();
    }
  }, 120_000);
});
