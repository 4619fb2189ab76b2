/**
 * `npm run bench` (part): scans of the sandbox's `compromised-key` account with 30% of AWS calls
 * faulted (AWS errors, throttling, endpoints that never answer, dropped connections, HTML 500s; seeded,
 * one seed per run), each compared with the fault-free scan. Counts scans that did not return by
 * their deadline (hung) and silent omissions (bench/fault-scans.ts defines them). Exits 1 when either
 * is not 0.
 *
 *   node dist/bench/scan-faults.js [--runs 50] [--rate 0.3] [--deadline-ms 12000] [--seed 1] [--kinds error,throttle,hang,reset,html500]
 */
import { FAULT_KINDS, startSandbox, type FaultKind } from '@aws-ir/aws-sandbox';
import { baselineScan, scanUnderFaults, type FaultScanOptions, type FaultScanReport } from './fault-scans';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<number> {
  const runs = Number(arg('runs', '50'));
  const firstSeed = Number(arg('seed', '1'));
  const kinds = arg('kinds', 'error,throttle,hang,reset,html500').split(',') as FaultKind[];
  const unknown = kinds.filter((k) => !(FAULT_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`unknown fault kinds ${unknown.join(', ')}; known: ${FAULT_KINDS.join(', ')}`);
  const options: FaultScanOptions = {
    rate: Number(arg('rate', '0.3')),
    kinds,
    seed: firstSeed,
    deadlineMs: Number(arg('deadline-ms', '12000')),
    // Shorter than production's (3 s / 15 s / 5 attempts / 300 s) so 50 scans take minutes, not hours;
    // the deadline logic is the same.
    timeouts: { connectionMs: 1000, requestMs: 2000 },
    maxAttempts: 3,
    days: 7,
  };
  const sb = await startSandbox({ scenario: 'compromised-key', onInternalError: () => undefined });
  try {
    const baseline = await baselineScan(sb, options);
    console.log(
      `fault-free scan: ${baseline.findings.length} findings, ${baseline.gaps.length} gaps, ${Object.values(baseline.stats.apiCalls).reduce((a, b) => a + b, 0)} API calls`,
    );
    const reports: FaultScanReport[] = [];
    for (let i = 0; i < runs; i++) {
      sb.reset();
      const report = await scanUnderFaults(sb, baseline, { ...options, seed: firstSeed + i });
      reports.push(report);
      const faults = Object.entries(report.faults)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      console.log(
        `seed ${report.seed}: ${(report.wallMs / 1000).toFixed(1)} s${report.withinDeadline ? '' : ' PAST THE DEADLINE'}, ${report.findings} findings, ${report.gaps} gaps, silent omissions ${report.omissions.length}; faults: ${faults || 'none'}`,
      );
      for (const o of report.omissions) console.log(`   omitted silently: [${o.check}${o.regions.length ? ` ${o.regions.join(',')}` : ''}] ${o.title}`);
    }
    // Every operation the scan calls, denied on every call in turn: AccessDenied must be a gap, never "nothing there".
    const denied: FaultScanReport[] = [];
    const operations = Object.keys(baseline.stats.apiCalls).sort();
    for (const op of operations) {
      sb.reset();
      const report = await scanUnderFaults(sb, baseline, { ...options, rate: 1, kinds: ['access-denied'], operations: [op] });
      denied.push(report);
      console.log(`AccessDenied on every ${op}: ${report.gaps} gaps, silent omissions ${report.omissions.length}`);
      for (const o of report.omissions) console.log(`   omitted silently: [${o.check}${o.regions.length ? ` ${o.regions.join(',')}` : ''}] ${o.title}`);
    }
    const deniedOmissions = denied.reduce((n, r) => n + r.omissions.length, 0);

    const hung = reports.filter((r) => !r.withinDeadline).length;
    const omissions = reports.reduce((n, r) => n + r.omissions.length, 0);
    const runsWithOmissions = reports.filter((r) => r.omissions.length).length;
    const faults = reports.reduce((n, r) => n + Object.values(r.faults).reduce((a, b) => a + b, 0), 0);
    const walls = reports.map((r) => r.wallMs);
    console.log('');
    console.log(
      `scans under ${Math.round(options.rate * 100)}% faults (${kinds.join(', ')}): ${runs} (seeds ${firstSeed}-${firstSeed + runs - 1}), ${faults} faults given`,
    );
    console.log(
      `wall time: median ${(pct(walls, 50) / 1000).toFixed(1)} s, max ${(Math.max(...walls) / 1000).toFixed(1)} s (deadline ${options.deadlineMs / 1000} s)`,
    );
    console.log(`hung (past the deadline): ${hung}`);
    console.log(`silent omissions: ${omissions} (in ${runsWithOmissions} runs)`);
    console.log(
      `runs that said every check ran: ${reports.filter((r) => r.saysEveryCheckRan).length} (each with 0 omissions: ${reports.filter((r) => r.saysEveryCheckRan).every((r) => r.omissions.length === 0)})`,
    );
    console.log(
      `AccessDenied on each of ${operations.length} operations in turn: silent omissions ${deniedOmissions}, scans without a gap ${denied.filter((r) => r.gaps === 0).length}`,
    );
    return hung === 0 && omissions === 0 && deniedOmissions === 0 ? 0 : 1;
  } finally {
    await sb.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
