/**
 * S3 objects of the one kind the sandbox models: a trail's log files in its bucket. ListObjectsV2 walks
 * the folders CloudTrail writes (prefix, delimiter, start-after, continuation, max-keys) without making
 * more than the files it lists; GetObject answers a file's gzip bytes. Data events, as in AWS: nothing
 * here is recorded in the account's management history.
 */
import { stableHex } from '../ids';
import { SandboxError, type OperationContext, type SandboxState, type Trail } from '../model';
import type { RestXmlReply } from '../protocols/rest-xml';
import { XmlList } from '../protocols/xml';
import { accountRoot, type LogFile, logDays, filesOfDay, logFileSize, parseKey, readLogFile, trailOfBucket } from '../trail-store/log-files';
import { regionsWithEvents } from '../trail-store/region-history';
import { str } from './service-input';

const DAY_MS = 86_400_000;
const pad = (n: number): string => String(n).padStart(2, '0');

interface Entry {
  /** A folder (ends with "/") or a file's key. */
  key: string;
  file?: LogFile;
}

/** The folders and files directly under `dir` (which ends with "/" or is ""), in key order. */
function children(state: SandboxState, trail: Trail, dir: string, now: number): Entry[] {
  const root = accountRoot(state, trail);
  if (dir.length < root.length) {
    if (!root.startsWith(dir)) return [];
    const next = root.slice(dir.length).split('/')[0] as string;
    return [{ key: `${dir}${next}/` }];
  }
  if (!dir.startsWith(root)) return [];
  const parts = dir
    .slice(root.length)
    .split('/')
    .filter((p) => p !== '');
  const regions = trail.isMultiRegion ? regionsWithEvents(state) : regionsWithEvents(state).filter((r) => r === trail.homeRegion);
  if (parts.length === 0) return regions.map((r) => ({ key: `${dir}${r}/` }));
  const [region, year, month, day] = parts as [string, string?, string?, string?];
  if (!regions.includes(region)) return [];
  const days = logDays(state, now).map((d) => {
    const t = new Date(d);
    return { ms: d, y: String(t.getUTCFullYear()), m: pad(t.getUTCMonth() + 1), d: pad(t.getUTCDate()) };
  });
  const unique = (list: string[]): Entry[] => [...new Set(list)].map((k) => ({ key: `${dir}${k}/` }));
  if (parts.length === 1) return unique(days.map((d) => d.y));
  if (parts.length === 2) return unique(days.filter((d) => d.y === year).map((d) => d.m));
  if (parts.length === 3) return unique(days.filter((d) => d.y === year && d.m === month).map((d) => d.d));
  if (parts.length === 4) {
    const match = days.find((d) => d.y === year && d.m === month && d.d === day);
    if (!match) return [];
    return filesOfDay(state, trail, region, Math.floor(match.ms / DAY_MS) * DAY_MS, now).map((f) => ({ key: f.key, file: f }));
  }
  return [];
}

/** Every file under `dir` whose key starts with `prefix` and sorts after `after`, in key order. */
function* filesUnder(state: SandboxState, trail: Trail, dir: string, prefix: string, after: string, now: number): Generator<Entry> {
  for (const c of children(state, trail, dir, now)) {
    if (!(c.key.startsWith(prefix) || prefix.startsWith(c.key))) continue;
    if (c.file) {
      if (c.key > after) yield c;
      continue;
    }
    // A folder whose every key sorts before the marker is skipped whole.
    if (after >= c.key && !after.startsWith(c.key)) continue;
    yield* filesUnder(state, trail, c.key, prefix, after, now);
  }
}

const encode = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
const decode = (token: string): string => {
  const key = Buffer.from(token, 'base64url').toString('utf8');
  if (!key) throw new SandboxError('InvalidArgument', 'The continuation token provided is incorrect');
  return key;
};

export function listTrailLogs(ctx: OperationContext, bucket: string, trail: Trail): RestXmlReply {
  const q = ctx.params;
  const prefix = str(q.prefix) ?? '';
  const delimiter = str(q.delimiter);
  const maxKeys = Math.min(1000, Math.max(0, Number(str(q['max-keys']) ?? 1000)));
  const token = str(q['continuation-token']);
  const startAfter = str(q['start-after']) ?? '';
  const marker = token ? decode(token) : startAfter;
  const now = ctx.now.getTime();
  const contents: Record<string, unknown>[] = [];
  const common: string[] = [];
  let truncated = false;
  let last = '';
  if (delimiter === '/') {
    // One level: the folder the prefix is in, its entries that start with the prefix.
    const dir = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    for (const c of children(ctx.state, trail, dir, now)) {
      if (!c.key.startsWith(prefix) || c.key <= marker) continue;
      if (contents.length + common.length === maxKeys) {
        truncated = true;
        break;
      }
      if (c.file) contents.push(objectXml(ctx.state, trail, c.file));
      else common.push(c.key);
      last = c.key;
    }
  } else {
    for (const c of filesUnder(ctx.state, trail, '', prefix, marker, now)) {
      if (contents.length === maxKeys) {
        truncated = true;
        break;
      }
      contents.push(objectXml(ctx.state, trail, c.file as LogFile));
      last = c.key;
    }
  }
  return {
    root: 'ListBucketResult',
    value: {
      Name: bucket,
      Prefix: prefix,
      ...(delimiter ? { Delimiter: delimiter } : {}),
      MaxKeys: maxKeys,
      KeyCount: contents.length + common.length,
      IsTruncated: truncated,
      ...(token ? { ContinuationToken: token } : {}),
      ...(truncated ? { NextContinuationToken: encode(last) } : {}),
      ...(startAfter ? { StartAfter: startAfter } : {}),
      Contents: new XmlList(contents),
      CommonPrefixes: new XmlList(common.map((p) => ({ Prefix: p }))),
    },
  };
}

function objectXml(state: SandboxState, trail: Trail, f: LogFile): Record<string, unknown> {
  return {
    Key: f.key,
    LastModified: new Date(f.deliveredAt),
    ETag: `"${stableHex('', f.key, 32)}"`,
    Size: logFileSize(state, trail, f),
    StorageClass: 'STANDARD',
  };
}

export function getTrailLog(ctx: OperationContext, bucket: string, trail: Trail, key: string): RestXmlReply {
  const file = parseKey(ctx.state, trail, key, ctx.now.getTime());
  if (!file) {
    const err = new SandboxError('NoSuchKey', 'The specified key does not exist.', 404);
    err.details.Key = key;
    err.details.BucketName = bucket;
    throw err;
  }
  const body = readLogFile(ctx.state, trail, file);
  return {
    raw: body,
    // CloudTrail stores its files gzip-compressed JSON; readers gunzip them themselves.
    contentType: 'application/json',
    headers: {
      'content-encoding': 'gzip',
      etag: `"${stableHex('', file.key, 32)}"`,
      'last-modified': new Date(file.deliveredAt).toUTCString(),
    },
  };
}

/** The trail whose logs a bucket holds, or undefined for any other bucket (whose objects are not modelled). */
export function logBucketTrail(state: SandboxState, bucket: string): Trail | undefined {
  return trailOfBucket(state, bucket);
}
