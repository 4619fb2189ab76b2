/**
 * Runs an Athena query over the trail's log files (the same gzip files S3 serves) on the sandbox's
 * engine process (../athena-engine: DuckDB with AWS's documented CloudTrail table). This side picks the
 * files: partition pruning reads the `"timestamp"` range out of the SQL text (=, >=, <=, BETWEEN), a query
 * without one reads every file, as an unpruned Athena query would, and the selected files' bytes are the
 * bytes scanned. The query runs unchanged but for two Presto functions DuckDB names differently
 * (json_extract_scalar -> json_extract_string, regexp_like -> regexp_matches).
 */
import type { AthenaEngineHost } from '../athena-engine/host';
import type { TableFiles } from '../athena-engine/protocol';
import { timestampRange } from '../athena-engine/sql';
import type { SandboxState, Trail } from '../model';
import { allFiles, ensureLogFile, logFileSize } from '../trail-store/log-files';

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

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replace(/-/g, '/');

/**
 * The engine keeps one database per account history (its trail tables, loaded once); a history is
 * named there by a number. A reset starts a new history object, hence a new database.
 */
const owners = new WeakMap<object, number>();
let nextOwner = 1;

const historyOf = (state: SandboxState): object => state.generated ?? state.events;

function ownerOf(state: SandboxState): number {
  const history = historyOf(state);
  let owner = owners.get(history);
  if (owner === undefined) {
    owner = nextOwner++;
    owners.set(history, owner);
  }
  return owner;
}

/** The files of the trail delivered by `now` that the query's `"timestamp"` range selects, and their bytes. */
function selectedFiles(state: SandboxState, t: TableRef, now: number, range: { from?: string; to?: string }): { files: TableFiles; bytes: number } {
  const paths: string[] = [];
  let bytes = 0;
  for (const f of allFiles(state, t.trail, now)) {
    const path = ensureLogFile(state, t.trail, f);
    const day = dayOf(f.deliveredAt);
    if ((range.from && day < range.from) || (range.to && day > range.to)) continue;
    paths.push(path);
    bytes += logFileSize(state, t.trail, f);
  }
  return { files: { database: t.database, table: t.table, trailArn: t.trail.arn, paths }, bytes };
}

/** Loads every file the trail has delivered into the engine (before timed queries). */
export async function warmUp(engine: AthenaEngineHost, state: SandboxState, tables: TableRef[], now: number): Promise<void> {
  await engine.call('load', { owner: ownerOf(state), tables: tables.map((t) => selectedFiles(state, t, now, {}).files) });
}

/** Runs `sql` against `tables`, reading the files their trail delivered up to `now`. */
export async function runQuery(engine: AthenaEngineHost, state: SandboxState, sql: string, tables: TableRef[], now: number): Promise<EngineResult> {
  const range = timestampRange(sql);
  const started = Date.now();
  const selected = tables.map((t) => selectedFiles(state, t, now, range));
  const output = await engine.call('query', { owner: ownerOf(state), sql, tables: selected.map((s) => s.files) });
  const scannedBytes = selected.reduce((sum, s) => sum + s.bytes, 0);
  return { ...output, scannedBytes, engineMs: Date.now() - started };
}

/** Closes the engine's database of this history, if it has one (the account is being reset). */
export async function closeHistory(engine: AthenaEngineHost, state: SandboxState): Promise<void> {
  const owner = owners.get(historyOf(state));
  if (owner === undefined) return;
  owners.delete(historyOf(state));
  if (engine.pid !== undefined) await engine.call('drop', { owner });
}
