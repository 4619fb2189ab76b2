/**
 * The organization's result from its accounts' records: every finding and gap named with its account,
 * the accounts ranked by their worst story and finding (an account where a compromised credential was
 * followed first, then the worst finding, then how many findings of medium or above, then all), the
 * accounts that are gaps after them, and the stories that cross accounts.
 */
import type { Finding, Gap, ScanWindow, Severity } from '../scan/model';
import { SEVERITY_RANK } from '../scan/signals';
import type { SweepAccountRecord } from '../store/model';
import { crossAccountStories } from './cross-account';
import type { OrgSweepResult, OrgSweepSummary } from './model';

export function worstSeverity(findings: readonly Finding[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const f of findings) if (!worst || SEVERITY_RANK[f.severity] < SEVERITY_RANK[worst]) worst = f.severity;
  return worst;
}

export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

function rankKey(r: SweepAccountRecord): number[] {
  const findings = r.result?.findings ?? [];
  const worst = worstSeverity(findings);
  const serious = findings.filter((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK.medium).length;
  const stories = r.result?.stories?.length ?? 0;
  return [r.status === 'scanned' ? 0 : 1, stories ? 0 : 1, worst ? SEVERITY_RANK[worst] : 9, -serious, -findings.length];
}

export function rankAccounts(records: readonly SweepAccountRecord[]): SweepAccountRecord[] {
  return [...records].sort((a, b) => {
    const ka = rankKey(a);
    const kb = rankKey(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return a.account.localeCompare(b.account);
  });
}

/**
 * A member account cannot list the organization (only its management account can), so its
 * organizations check reports that as a gap; when the home account's own scan listed the
 * organization, those gaps say nothing the sweep does not already cover.
 */
function coveredByHome(records: readonly SweepAccountRecord[], home: string): boolean {
  const own = records.find((r) => r.account === home && r.status === 'scanned');
  return !!own?.result && !own.result.gaps.some((g) => g.check === 'organizations');
}

export interface AggregateInput {
  records: readonly SweepAccountRecord[];
  window: ScanWindow;
  durationMs: number;
  summary: Omit<OrgSweepSummary, 'listed' | 'scanned' | 'gaps' | 'reused'>;
}

export function aggregateSweep({ records, window, durationMs, summary }: AggregateInput): OrgSweepResult {
  const dropMemberOrgGaps = coveredByHome(records, summary.home);
  const accounts = rankAccounts(
    records.map((r) => {
      if (!r.result || !dropMemberOrgGaps || r.account === summary.home) return r;
      return { ...r, result: { ...r.result, gaps: r.result.gaps.filter((g) => g.check !== 'organizations') } };
    }),
  );
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  const apiCalls: Record<string, number> = {};
  const regions = new Set<string>();
  for (const r of accounts) {
    if (r.status !== 'scanned')
      gaps.push({ check: 'organizations', account: r.account, reason: `Account ${r.account} (${r.name}) was not scanned: ${r.reason ?? r.status}` });
    if (!r.result) continue;
    for (const f of r.result.findings) findings.push({ ...f, account: r.account });
    for (const g of r.result.gaps) gaps.push({ ...g, account: r.account });
    for (const region of r.result.regions) regions.add(region);
    if (r.reusedFrom) continue;
    for (const [op, n] of Object.entries(r.result.stats.apiCalls)) apiCalls[op] = (apiCalls[op] ?? 0) + n;
  }
  return {
    account: summary.home,
    window,
    regions: [...regions].sort(),
    findings,
    gaps,
    stats: { durationMs, apiCalls },
    organization: {
      ...summary,
      listed: records.length,
      scanned: records.filter((r) => r.status === 'scanned').length,
      gaps: records.filter((r) => r.status !== 'scanned').length,
      reused: records.filter((r) => r.reusedFrom).length,
    },
    accounts,
    crossAccount: crossAccountStories(findings),
  };
}
