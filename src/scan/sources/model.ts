/**
 * CloudTrail sources behind one interface: LookupEvents (the whole window, or targeted queries when the
 * window is too large for 2 requests/s), the trail's log files in S3, and Athena over the trail's table.
 * Every source hands the same parsed events to one collector (collector.ts) and reports what it covered,
 * what it could not (gaps), and the requests and bytes it cost.
 */

export type SourceName = 'lookup-events' | 's3' | 'athena';

/**
 * How a region was read. `full`: every event of the window through LookupEvents. `write-events`:
 * LookupEvents with ReadOnly=false, plus each read-only event name of the catalog. `event-names`: one
 * LookupEvents query per event name of the catalog. `s3`: the trail's log files. `athena`: SQL generated
 * from the catalog. The targeted strategies add the whole activity of every implicated key and user.
 */
export type Strategy = 'full' | 'write-events' | 'event-names' | 's3' | 'athena';

/** The LookupEvents attributes the scan queries by (one per call, as AWS allows). */
export type LookupKey = 'ReadOnly' | 'EventName' | 'AccessKeyId' | 'Username';

export type CoverageFilter = { kind: 'all' } | { kind: 'attribute'; key: LookupKey; value: string } | { kind: 'sql'; detail: string };

/** What one read claims to have covered: a time range and which events in it. */
export interface Coverage {
  source: SourceName;
  from: string;
  to: string;
  filter: CoverageFilter;
  /** Events read for this claim. */
  events: number;
  /** False when a page or request budget stopped the read before `from`: the claim's events were not all read. */
  complete: boolean;
  /** Where a budget stopped it: events older than this were not read. */
  stoppedAt?: string;
}

export interface RegionReport {
  region: string;
  strategy: Strategy;
  /** The source that read most of the window. */
  source: SourceName;
  /** Events in the window the first page suggested (LookupEvents), when estimated. */
  estimatedEvents?: number;
  coverage: Coverage[];
  /** What was not covered, one sentence each (also in the scan's gaps). */
  notCovered: string[];
  /** Why a faster source was not used (e.g. the trail's bucket denied access). */
  fallback?: string;
  requests: number;
  bytes: number;
  eventsRead: number;
}

export interface AthenaReport {
  queryIds: string[];
  scannedBytes: number;
  /** At Athena's $5 per TB scanned. */
  costUsd: number;
}

export interface CloudTrailReport {
  regions: RegionReport[];
  athena?: AthenaReport;
}

/** Where the trail's log files are, and how to run Athena (from configuration; all optional). */
export interface CloudTrailSourceOptions {
  /** `auto` (default) picks per region by volume and access; the others prefer one source where it can run. */
  prefer?: 'auto' | SourceName;
  /** An organization trail's log archive: bucket, key prefix and a role to read it. Default: the account's trails. */
  trailBucket?: string;
  trailPrefix?: string;
  trailRoleArn?: string;
  athena?: { workgroup: string; database: string; table: string; outputLocation?: string };
}
