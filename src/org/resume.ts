/**
 * When a sweep started again resumes an earlier one instead of scanning everything again. "Nothing
 * changed" means: the same channel, the same accounts with the same status (as listed now), the same
 * window length and regions, the same --accounts/--ou narrowing and the same member role and
 * ExternalId, and the earlier sweep's window ended less than AWS_IR_ORG_RESUME_MINUTES ago. The resumed sweep
 * keeps the earlier window's end, so every account covers the same window (freshness is counted from
 * that end, so a chain of resumed sweeps never stretches it), and scans only the accounts
 * the earlier one did not finish (gaps are tried again). `--fresh` always starts over.
 */
import { createHash } from 'node:crypto';
import type { ScanRecord, SweepInfo } from '../store/model';
import type { OrgAccount } from './accounts';

export interface SweepScope {
  accounts: OrgAccount[];
  days: number;
  regions?: string[];
  narrowing: { accounts?: string[]; ou?: string };
  memberRoleName: string;
  externalId?: string;
}

export function sweepFingerprint(scope: SweepScope): string {
  const doc = {
    accounts: scope.accounts.map((a) => `${a.id}:${a.status}`).sort(),
    days: scope.days,
    regions: scope.regions ? [...scope.regions].sort() : 'all',
    narrowing: { accounts: scope.narrowing.accounts ? [...scope.narrowing.accounts].sort() : null, ou: scope.narrowing.ou ?? null },
    role: scope.memberRoleName,
    // Only whether and which: the id is hashed with the rest, never stored in clear.
    externalId: scope.externalId ?? null,
  };
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 32);
}

/** The latest sweep in `scans` the new one can resume, if any. */
export function resumable(scans: ScanRecord[], fingerprint: string, now: Date, resumeMinutes: number): (ScanRecord & { sweep: SweepInfo }) | undefined {
  if (resumeMinutes <= 0) return undefined;
  const since = now.getTime() - resumeMinutes * 60_000;
  const candidates = scans.filter(
    (s): s is ScanRecord & { sweep: SweepInfo } => s.sweep?.fingerprint === fingerprint && s.status !== 'running' && Date.parse(s.sweep.windowEnd) >= since,
  );
  return candidates.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}
