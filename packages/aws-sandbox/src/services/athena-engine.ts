/**
 * Runs an Athena query on DuckDB over the trail's log files (the same gzip files S3 serves), with the
 * table AWS documents for CloudTrail: lower-case columns, `useridentity` and `resources` as structs,
 * `requestparameters`, `responseelements` and `additionaleventdata` as JSON text, partitions `region`
 * and `timestamp` (yyyy/MM/dd) projected from the file's path.
 *
 * The query runs unchanged but for two Presto functions DuckDB names differently
 * (json_extract_scalar -> json_extract_string, regexp_like -> regexp_matches). Partition pruning reads
 * the `"timestamp"` range out of the SQL text (=, >=, <=, BETWEEN); a query without one reads every file,
 * as an unpruned Athena query would. DuckDB is a dev dependency of the sandbox, loaded only here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { SandboxState, Trail } from '../model';
import { allFiles, ensureLogFile, logFileSize } from '../trail-store/log-files';

/** The record fields the documented table reads, in the JSON's own spelling (DuckDB matches keys exactly, columns case-insensitively). */
const RECORD_TYPE = `STRUCT(
  eventVersion VARCHAR,
  userIdentity STRUCT(
    type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, invokedBy VARCHAR, accessKeyId VARCHAR, userName VARCHAR,
    sessionContext STRUCT(
      attributes STRUCT(mfaAuthenticated VARCHAR, creationDate VARCHAR),
      sessionIssuer STRUCT(type VARCHAR, principalId VARCHAR, arn VARCHAR, accountId VARCHAR, userName VARCHAR)
    )
  ),
  eventTime VARCHAR, eventSource VARCHAR, eventName VARCHAR, awsRegion VARCHAR, sourceIPAddress VARCHAR, userAgent VARCHAR,
  errorCode VARCHAR, errorMessage VARCHAR, requestParameters JSON, responseElements JSON, additionalEventData JSON,
  requestID VARCHAR, eventID VARCHAR, readOnly VARCHAR, resources STRUCT(ARN VARCHAR, accountId VARCHAR, type VARCHAR)[],
  eventType VARCHAR, apiVersion VARCHAR, recipientAccountId VARCHAR, sharedEventID VARCHAR, vpcEndpointId VARCHAR
)[]`;

export interface TableRef {
  database: string;
  table: string;
  trail: Trail;
}

export interface EngineResult {
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
  scannedBytes: number;
  engineMs: number;
}

export class EngineUnavailable extends Error {
  readonly code = 'sandbox_athena_engine_unavailable';
}

/** The translations from Presto (Athena engine v3) to DuckDB the product's queries need. */
export function toDuckDb(sql: string): string {
  return sql.replace(/\bjson_extract_scalar\s*\(/gi, 'json_extract_string(').replace(/\bregexp_like\s*\(/gi, 'regexp_matches(');
}

/** The `"timestamp"` partition range the query asks for (yyyy/MM/dd), if it says. */
export function timestampRange(sql: string): { from?: string; to?: string } {
  const col = `"?timestamp"?`;
  const between = new RegExp(String.raw`${col}\s+BETWEEN\s+'(\d{4}/\d{2}/\d{2})'\s+AND\s+'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  if (between) return { from: between[1], to: between[2] };
  const out: { from?: string; to?: string } = {};
  const eq = new RegExp(String.raw`${col}\s*=\s*'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  if (eq) return { from: eq[1], to: eq[1] };
  const ge = new RegExp(String.raw`${col}\s*>=?\s*'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  const le = new RegExp(String.raw`${col}\s*<=?\s*'(\d{4}/\d{2}/\d{2})'`, 'i').exec(sql);
  if (ge) out.from = ge[1];
  if (le) out.to = le[1];
  return out;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');
const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;

type DuckDb = typeof import('@duckdb/node-api');

async function loadDuckDb(): Promise<DuckDb> {
  try {
    return await import('@duckdb/node-api');
  } catch {
    throw new EngineUnavailable(
      'The sandbox runs Athena queries on DuckDB, a development dependency of @aws-ir/aws-sandbox: run `npm install` (with dev dependencies) to use it.',
    );
  }
}

type Instance = Awaited<ReturnType<DuckDb['DuckDBInstance']['create']>>;

/**
 * One engine per account history: the trail's delivered files are loaded into a table once (each file
 * once, as it is first needed), and every query runs on that table. Real Athena reads the files for every
 * query; the sandbox would otherwise parse the same millions of records again for each one. The bytes
 * scanned are still those of the files a query's partitions select.
 */
interface Engine {
  instance: Instance;
  loaded: Map<string, Set<string>>;
  /** Loads are one at a time; queries run beside each other on their own connections. */
  loading: Promise<void>;
}

const engines = new WeakMap<object, Promise<Engine>>();

function engineOf(duck: DuckDb, state: SandboxState): Promise<Engine> {
  const owner = state.generated ?? state.events;
  let e = engines.get(owner);
  if (!e) {
    e = duck.DuckDBInstance.create(':memory:').then((instance) => ({ instance, loaded: new Map(), loading: Promise.resolve() }));
    engines.set(owner, e);
  }
  return e;
}

const tableOf = (t: TableRef): string => ident(`trail_${t.trail.arn.replace(/[^A-Za-z0-9]/g, '_')}`);

/** Loads the trail's files not yet in its table. */
async function load(engine: Engine, t: TableRef, paths: string[]): Promise<void> {
  const done = engine.loaded.get(t.trail.arn) ?? new Set<string>();
  engine.loaded.set(t.trail.arn, done);
  const fresh = paths.filter((p) => !done.has(p));
  const connection = await engine.instance.connect();
  try {
    const source = (files: string[]) => `SELECT r.*, filename,
         regexp_extract(filename, 'CloudTrail/([^/]+)/', 1) AS region,
         regexp_extract(filename, '/(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 1) AS "timestamp"
       FROM (SELECT unnest(Records) AS r, filename
             FROM read_json([${files.map(quote).join(',')}], columns = {Records: ${quote(RECORD_TYPE)}}, filename = true, maximum_object_size = 1073741824))`;
    if (done.size === 0 && !fresh.length) {
      const scratch = mkdtempSync(join(tmpdir(), 'aws-sandbox-athena-'));
      const empty = join(scratch, 'empty.json.gz');
      writeFileSync(empty, gzipSync('{"Records":[]}'));
      await connection.run(`CREATE TABLE IF NOT EXISTS ${tableOf(t)} AS ${source([empty])}`);
      rmSync(scratch, { recursive: true, force: true });
      return;
    }
    for (let i = 0; i < fresh.length; i += 500) {
      const batch = fresh.slice(i, i + 500);
      await connection.run(done.size === 0 ? `CREATE TABLE IF NOT EXISTS ${tableOf(t)} AS ${source(batch)}` : `INSERT INTO ${tableOf(t)} ${source(batch)}`);
      for (const p of batch) done.add(p);
    }
  } finally {
    connection.closeSync();
  }
}

/** The files of the trail delivered by `now` that the query's `"timestamp"` range selects, and their bytes. */
function selectedFiles(
  state: SandboxState,
  t: TableRef,
  now: number,
  range: { from?: string; to?: string },
): { paths: string[]; all: string[]; bytes: number } {
  const paths: string[] = [];
  const all: string[] = [];
  let bytes = 0;
  for (const f of allFiles(state, t.trail, now)) {
    const path = ensureLogFile(state, t.trail, f);
    all.push(path);
    const day = dayOf(f.deliveredAt);
    if ((range.from && day < range.from) || (range.to && day > range.to)) continue;
    paths.push(path);
    bytes += logFileSize(state, t.trail, f);
  }
  return { paths, all, bytes };
}

/** Loads every file the trail has delivered into the engine (before timed queries; see Engine). */
export async function warmUp(state: SandboxState, tables: TableRef[], now: number): Promise<void> {
  const duck = await loadDuckDb();
  const engine = await engineOf(duck, state);
  for (const t of tables) {
    const { all } = selectedFiles(state, t, now, {});
    engine.loading = engine.loading.then(() => load(engine, t, all));
    await engine.loading;
  }
}

/** Runs `sql` against `tables`, reading the files their trail delivered up to `now`. */
export async function runQuery(state: SandboxState, sql: string, tables: TableRef[], now: number): Promise<EngineResult> {
  const duck = await loadDuckDb();
  const range = timestampRange(sql);
  const started = Date.now();
  const engine = await engineOf(duck, state);
  let scannedBytes = 0;
  const connection = await engine.instance.connect();
  try {
    for (const t of tables) {
      const files = selectedFiles(state, t, now, range);
      scannedBytes += files.bytes;
      const next = engine.loading.then(() => load(engine, t, files.paths));
      engine.loading = next.catch(() => undefined);
      await next;
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${ident(t.database)}`);
      // The table holds every file loaded so far; the view shows the ones this query's partitions select.
      await connection.run(
        `CREATE OR REPLACE TEMP VIEW ${ident(t.table)} AS SELECT * EXCLUDE (filename) FROM ${tableOf(t)} WHERE filename IN (SELECT unnest([${files.paths.map(quote).join(',') || "''"}]))`,
      );
    }
    const reader = await connection.runAndReadAll(toDuckDb(qualifiedToTemp(sql, tables)));
    const columns = reader.columnNames().map((name, i) => ({ name, type: athenaType(String(reader.columnTypes()[i])) }));
    const rows = reader.getRowsJson().map((row) => row.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v))));
    return { columns, rows, scannedBytes, engineMs: Date.now() - started };
  } finally {
    connection.closeSync();
  }
}

/** Per-query views are temporary (one per connection): "db"."table" in the query names the view. */
function qualifiedToTemp(sql: string, tables: TableRef[]): string {
  let out = sql;
  for (const t of tables) out = out.replace(new RegExp(String.raw`"?${t.database}"?\s*\.\s*"?${t.table}"?`, 'gi'), ident(t.table));
  return out;
}

/** Closes the engine of this history, if one was started. */
export async function closeEngine(state: SandboxState): Promise<void> {
  const owner = state.generated ?? state.events;
  const e = engines.get(owner);
  if (!e) return;
  engines.delete(owner);
  (await e).instance.closeSync();
}

function athenaType(duck: string): string {
  if (/^(BIGINT|HUGEINT|UBIGINT)$/.test(duck)) return 'bigint';
  if (/^(INTEGER|SMALLINT|TINYINT)$/.test(duck)) return 'integer';
  if (duck === 'BOOLEAN') return 'boolean';
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(duck)) return 'double';
  if (/^TIMESTAMP/.test(duck)) return 'timestamp';
  return 'varchar';
}
