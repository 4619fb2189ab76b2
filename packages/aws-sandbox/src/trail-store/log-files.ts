/**
 * The trail's log files as CloudTrail delivers them to S3: one gzip JSON file ({"Records":[…]}) per region
 * and 5-minute interval that holds events, delivered at the interval's end, under
 * `[prefix/]AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_RANDOM.json.gz`.
 * Files are made when first listed or read and kept on disk (never in memory) until the sandbox closes;
 * S3's GetObject and Athena's engine read the same bytes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { stableHex } from '../ids';
import type { SandboxState, Trail, TrailEvent } from '../model';
import { earliestEvent, hasEvents, oldestFirst, regionsWithEvents } from './region-history';

export const DELIVERY_INTERVAL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 90;

/** The full record CloudTrail writes (what LookupEvents returns as CloudTrailEvent). */
export function cloudTrailRecord(accountId: string, e: TrailEvent): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: accountId,
    readOnly: e.readOnly,
    ...e.record,
    eventID: e.eventId,
    eventTime: e.eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventName: e.eventName,
    eventSource: e.eventSource,
    awsRegion: e.region,
  };
}

export interface LogFile {
  key: string;
  region: string;
  /** The interval [deliveredAt - 5 min, deliveredAt) whose events it holds. */
  deliveredAt: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function stamp(ms: number): { day: string; time: string } {
  const d = new Date(ms);
  return {
    day: `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`,
    time: `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}Z`,
  };
}

/** The trail whose logs a bucket holds, when the bucket exists in the account. */
export function trailOfBucket(state: SandboxState, bucket: string): Trail | undefined {
  if (!state.buckets.some((b) => b.name === bucket)) return undefined;
  return state.regions.flatMap((r) => r.trails).find((t) => t.s3BucketName === bucket);
}

export function accountRoot(state: SandboxState, trail: Trail): string {
  return `${trail.s3KeyPrefix ? `${trail.s3KeyPrefix.replace(/\/+$/, '')}/` : ''}AWSLogs/${state.accountId}/CloudTrail/`;
}

/** The period the trail logged, as far as the sandbox models it: from its start to its stop (or now). */
function loggingPeriod(trail: Trail, now: number): { from: number; to: number } {
  const from = trail.startLoggingTime?.getTime() ?? Number.NEGATIVE_INFINITY;
  const to = !trail.isLogging && trail.stopLoggingTime ? trail.stopLoggingTime.getTime() : now;
  return { from, to };
}

function regionsOf(state: SandboxState, trail: Trail): string[] {
  const withEvents = regionsWithEvents(state);
  return trail.isMultiRegion ? withEvents : withEvents.filter((r) => r === trail.homeRegion);
}

function fileKey(state: SandboxState, trail: Trail, region: string, deliveredAt: number): string {
  const { day, time } = stamp(deliveredAt);
  const random = stableHex('', `${state.accountId}|${region}|${deliveredAt}`, 16).toUpperCase();
  return `${accountRoot(state, trail)}${region}/${day}/${state.accountId}_CloudTrail_${region}_${time}_${random}.json.gz`;
}

/** The file delivered at `end` for the region, if the trail logged events in its interval. */
function fileAt(state: SandboxState, trail: Trail, region: string, end: number, now: number): LogFile | undefined {
  const period = loggingPeriod(trail, now);
  if (end > now || end <= period.from) return undefined;
  const start = end - DELIVERY_INTERVAL_MS;
  if (start >= period.to) return undefined;
  if (!hasEvents(state, region, Math.max(start, period.from), Math.min(end, period.to))) return undefined;
  return { key: fileKey(state, trail, region, end), region, deliveredAt: end };
}

/** Every delivered file of one region and UTC day, in key order. */
export function filesOfDay(state: SandboxState, trail: Trail, region: string, dayStart: number, now: number): LogFile[] {
  const out: LogFile[] = [];
  // A file is named by its delivery time, so a day's folder holds the intervals that end in it (the
  // interval ending at midnight is in the new day's folder).
  for (let end = dayStart; end < dayStart + DAY_MS; end += DELIVERY_INTERVAL_MS) {
    const f = fileAt(state, trail, region, end, now);
    if (f) out.push(f);
  }
  return out;
}

/** Days (UTC midnight, ms) that can hold files: from the oldest event (at most 90 days back) to today. */
export function logDays(state: SandboxState, now: number): number[] {
  const earliest = Math.max(earliestEvent(state) ?? now, now - HISTORY_DAYS * DAY_MS);
  const first = Math.floor(earliest / DAY_MS) * DAY_MS;
  const days: number[] = [];
  for (let d = first; d <= now; d += DAY_MS) days.push(d);
  return days;
}

/** The file a key names, if it is one the trail delivered. */
export function parseKey(state: SandboxState, trail: Trail, key: string, now: number): LogFile | undefined {
  const root = accountRoot(state, trail);
  if (!key.startsWith(root)) return undefined;
  const m = /^([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[0-9A-F]{16}\.json\.gz$/.exec(
    key.slice(root.length),
  );
  if (!m || m[6] !== m[1] || m[5] !== state.accountId) return undefined;
  const deliveredAt = Date.UTC(Number(m[7]), Number(m[8]) - 1, Number(m[9]), Number(m[10]), Number(m[11]));
  const region = m[1] as string;
  if (!regionsOf(state, trail).includes(region)) return undefined;
  if (deliveredAt % DELIVERY_INTERVAL_MS !== 0) return undefined;
  const file = fileAt(state, trail, region, deliveredAt, now);
  return file?.key === key ? file : undefined;
}

/** Every delivered file of the trail, in key order (regions, then days, then times). */
export function* allFiles(state: SandboxState, trail: Trail, now: number, regionFilter?: (region: string) => boolean): Generator<LogFile> {
  for (const region of regionsOf(state, trail)) {
    if (regionFilter && !regionFilter(region)) continue;
    for (const day of logDays(state, now)) yield* filesOfDay(state, trail, region, day, now);
  }
}

interface Store {
  dir: string;
  sizes: Map<string, number>;
}

/** One store per history: a reset builds a new history, whose files are made anew. */
const stores = new WeakMap<object, Store>();

function storeOf(state: SandboxState): Store {
  const owner = state.generated ?? state.events;
  let store = stores.get(owner);
  if (!store) {
    store = { dir: mkdtempSync(join(tmpdir(), 'aws-sandbox-trail-')), sizes: new Map() };
    stores.set(owner, store);
  }
  return store;
}

/** The file's gzip bytes, made on first use. */
export function readLogFile(state: SandboxState, trail: Trail, file: LogFile): Buffer {
  const path = ensureLogFile(state, trail, file);
  return readFileSync(path);
}

/** Makes the file on disk if needed; returns its path (Athena's engine reads it there). */
export function ensureLogFile(state: SandboxState, trail: Trail, file: LogFile): string {
  const store = storeOf(state);
  const path = join(store.dir, file.key);
  if (store.sizes.has(file.key)) return path;
  const period = loggingPeriod(trail, Number.POSITIVE_INFINITY);
  const from = Math.max(file.deliveredAt - DELIVERY_INTERVAL_MS, period.from);
  const to = Math.min(file.deliveredAt, period.to);
  const records = oldestFirst(state, file.region, from, to).map((e) => JSON.stringify(cloudTrailRecord(state.accountId, e)));
  // Level 1: the sandbox makes millions of records; the format, not the ratio, is what matters here.
  const body = gzipSync(Buffer.from(`{"Records":[${records.join(',')}]}`, 'utf8'), { level: 1 });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  store.sizes.set(file.key, body.length);
  return path;
}

export function logFileSize(state: SandboxState, trail: Trail, file: LogFile): number {
  ensureLogFile(state, trail, file);
  return storeOf(state).sizes.get(file.key) as number;
}

/** Removes the files made for this state's history (the sandbox is closing). */
export function removeLogFiles(state: SandboxState): void {
  const owner = state.generated ?? state.events;
  const store = stores.get(owner);
  if (!store) return;
  rmSync(store.dir, { recursive: true, force: true });
  stores.delete(owner);
}
