/**
 * Faults never hang or hide: scans of the `compromised-key` sandbox account over real HTTP with the
 * sandbox's faults, compared with its fault-free scan (bench/fault-scans.ts defines a silent
 * omission). Small and deterministic: seeded faults without hangs (no call waits for a timeout), and an
 * endpoint that never answers ended by the scan's deadline, fired by hand once the call is in flight.
 * `npm run bench` runs the large version (50+ seeds at 30%, hangs included, wall-clock deadlines).
 */
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { baselineScan, findingRegions, sandboxClients, scanUnderFaults, silentOmissions, type FaultScanOptions } from '../../../bench/fault-scans';
import { summaryBlocks } from '../../../src/blocks/summary';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { runScan } from '../../../src/scan/engine';
import type { CheckId, ScanResult } from '../../../src/scan/model';
import { sandboxClock } from '../../../src/sandbox-account';
import { retryAtOnce, VirtualTime } from '../../support/virtual-time';

const time = new VirtualTime();
let sb: RunningSandbox;
let baseline: ScanResult;
const options: FaultScanOptions = {
  rate: 0.3,
  seed: 1,
  // Errors, throttling, dropped connections, proxy pages, AccessDenied: each call fails at once, so no test waits for a timeout.
  kinds: ['error', 'throttle', 'reset', 'html500', 'access-denied'],
  // Far beyond what these scans take: this test is about what they report, not how fast.
  deadlineMs: 600_000,
  timeouts: { connectionMs: 60_000, requestMs: 60_000 },
  maxAttempts: 2,
  days: 7,
  // As in production: polls wait on virtual time.
  pollIntervalMs: 1000,
  // Pacing (CloudTrail's 2 requests/s) and polls on the sandbox's virtual time: nobody waits.
  clock: time,
  retryDelayMs: retryAtOnce,
};

beforeAll(async () => {
  sb = await startSandbox({ scenario: 'compromised-key', ...sandboxClock(time), rateLimits: false, onInternalError: () => undefined });
  baseline = await baselineScan(sb, options);
}, 60_000);
afterAll(() => sb?.close());
beforeEach(() => sb.reset());

const summaryOf = (result: ScanResult) => JSON.stringify(summaryBlocks(result, { user: 'U0ALICE', days: 7 }));

describe('scans under faults', () => {
  it('the fault-free scan is complete, so every finding it has is one a faulty scan must report or cover', () => {
    expect(baseline.gaps).toEqual([]);
    expect(baseline.findings.length).toBeGreaterThan(30);
  });

  it('30% seeded faults: 0 silent omissions in 6 scans, each with gaps for what failed', async () => {
    const counts: number[] = [];
    for (let seed = 1; seed <= 6; seed++) {
      sb.reset();
      const report = await scanUnderFaults(sb, baseline, { ...options, seed });
      expect({ seed, omissions: report.omissions }).toEqual({ seed, omissions: [] });
      expect(Object.values(report.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(10);
      expect(report.gaps).toBeGreaterThan(0);
      expect(report.saysEveryCheckRan).toBe(false);
      counts.push(report.findings);
    }
    // The faults did cost findings (covered by gaps), so "0 omissions" is not a metric that cannot fail.
    expect(Math.min(...counts)).toBeLessThan(baseline.findings.length);
    process.stdout.write(`scans under 30% faults: 6, silent omissions 0, findings ${counts.join('/')} of ${baseline.findings.length}\n`);
  }, 120_000);

  it('counts a missing finding as a silent omission when no gap covers it', async () => {
    sb.faults.random({ rate: 1, seed: 1, kinds: ['access-denied'], operations: ['Organizations:ListAccounts'] });
    clearCostCache();
    const faulty = await runScan({ clients: sandboxClients(sb, options), options: { days: 7 } });
    expect(faulty.gaps.filter((g) => g.check === 'organizations').map((g) => g.reason)).toEqual([
      expect.stringContaining("aws-ir's scan role is not allowed to call organizations:ListAccounts"),
    ]);
    expect(silentOmissions(baseline, faulty)).toEqual([]);
    // Drop the gap, and the member account created in the window is a silent omission.
    const hidden = silentOmissions(baseline, { ...faulty, gaps: faulty.gaps.filter((g) => g.check !== 'organizations') });
    expect(hidden.map((o) => o.check)).toEqual(['organizations']);
    expect(hidden[0]!.title).toMatch(/Member account .* was created in the incident window/);
  });

  it('AccessDenied on any one operation is a gap, never "nothing there"', async () => {
    const operations = Object.keys(baseline.stats.apiCalls).sort();
    expect(operations.length).toBeGreaterThan(20);
    // Each operation denied in turn, in the regions where the account has something to find (and the home
    // region): every operation is still called, and each of these scans is a third of a full one.
    const regions = [...new Set(['us-east-1', ...baseline.findings.flatMap(findingRegions)])].sort();
    const narrow = { ...options, regions };
    const reference = await baselineScan(sb, narrow);
    expect(Object.keys(reference.stats.apiCalls).sort()).toEqual(operations);
    expect(reference.findings.map((f) => f.id).sort()).toEqual(baseline.findings.map((f) => f.id).sort());
    for (const op of operations) {
      sb.reset();
      const report = await scanUnderFaults(sb, reference, { ...narrow, rate: 1, kinds: ['access-denied'], operations: [op] });
      expect({ op, omissions: report.omissions, gaps: report.gaps > 0 }).toEqual({ op, omissions: [], gaps: true });
    }
  }, 180_000);

  it('an endpoint that never answers: the scan returns at its deadline, naming the operation and region it waited on', async () => {
    sb.faults.inject('Lambda:ListFunctions', { transport: 'hang' });
    clearCostCache();
    let fire: (() => void) | undefined;
    const finished = new Set<CheckId>();
    const scan = runScan({
      clients: sandboxClients(sb, options),
      options: {
        days: 7,
        deadline: {
          ms: 300_000,
          schedule: (_ms, f) => {
            fire = f;
            return () => undefined;
          },
        },
      },
      onProgress: (e) => {
        if (e.type === 'check-finished') finished.add(e.check);
      },
    });
    // Every other check finishes; `resources` waits on Lambda in every region, whose requests are in flight.
    const others: CheckId[] = ['credential-report', 'quarantine', 'cloudtrail', 'iam-changes', 'organizations', 'cost', 'account-info'];
    await waitFor(() => others.every((c) => finished.has(c)) && (sb.faults.given().injected ?? 0) >= 17);
    expect(finished.has('resources')).toBe(false);
    fire!();
    const result = await scan;

    const resources = result.gaps.filter((g) => g.check === 'resources');
    expect(resources).toHaveLength(1);
    expect(resources[0]!.reason).toMatch(/did not finish within the scan's deadline \(300 s\): AWS had not answered Lambda:ListFunctions in [a-z]+-[a-z]+-\d/);
    // What the deadline cut off is missing; nothing else is, and nothing is missing silently.
    expect(result.gaps.find((g) => g.check === 'last-accessed')?.reason).toMatch(/deadline/);
    expect(silentOmissions(baseline, result)).toEqual([]);
    expect(result.findings.filter((f) => f.check === 'cloudtrail').length).toBe(baseline.findings.filter((f) => f.check === 'cloudtrail').length);
    const summary = summaryOf(result);
    expect(summary).not.toContain('Every check ran');
    expect(summary).toContain('Could not be checked');
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}
