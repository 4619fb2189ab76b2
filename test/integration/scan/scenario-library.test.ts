/**
 * The scenario library (packages/aws-sandbox/scenarios/library/): attacks reproduced from public incident
 * and attack-technique write-ups, each with benign look-alikes, scanned by the real engine through real SDK
 * clients over HTTP. Each scenario's expectation file says what must be found — the target a responder must
 * see named, at a minimum severity — and which benign activity must stay below medium. The measured table is
 * printed (and kept in the README under "Measured"). The project's own `clean` account stays free of
 * medium-or-above findings for any window from 1 to 90 days.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenariosDir, startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { clientsFor } from '../../../src/aws/clients';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { runScan } from '../../../src/scan/engine';
import type { Finding, ScanResult, Severity } from '../../../src/scan/model';
import { SEVERITY_RANK } from '../../../src/scan/signals';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

interface Expectation {
  scenario: string;
  sources: string[];
  planted: { behaviour: string; minSeverity: Severity; target: string; detection?: string }[];
  benign: { item: string; marker: string }[];
}

type Outcome = 'found' | 'lower' | 'missed';

interface Measured {
  scenario: string;
  planted: { behaviour: string; target: string; outcome: Outcome; severity?: Severity }[];
  alarms: { item: string; marker: string; findings: string[] }[];
}

/** The sandbox's clock, its throttling, and the scans' pacing and polls on one virtual time: nobody waits. */
const time = new VirtualTime();
const LIBRARY = join(scenariosDir(), 'library');
const expectations: Expectation[] = readdirSync(LIBRARY)
  .filter((f) => f.endsWith('.expect.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(LIBRARY, f), 'utf8')) as Expectation);

const atLeast = (severity: Severity, min: Severity): boolean => SEVERITY_RANK[severity] <= SEVERITY_RANK[min];
const names = (f: Finding, text: string): boolean => f.resources.some((r) => r.includes(text));

/** Found = a finding naming the target at the severity or above; lower = named only below it; missed = never named. */
function measure(expectation: Expectation, result: ScanResult): Measured {
  const planted = expectation.planted.map((p) => {
    const naming = result.findings.filter((f) => names(f, p.target)).sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
    const best = naming[0]?.severity;
    const outcome: Outcome = best === undefined ? 'missed' : atLeast(best, p.minSeverity) ? 'found' : 'lower';
    return { behaviour: p.behaviour, target: p.target, outcome, severity: best };
  });
  const alarms = expectation.benign
    .map((b) => ({
      item: b.item,
      marker: b.marker,
      findings: result.findings.filter((f) => atLeast(f.severity, 'medium') && names(f, b.marker)).map((f) => `${f.severity} ${f.title}`),
    }))
    .filter((a) => a.findings.length > 0);
  return { scenario: expectation.scenario, planted, alarms };
}

async function scan(sandbox: RunningSandbox, days: number): Promise<ScanResult> {
  clearCostCache();
  return runScan({
    clients: clientsFor(sandboxTestTarget(sandbox, time)),
    options: { days },
  });
}

function table(rows: Measured[]): string {
  const count = (m: Measured, o: Outcome) => m.planted.filter((p) => p.outcome === o).length;
  const lines = [
    '| Scenario | Planted found at severity, target named | Found lower | Missed | Benign ≥ medium |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((m) => `| ${m.scenario} | ${count(m, 'found')}/${m.planted.length} | ${count(m, 'lower')} | ${count(m, 'missed')} | ${m.alarms.length} |`),
  ];
  const details = rows.flatMap((m) => [
    ...m.planted.filter((p) => p.outcome !== 'found').map((p) => `  ${m.scenario}: ${p.outcome} (${p.severity ?? 'not named'}): ${p.behaviour} [${p.target}]`),
    ...m.alarms.map((a) => `  ${m.scenario}: benign alarm: ${a.item} [${a.marker}]: ${a.findings.join('; ')}`),
  ]);
  return [...lines, ...(details.length > 0 ? ['', ...details] : [])].join('\n');
}

const measured: Measured[] = [];

afterAll(() => {
  if (measured.length > 0) process.stdout.write(`\nScenario library, measured:\n${table(measured)}\n\n`);
});

describe('the scenario library', () => {
  it('has at least 8 scenarios, each citing its sources and planting behaviours and benign look-alikes', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(8);
    for (const e of expectations) {
      const doc = JSON.parse(readFileSync(join(LIBRARY, `${e.scenario}.json`), 'utf8')) as { name: string; source: string[]; description: string };
      expect(doc.name).toBe(e.scenario);
      expect(doc.source.length).toBeGreaterThan(0);
      expect(e.sources).toEqual(doc.source);
      expect(doc.description.length).toBeGreaterThan(100);
      expect(e.planted.length).toBeGreaterThan(0);
      expect(e.benign.length).toBeGreaterThan(0);
    }
  });

  describe.each(expectations.map((e) => [e.scenario, e] as const))('%s', (_name, expectation) => {
    let sandbox: RunningSandbox;
    let result: ScanResult;
    let m: Measured;

    beforeAll(async () => {
      sandbox = await startSandbox({ scenario: `library/${expectation.scenario}`, ...sandboxClock(time) });
      result = await scan(sandbox, 7);
      m = measure(expectation, result);
      measured.push(m);
    }, 120_000);
    afterAll(() => sandbox?.close());

    it('scans without gaps', () => {
      expect(result.gaps).toEqual([]);
    });

    it('finds every planted behaviour with its target named at the expected severity', () => {
      expect(m.planted.filter((p) => p.outcome !== 'found')).toEqual([]);
    });

    it('raises nothing at medium or above about the benign look-alikes', () => {
      expect(m.alarms).toEqual([]);
    });
  });
});

describe('the clean account', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'clean', ...sandboxClock(time) });
  });
  afterAll(() => sandbox?.close());

  it.each([1, 7, 30, 90])(
    'has no finding at medium or above with --days %i',
    async (days) => {
      const result = await scan(sandbox, days);
      expect(result.gaps).toEqual([]);
      expect(result.findings.filter((f) => atLeast(f.severity, 'medium')).map((f) => `${f.severity} ${f.title}`)).toEqual([]);
    },
    120_000,
  );
});
