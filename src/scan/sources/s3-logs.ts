/**
 * The trail's log files in S3, read directly: not bound by LookupEvents' 2 requests/s. Files are listed
 * by day prefix (`[prefix/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/`, with continuation),
 * fetched a few at a time, gunzipped and split into records as they stream in (record-stream.ts), and
 * every record goes to the collector like a LookupEvents event.
 */
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../aws/clients';
import { type CloudTrailRecord, trailEventFromRecord } from '../cloudtrail-events';
import { failureReason, step } from '../errors';
import type { EventCollector } from './collector';
import type { Coverage } from './model';
import { RecordSplitter } from './record-stream';

/** Files fetched at once: enough to hide each request's latency, few enough to keep memory flat. */
export const S3_CONCURRENCY = 8;
/** CloudTrail delivers a file within about 5 minutes of the calls in it (not guaranteed): files named up to this much after the range may hold its events. */
export const DELIVERY_LAG_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

export interface LogLocation {
  bucket: string;
  /** `[prefix/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/`. */
  root: string;
  /** The clients that read the bucket (the log archive's role for an organization trail). */
  clients: AwsClients;
  /** The region the S3 client is made for (redirects are followed). */
  region: string;
}

export interface S3Read {
  coverage: Coverage;
  requests: number;
  bytes: number;
  files: number;
  /** Files that could not be read (their period is a gap), and why the first one failed. */
  failed: string[];
  failure?: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const dayPath = (ms: number): string => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
};

/** The delivery time in a CloudTrail log file's name (…_20261201T0815Z_RANDOM.json.gz). */
export function deliveredAt(key: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[^/]*\.json\.gz$/.exec(key);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) : undefined;
}

/** The day folders that can hold files for [from, to): from the first day to the day the last file may be delivered. */
export function dayPrefixes(root: string, region: string, from: Date, to: Date): string[] {
  const out: string[] = [];
  for (let d = Math.floor(from.getTime() / DAY_MS) * DAY_MS; d <= to.getTime() + DELIVERY_LAG_MS; d += DAY_MS) out.push(`${root}${region}/${dayPath(d)}/`);
  return out;
}

async function listKeys(loc: LogLocation, prefix: string, counter: { requests: number }): Promise<{ key: string; size: number }[]> {
  const s3 = loc.clients.s3(loc.region);
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const page = await step('s3:ListObjectsV2', () => s3.send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: prefix, ContinuationToken: token })));
    counter.requests++;
    for (const o of page.Contents ?? []) if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Gunzips (when the bytes are gzip) and splits one file into records, handing each to `onRecord`; returns the bytes read. */
export async function streamRecords(body: AsyncIterable<unknown>, onRecord: (rec: CloudTrailRecord) => void): Promise<number> {
  let compressed = 0;
  const it = body[Symbol.asyncIterator]();
  const asBuffer = (chunk: unknown): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  const first = await it.next();
  const head = first.done ? Buffer.alloc(0) : asBuffer(first.value);
  // The first bytes tell gzip from plain JSON (S3 may or may not say Content-Encoding: gzip).
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const source = Readable.from(
    (async function* () {
      compressed += head.length;
      if (head.length) yield head;
      for (let n = await it.next(); !n.done; n = await it.next()) {
        const b = asBuffer(n.value);
        compressed += b.length;
        yield b;
      }
    })(),
  );
  const text = gzip ? source.pipe(createGunzip()) : source;
  text.setEncoding('utf8');
  const splitter = new RecordSplitter();
  for await (const chunk of text) {
    for (const json of splitter.push(chunk as string)) {
      const rec: unknown = JSON.parse(json);
      if (rec && typeof rec === 'object') onRecord(rec as CloudTrailRecord);
    }
  }
  splitter.end();
  return compressed;
}

/** Reads the region's events in [from, to) from the trail's log files. */
export async function readS3Logs(loc: LogLocation, region: string, from: Date, to: Date, collector: EventCollector): Promise<S3Read> {
  const counter = { requests: 0 };
  const keys: string[] = [];
  for (const prefix of dayPrefixes(loc.root, region, from, to)) {
    for (const o of await listKeys(loc, prefix, counter)) {
      const at = deliveredAt(o.key);
      // A file delivered before the range cannot hold its events; one delivered well after it neither.
      if (at === undefined || at < from.getTime() || at > to.getTime() + DELIVERY_LAG_MS) continue;
      keys.push(o.key);
    }
  }
  const s3 = loc.clients.s3(loc.region);
  const fromSecond = Math.floor(from.getTime() / 1000) * 1000;
  let bytes = 0;
  let events = 0;
  const failed: string[] = [];
  let firstFailure: string | undefined;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < keys.length) {
      const key = keys[next++] as string;
      try {
        const out = await step('s3:GetObject', () => s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: key })));
        counter.requests++;
        const body = out.Body;
        if (!body || !(Symbol.asyncIterator in body)) throw new Error('S3 returned no body');
        const read = await streamRecords(body as AsyncIterable<unknown>, (rec) => {
          const e = trailEventFromRecord(rec, region);
          // Records carry whole seconds: an event in the range's first second may read as just before it.
          if (e.time.getTime() < fromSecond || e.time >= to) return;
          events++;
          collector.add(e);
        });
        bytes += read;
      } catch (err) {
        failed.push(key);
        firstFailure ??= failureReason(err);
      }
    }
  };
  await Promise.all(Array.from({ length: S3_CONCURRENCY }, worker));
  const coverage: Coverage = {
    source: 's3',
    from: from.toISOString(),
    to: to.toISOString(),
    filter: { kind: 'all' },
    events,
    complete: failed.length === 0,
  };
  const read: S3Read = { coverage, requests: counter.requests, bytes, files: keys.length, failed };
  if (firstFailure) read.failure = firstFailure;
  return read;
}
