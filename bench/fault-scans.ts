/**
 * Scans under the sandbox's random faults, compared with the same account's fault-free scan: the
 * harness `npm run bench` (bench/scan-faults.ts) runs at 30% over 50+ seeds and the test suite runs
 * small and deterministic (test/integration/scan/faults.test.ts).
 *
 * A **silent omission** is a finding of the fault-free scan that the faulty scan does not report while
 * no gap of the faulty scan covers it. A gap covers a finding when it names the finding's check and
 * either names no region, or the finding names none, or they name the same region (a finding's
 * regions: its target's, or `region`/`regions` in its evidence). A scan with no silent omission tells
 * its readers everything it could not check; one with any says "nothing there" where it did not look.
 */
import type { RunningSandbox, FaultKind } from '@aws-ir/aws-sandbox';
import { AwsClients } from '../src/aws/clients';
import type { PacingClock } from '../src/aws/rate-limit';
import { clearCostCache } from '../src/scan/checks/cost';
import { runScan } from '../src/scan/engine';
import type { Finding, Gap, ScanOptions, ScanResult } from '../src/scan/model';

export interface SilentOmission {
  findingId: string;
  check: Finding['check'];
  regions: string[];
  title: string;
}

/** The regions a finding is about, when it says. */
export function findingRegions(f: Finding): string[] {
  const out = new Set<string>();
  if (f.target?.kind === 'instance') out.add(f.target.region);
  const { region, regions } = f.evidence;
  if (typeof region === 'string') out.add(region);
  if (Array.isArray(regions)) for (const r of regions) if (typeof r === 'string') out.add(r);
  return [...out];
}

export function covers(gap: Gap, f: Finding): boolean {
  if (gap.check !== f.check) return false;
  const regions = findingRegions(f);
  return !gap.region || !regions.length || regions.includes(gap.region);
}

export function silentOmissions(baseline: ScanResult, faulty: ScanResult): SilentOmission[] {
  const found = new Set(faulty.findings.map((f) => f.id));
  return baseline.findings
    .filter((f) => !found.has(f.id) && !faulty.gaps.some((g) => covers(g, f)))
    .map((f) => ({ findingId: f.id, check: f.check, regions: findingRegions(f), title: f.title }));
}

export interface FaultScanOptions {
  rate: number;
  seed: number;
  kinds?: readonly FaultKind[];
  /** Only these operations get faults; default all. */
  operations?: readonly string[];
  deadlineMs: number;
  /** Replaces the deadline's timer (tests fire it by hand). */
  schedule?: (ms: number, fire: () => void) => () => void;
  timeouts: { connectionMs: number; requestMs: number };
  maxAttempts: number;
  days: number;
  pollIntervalMs?: number;
  /** What pacing and polls wait on; default the wall clock (tests pass virtual time). */
  clock?: PacingClock;
  /** Restrict the multi-region checks to these regions; default every enabled region. */
  regions?: string[];
  /** Delay before each retry; default the SDK's backoff (tests retry at once). */
  retryDelayMs?: (attempt: number) => number;
}

export interface FaultScanReport {
  seed: number;
  wallMs: number;
  /** Returned by its deadline (plus `graceMs` for the return itself). */
  withinDeadline: boolean;
  omissions: SilentOmission[];
  gaps: number;
  findings: number;
  faults: Record<string, number>;
  /** The summary would say "every check ran" (no gap). */
  saysEveryCheckRan: boolean;
}

/** Fresh clients per scan (their own retry quota), as a new process would have. */
export function sandboxClients(sb: RunningSandbox, o: Pick<FaultScanOptions, 'timeouts' | 'maxAttempts' | 'clock' | 'retryDelayMs'>): AwsClients {
  return new AwsClients({
    key: sb.accountId,
    region: 'us-east-1',
    endpoint: sb.endpoint,
    credentials: sb.adminCredentials,
    maxAttempts: o.maxAttempts,
    timeouts: o.timeouts,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.retryDelayMs ? { retryDelayMs: o.retryDelayMs } : {}),
  });
}

/** Days, regions and polling of a scan (its window ends at the account clock's now). */
function scanWindow(o: FaultScanOptions): ScanOptions {
  return {
    days: o.days,
    pollIntervalMs: o.pollIntervalMs ?? 50,
    ...(o.regions ? { regions: o.regions } : {}),
  };
}

export async function baselineScan(sb: RunningSandbox, o: FaultScanOptions): Promise<ScanResult> {
  sb.faults.clear();
  clearCostCache();
  return runScan({
    clients: sandboxClients(sb, o),
    options: { ...scanWindow(o), deadline: { ms: 10 * o.deadlineMs } },
  });
}

export async function scanUnderFaults(sb: RunningSandbox, baseline: ScanResult, o: FaultScanOptions, graceMs = 250): Promise<FaultScanReport> {
  sb.faults.clear();
  // Cost Explorer results are reused for an hour by design; each scan here must ask AWS itself.
  clearCostCache();
  sb.faults.random({ rate: o.rate, seed: o.seed, ...(o.kinds ? { kinds: o.kinds } : {}), ...(o.operations ? { operations: o.operations } : {}) });
  const t0 = performance.now();
  const result = await runScan({
    clients: sandboxClients(sb, o),
    options: { ...scanWindow(o), deadline: { ms: o.deadlineMs, ...(o.schedule ? { schedule: o.schedule } : {}) } },
  });
  const wallMs = performance.now() - t0;
  const faults = sb.faults.given();
  sb.faults.clear();
  return {
    seed: o.seed,
    wallMs,
    withinDeadline: wallMs <= o.deadlineMs + graceMs,
    omissions: silentOmissions(baseline, result),
    gaps: result.gaps.length,
    findings: result.findings.length,
    faults,
    saysEveryCheckRan: result.gaps.length === 0,
  };
}
