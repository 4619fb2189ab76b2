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

/** Runs `sql` against `tables`, reading the files their trail delivered up to `now`. */
export async function runQuery(state: SandboxState, sql: string, tables: TableRef[], now: number): Promise<EngineResult> {
  const duck = await loadDuckDb();
  const range = timestampRange(sql);
  const scratch = mkdtempSync(join(tmpdir(), 'aws-sandbox-athena-'));
  const started = Date.now();
  const instance = await duck.DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    let scannedBytes = 0;
    for (const t of tables) {
      const paths: string[] = [];
      for (const f of allFiles(state, t.trail, now)) {
        const day = dayOf(f.deliveredAt);
        if ((range.from && day < range.from) || (range.to && day > range.to)) continue;
        paths.push(ensureLogFile(state, t.trail, f));
        scannedBytes += logFileSize(state, t.trail, f);
      }
      if (!paths.length) {
        const empty = join(scratch, 'empty.json.gz');
        writeFileSync(empty, gzipSync('{"Records":[]}'));
        paths.push(empty);
      }
      await connection.run(`CREATE SCHEMA IF NOT EXISTS ${ident(t.database)}`);
      await connection.run(
        `CREATE OR REPLACE VIEW ${ident(t.database)}.${ident(t.table)} AS
         SELECT r.*,
                regexp_extract(filename, 'CloudTrail/([^/]+)/', 1) AS region,
                regexp_extract(filename, '/(\\d{4}/\\d{2}/\\d{2})/[^/]+$', 1) AS "timestamp"
         FROM (SELECT unnest(Records) AS r, filename
               FROM read_json([${paths.map(quote).join(',')}], columns = {Records: ${quote(RECORD_TYPE)}}, filename = true, maximum_object_size = 1073741824))`,
      );
    }
    const reader = await connection.runAndReadAll(toDuckDb(sql));
    const columns = reader.columnNames().map((name, i) => ({ name, type: athenaType(String(reader.columnTypes()[i])) }));
    const rows = reader.getRowsJson().map((row) => row.map((v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : JSON.stringify(v))));
    connection.closeSync();
    return { columns, rows, scannedBytes, engineMs: Date.now() - started };
  } finally {
    instance.closeSync();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function athenaType(duck: string): string {
  if (/^(BIGINT|HUGEINT|UBIGINT)$/.test(duck)) return 'bigint';
  if (/^(INTEGER|SMALLINT|TINYINT)$/.test(duck)) return 'integer';
  if (duck === 'BOOLEAN') return 'boolean';
  if (/^(DOUBLE|FLOAT|DECIMAL)/.test(duck)) return 'double';
  if (/^TIMESTAMP/.test(duck)) return 'timestamp';
  return 'varchar';
}
