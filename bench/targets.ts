/** The benchmark's targets (issue 4) and the least API traffic a scan of the data could make. */
import type { DataProfile } from './protocol';

export const TARGETS = {
  maxFloorRatio: 1.3,
  maxCostExplorerRequests: 4,
  maxRssBytes: 300 * 1024 * 1024,
  /** A scan with 13 trail lookups sent during it, against the same scan alone (issue 13). */
  maxTrailSlowdown: 1.5,
} as const;

export interface Measurement {
  wallMs: number;
  floorMs: number;
  ceRequests: number;
  peakRssBytes: number;
}

export function verdicts(m: Measurement): { target: string; ok: boolean }[] {
  return [
    { target: `wall time within ${TARGETS.maxFloorRatio}x of the rate-limit floor`, ok: m.wallMs <= m.floorMs * TARGETS.maxFloorRatio },
    { target: `at most ${TARGETS.maxCostExplorerRequests} Cost Explorer requests`, ok: m.ceRequests <= TARGETS.maxCostExplorerRequests },
    { target: `peak RSS under ${TARGETS.maxRssBytes / 1024 / 1024} MB`, ok: m.peakRssBytes < TARGETS.maxRssBytes },
  ];
}

/**
 * Requests a complete scan cannot do without, for the operations where that number follows from the
 * data: one LookupEvents page per 50 events in each region (one for an empty region), one inventory
 * listing per region, one status per trail, and the single-call account-level reads.
 */
export function minimumCalls(p: DataProfile): Record<string, number> {
  const regions = p.regions.length;
  return {
    'CloudTrail:LookupEvents': p.regions.reduce((n, r) => n + r.lookupPages, 0),
    'CloudTrail:DescribeTrails': regions,
    'CloudTrail:GetTrailStatus': p.trails,
    'EC2:DescribeRegions': 1,
    'EC2:DescribeInstances': p.regions.reduce((n, r) => n + Math.max(1, Math.ceil(r.instances / 1000)), 0),
    'Lambda:ListFunctions': p.regions.reduce((n, r) => n + Math.max(1, Math.ceil(r.lambdaFunctions / 10000)), 0),
    'IAM:GenerateCredentialReport': 1,
    'IAM:GetCredentialReport': 1,
    'STS:GetCallerIdentity': 1,
    'Organizations:DescribeOrganization': 1,
    'Account:GetContactInformation': 1,
    'Account:GetAlternateContact': 3,
  };
}
