/** Lines the benchmarks print about coverage: what was read, beside the time it took. */
import type { CoverageVerdict } from './coverage';

const n = (x: number): string => x.toLocaleString('en-US');

export function coverageLines(v: CoverageVerdict): string[] {
  const events = v.regions.reduce((a, r) => a + r.events, 0);
  const covered = v.regions.reduce((a, r) => a + r.covered, 0);
  const lines = [
    `coverage              ${n(covered)} of ${n(events)} events of the window read or under a targeted query (${events ? ((covered / events) * 100).toFixed(1) : '100.0'}%)`,
  ];
  for (const r of v.regions) {
    if (r.covered === r.events && !r.shortClaims.length) continue;
    lines.push(
      `  ${r.region} (${r.strategy}): ${n(r.events - r.covered)} events outside every query, ${n(r.missedRelevant)} of them a detection could match${r.shortClaims.length ? `; not read in full: ${r.shortClaims.join('; ')}` : ''}`,
    );
  }
  return lines;
}
