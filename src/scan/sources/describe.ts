/**
 * One line per region saying how CloudTrail was read there, for the terminal, Markdown and the Slack
 * summary: the strategy, its source, what it read and cost, and what it could not cover.
 */
import type { CloudTrailReport, RegionReport } from './model';

const STRATEGY: Record<RegionReport['strategy'], string> = {
  full: 'every event (LookupEvents)',
  'write-events': 'targeted LookupEvents: write events, read-only catalog events, implicated keys and users',
  'event-names': 'targeted LookupEvents: each catalog event name, implicated keys and users',
  s3: "the trail's S3 log files",
  athena: 'Athena over the trail',
};

const n = (x: number): string => x.toLocaleString('en-US');

export function bytesText(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

/** "us-east-1: the trail's S3 log files, 2,015,926 events, 2,063 requests, 74.1 MB". */
export function regionLine(r: RegionReport): string {
  return `${r.region}: ${STRATEGY[r.strategy]}, ${n(r.eventsRead)} events, ${n(r.requests)} request${r.requests === 1 ? '' : 's'}, ${bytesText(r.bytes)}`;
}

/** Regions read other than in full, each with what it could not cover; quiet regions read in full are summed up. */
export function reportLines(report: CloudTrailReport): string[] {
  const full = report.regions.filter((r) => r.strategy === 'full' && !r.notCovered.length && !r.fallback);
  const other = report.regions.filter((r) => !full.includes(r));
  const lines = other.map((r) => {
    const extra = [r.fallback ? `note: ${r.fallback}` : '', r.notCovered.length ? `not covered: ${r.notCovered.join(' ')}` : ''].filter(Boolean);
    return [regionLine(r), ...extra].join(' — ');
  });
  if (full.length)
    lines.push(
      `${full.length} region${full.length > 1 ? 's' : ''} read in full through LookupEvents (${n(full.reduce((a, r) => a + r.eventsRead, 0))} events)`,
    );
  if (report.athena)
    lines.push(
      `Athena: ${bytesText(report.athena.scannedBytes)} scanned, about $${report.athena.costUsd.toFixed(4)} (queries ${report.athena.queryIds.join(', ')})`,
    );
  return lines;
}
