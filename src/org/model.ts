/**
 * What an organization sweep produces: the scan result shape every surface already reads (its
 * findings and gaps are every account's, each naming its `account`), plus one entry per account and
 * the stories that cross accounts. Stored as the sweep's scan result, so the buttons of a member
 * account's finding find it like any other.
 */
import type { ScanResult, Severity } from '../scan/model';
import type { SweepAccountRecord } from '../store/model';

/** The same access key id or source address behind findings in several accounts: told once. */
export interface CrossAccountStory {
  kind: 'access-key' | 'source-address';
  value: string;
  /** The worst finding's severity among them. */
  severity: Severity;
  accounts: { account: string; findingIds: string[] }[];
}

export interface OrgSweepSummary {
  /** The account aws-ir's identity is in (the management or delegated administrator account). */
  home: string;
  listed: number;
  scanned: number;
  /** Accounts that are gaps (suspended, no access, failed). */
  gaps: number;
  /** Accounts whose result was reused from an earlier run of the same sweep. */
  reused: number;
  concurrency: number;
  /** Ids asked for with --accounts that the organization does not have. */
  unknownAccounts: string[];
  resumedFrom?: string;
}

export interface OrgSweepResult extends ScanResult {
  organization: OrgSweepSummary;
  /** Ranked: scanned accounts by their worst finding, then the accounts that are gaps. */
  accounts: SweepAccountRecord[];
  crossAccount: CrossAccountStory[];
}

export function isOrgSweepResult(result: ScanResult | undefined): result is OrgSweepResult {
  return !!result && 'organization' in result && 'accounts' in result && Array.isArray((result as { accounts?: unknown }).accounts);
}
