/**
 * DuckDB, inside the engine process only (worker.ts): the documented CloudTrail table over the trail's
 * log files (the same gzip files S3 serves): lower-case columns, `useridentity` and `resources` as
 * structs, `requestparameters`, `responseelements` and `additionaleventdata` as JSON text, partitions
 * `region` and `timestamp` (yyyy/MM/dd) projected from the file's path.
 *
 * One database per account history: the trail's delivered files are loaded into a table once (each file
 * once, as it is first needed), and every query runs on that table. Real Athena reads the files for every
 * query; the sandbox would otherwise parse the same millions of records again for each one. The sandbox
 * still counts as scanned the bytes of the files a query's partitions select.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { QueryOutput, TableFiles } from './protocol';
import { athenaType, ident, qualifiedToTemp, quote, toDuckDb } from './sql';

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

type DuckDb = typeof import('@duckdb/node-api');
type Instance = Awaited<ReturnType<DuckDb['DuckDBInstance']['create']>>;

let duckDb: Promise<DuckDb> | undefined;

/** DuckDB is a development dependency of the sandbox: without it, every query fails saying so. */
function loadDuckDb(): Promise<DuckDb> {
  duckDb ??= import('@duckdb/node-api').catch(() => {
    throw new Error(
      'The sandbox runs Athena queries on DuckDB, a development dependency of @aws-ir/aws-sandbox: run `npm install` (with dev dependencies) to use it.',
    );
  });
  return duckDb;
}

interface Database {
  instance: Instance;
  /** Per trail ARN, the files already in its table. */
  loaded: Map<string, Set<string>>;
  /** Loads are one at a time; queries run beside each other on their own connections. */
  loading: Promise<void>;
}

const databases = new Map<number, Promise<Database>>();

function databaseOf(owner: number): Promise<Database> {
  let db = databases.get(owner);
  if (!db) {
    // One thread: the sandbox shares the machine with the app and the scan it answers. DuckDB's default (a
    // thread per core) used four times the CPU for the same load on two cores (busy-tiny: 9 s against 2 s).
    db = loadDuckDb()
      .then((duck) => duck.DuckDBInstance.create(':memory:', { threads: '1' }))
      .then((instance) => ({ instance, loaded: new Map(), loading: Promise.resolve() }));
    // A failed start is not kept: the next call tries again.
    db.catch(() => databases.delete(owner));
    databases.set(owner, db);
  }
  return db;
}

const tableOf = (t: TableFiles): string => ident(`trail_${t.trailArn.replace(/[^A-Za-z0-9]/g, '_')}`);

/** Loads the trail's files not yet in its table (the table exists afterwards, empty if no file was given). */
async function loadFiles(db: Database, t: TableFiles): Promise<void> {
  const done = db.loaded.get(t.trailArn) ?? new Set<string>();
  db.loaded.set(t.trailArn, done);
  const fresh = t.paths.filter((p) => !done.has(p));
  const connection = await db.instance.connect();
  try {
    // Here, where loads take turns: two queries creating the schema at once conflict in DuckDB's catalog
    // ("write-write conflict on create"), which failed one of two concurrent queries.
    await connection.run(`CREATE SCHEMA IF NOT EXISTS ${ident(t.database)}`);
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

/** Queues the load behind the database's earlier ones; a failed load does not block the next. */
function queueLoad(db: Database, t: TableFiles): Promise<void> {
  const next = db.loading.then(() => loadFiles(db, t));
  db.loading = next.catch(() => undefined);
  return next;
}

export async function load(owner: number, tables: TableFiles[]): Promise<null> {
  const db = await databaseOf(owner);
  for (const t of tables) await queueLoad(db, t);
  return null;
}

/** Runs `sql` on the tables, each showing only the files its partitions select. */
export async function query(owner: number, sql: string, tables: TableFiles[]): Promise<QueryOutput> {
  const db = await databaseOf(owner);
  const connection = await db.instance.connect();
  try {
    for (const t of tables) {
      await queueLoad(db, t);
      // The table holds every file loaded so far; the view shows the ones this query's partitions select.
      await connection.run(
        `CREATE OR REPLACE TEMP VIEW ${ident(t.table)} AS SELECT * EXCLUDE (filename) FROM ${tableOf(t)} WHERE filename IN (SELECT unnest([${t.paths.map(quote).join(',') || "''"}]))`,
      );
    }
    const reader = await connection.runAndReadAll(toDuckDb(qualifiedToTemp(sql, tables)));
    const columns = reader.columnNames().map((name, i) => ({ name, type: athenaType(String(reader.columnTypes()[i])) }));
    const rows = reader.getRowsJson().map((row) => row.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v))));
    return { columns, rows };
  } finally {
    connection.closeSync();
  }
}

/** Closes the history's database, if one was opened. */
export async function drop(owner: number): Promise<null> {
  const db = databases.get(owner);
  databases.delete(owner);
  if (!db) return null;
  const open = await db.catch(() => undefined);
  open?.instance.closeSync();
  return null;
}

/** Closes every database (the process is about to exit). */
export async function dropAll(): Promise<void> {
  await Promise.allSettled([...databases.keys()].map(drop));
}
