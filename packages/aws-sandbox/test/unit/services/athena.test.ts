/**
 * Athena's handlers on the sandbox's engine process: a query's result comes back from the process, an
 * engine error or a process that dies ends the query FAILED with the reason (as AWS reports a failed
 * query), the next query forks a new process, and close() waits for the process to exit. DuckDB's native
 * addon is never loaded in this (the sandbox's) process.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { AthenaEngineHost } from '../../../src/athena-engine/host';
import type { SandboxState } from '../../../src/model';
import { handlers } from '../../../src/services/athena';
import { baseState, ctx } from './fixtures';

interface Execution {
  QueryExecution: { Status: { State: string; StateChangeReason?: string } };
}
interface Results {
  ResultSet: { Rows: { Data: { VarCharValue?: string }[] }[]; ResultSetMetadata: { ColumnInfo: { Name: string; Type: string }[] } };
}

let engine: AthenaEngineHost;
let state: SandboxState;

const athenaCtx = (operation: string, params: Record<string, unknown>) => ({ ...ctx(state, operation, params, { service: 'athena' }), athena: engine });

function start(sql: string): string {
  const out = handlers.StartQueryExecution!(
    athenaCtx('StartQueryExecution', { QueryString: sql, WorkGroup: 'primary', ResultConfiguration: { OutputLocation: 's3://results/' } }),
  );
  return (out as { QueryExecutionId: string }).QueryExecutionId;
}

const statusOf = (id: string) => (handlers.GetQueryExecution!(athenaCtx('GetQueryExecution', { QueryExecutionId: id })) as Execution).QueryExecution.Status;

/** The query's status once it has left QUEUED/RUNNING (bounded: the test's own timeout ends it). */
async function settled(id: string): Promise<{ State: string; StateChangeReason?: string }> {
  for (;;) {
    const status = statusOf(id);
    if (status.State !== 'QUEUED' && status.State !== 'RUNNING') return status;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeEach(() => {
  engine = new AthenaEngineHost();
  state = baseState();
});

afterEach(async () => {
  await engine.close();
});

it('runs the query in the engine process and pages its result, header first', async () => {
  const id = start("SELECT 42 AS answer, 'x' AS label");
  expect(await settled(id)).toMatchObject({ State: 'SUCCEEDED' });
  const results = handlers.GetQueryResults!(athenaCtx('GetQueryResults', { QueryExecutionId: id })) as Results;
  expect(results.ResultSet.Rows.map((r) => r.Data.map((d) => d.VarCharValue))).toEqual([
    ['answer', 'label'],
    ['42', 'x'],
  ]);
  expect(results.ResultSet.ResultSetMetadata.ColumnInfo.map((c) => c.Type)).toEqual(['integer', 'varchar']);
  expect(engine.pid).toEqual(expect.any(Number));
  // The native addon is the engine process's alone: this process's memory map has no DuckDB.
  if (existsSync('/proc/self/maps')) expect(readFileSync('/proc/self/maps', 'utf8').includes('/@duckdb/')).toBe(false);
});

it("fails a query DuckDB rejects with DuckDB's reason, and the engine keeps serving", async () => {
  const bad = start('SELECT FROM WHERE');
  const status = await settled(bad);
  expect(status.State).toBe('FAILED');
  expect(status.StateChangeReason).toMatch(/syntax error/i);
  const pid = engine.pid;
  expect(await settled(start('SELECT 1 AS one'))).toMatchObject({ State: 'SUCCEEDED' });
  expect(engine.pid).toBe(pid);
});

it('fails the running query when the engine process dies, and starts a new process for the next one', async () => {
  const slow = start('SELECT sum(hash(i)) FROM range(100000000000) t(i)');
  await until(() => engine.pid !== undefined && statusOf(slow).State === 'RUNNING');
  const first = engine.pid as number;
  process.kill(first, 'SIGKILL');
  const status = await settled(slow);
  expect(status).toMatchObject({ State: 'FAILED', StateChangeReason: "The sandbox's Athena engine stopped (signal SIGKILL) before the query finished." });
  expect(engine.pid).toBeUndefined();

  expect(await settled(start('SELECT 2 AS two'))).toMatchObject({ State: 'SUCCEEDED' });
  expect(engine.pid).toEqual(expect.any(Number));
  expect(engine.pid).not.toBe(first);
});

it('close() returns once the engine process has exited, and a query after it starts a new one', async () => {
  await settled(start('SELECT 1 AS one'));
  const pid = engine.pid as number;
  expect(alive(pid)).toBe(true);
  await engine.close();
  expect(alive(pid)).toBe(false);
  expect(engine.pid).toBeUndefined();
  expect(await settled(start('SELECT 1 AS one'))).toMatchObject({ State: 'SUCCEEDED' });
});

it('fails a query in a context without an engine, saying so', async () => {
  const params = { QueryString: 'SELECT 1', ResultConfiguration: { OutputLocation: 's3://results/' } };
  const { QueryExecutionId } = handlers.StartQueryExecution!(ctx(state, 'StartQueryExecution', params, { service: 'athena' })) as { QueryExecutionId: string };
  expect(await settled(QueryExecutionId)).toMatchObject({ State: 'FAILED', StateChangeReason: 'The sandbox has no Athena engine here.' });
  expect(engine.pid).toBeUndefined();
});

it('runs many queries of one table at once, each seeing only the files it selects', async () => {
  const root = mkdtempSync(join(tmpdir(), 'athena-test-'));
  try {
    const day = join(root, 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/15');
    mkdirSync(day, { recursive: true });
    const paths = [1, 2, 3].map((n) => {
      const path = join(day, `111122223333_CloudTrail_us-east-1_20260315T120${n}Z_x.json.gz`);
      const records = Array.from({ length: n }, (_, i) => ({ eventName: `Call${n}`, eventID: `${n}-${i}`, awsRegion: 'us-east-1' }));
      writeFileSync(path, gzipSync(JSON.stringify({ Records: records })));
      return path;
    });
    const table = (files: string[]) => ({
      database: 'security',
      table: 'cloudtrail_logs',
      trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/org',
      paths: files,
    });
    const sql = 'SELECT count(*) AS n, min(region) AS region, min("timestamp") AS day FROM security.cloudtrail_logs';
    // Many at once, as a scan's catalog queries arrive: each query's first statements race the others'.
    const selections = [paths, paths.slice(0, 1), paths.slice(1), ...Array.from({ length: 9 }, () => paths)];
    const outputs = await Promise.all(selections.map((files) => engine.call('query', { owner: 1, sql, tables: [table(files)] })));
    expect(outputs.map((o) => o.rows[0])).toEqual(
      selections.map((files) => [String(files.reduce((n, f) => n + Number(/T120(\d)Z/.exec(f)?.[1]), 0)), 'us-east-1', '2026/03/15']),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
