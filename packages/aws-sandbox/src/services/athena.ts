/**
 * Athena (JSON 1.1): StartQueryExecution, GetQueryExecution, GetQueryResults (pages of up to 1,000 rows,
 * the header row first, every value as text), StopQueryExecution. A query runs in the background on the
 * sandbox's engine process (athena-engine.ts) over the trail's log files and reports the bytes it scanned,
 * as Athena bills them; an engine that fails or dies ends the query FAILED with the reason, as AWS does.
 * Workgroups and tables come from the scenario (state.athena).
 */
import { randomUUID } from 'node:crypto';
import { SandboxError, type OperationContext, type SandboxState, type ServiceHandlers } from '../model';
import { trailOfBucket } from '../trail-store/log-files';
import { runQuery, type EngineResult, type TableRef } from './athena-engine';
import { decodeToken, encodeToken, fingerprint } from './page-token';
import { int, record, str } from './service-input';

type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

interface Execution {
  id: string;
  query: string;
  workgroup: string;
  database?: string;
  outputLocation: string;
  state: QueryState;
  reason?: string;
  submitted: Date;
  completed?: Date;
  result?: EngineResult;
}

/** Executions live as long as the account's state (a reset starts with none). */
const executions = new WeakMap<SandboxState, Map<string, Execution>>();

function executionsOf(state: SandboxState): Map<string, Execution> {
  let m = executions.get(state);
  if (!m) {
    m = new Map();
    executions.set(state, m);
  }
  return m;
}

const invalid = (message: string): SandboxError => new SandboxError('InvalidRequestException', message);

/** The account's CloudTrail tables with the trail whose files each reads. */
export function tableRefs(state: SandboxState): TableRef[] {
  const out: TableRef[] = [];
  for (const t of state.athena?.tables ?? []) {
    const bucket = /^s3:\/\/([^/]+)\//.exec(t.location)?.[1] ?? '';
    const trail = trailOfBucket(state, bucket);
    if (trail) out.push({ database: t.database, table: t.table, trail });
  }
  return out;
}

function tablesIn(state: SandboxState, sql: string, database: string | undefined): TableRef[] {
  return tableRefs(state).filter((t) => {
    const qualified = new RegExp(String.raw`"?${t.database}"?\s*\.\s*"?${t.table}"?\b`, 'i').test(sql);
    const bare = database === t.database && new RegExp(String.raw`\b(FROM|JOIN)\s+"?${t.table}"?\b`, 'i').test(sql);
    return qualified || bare;
  });
}

function startQueryExecution(ctx: OperationContext): unknown {
  const p = ctx.params;
  const query = str(p.QueryString);
  if (!query) throw invalid('QueryString must not be empty.');
  const workgroupName = str(p.WorkGroup) ?? 'primary';
  const workgroups = ctx.state.athena?.workgroups ?? [{ name: 'primary' }];
  const workgroup = workgroups.find((w) => w.name === workgroupName);
  if (!workgroup) throw invalid(`WorkGroup ${workgroupName} is not found.`);
  const outputLocation = str(record(p.ResultConfiguration).OutputLocation) ?? workgroup.outputLocation;
  if (!outputLocation) {
    throw invalid('No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.');
  }
  const database = str(record(p.QueryExecutionContext).Database);
  const id = randomUUID();
  const exec: Execution = { id, query, workgroup: workgroupName, outputLocation, state: 'QUEUED', submitted: ctx.now };
  if (database) exec.database = database;
  executionsOf(ctx.state).set(id, exec);
  const state = ctx.state;
  const engine = ctx.athena;
  const started = ctx.now.getTime();
  setImmediate(() => {
    if (exec.state !== 'QUEUED') return;
    exec.state = 'RUNNING';
    const tables = tablesIn(state, query, database);
    const run = engine ? runQuery(engine, state, query, tables, started) : Promise.reject(new Error('The sandbox has no Athena engine here.'));
    run.then(
      (result) => {
        if (exec.state !== 'RUNNING') return;
        exec.result = result;
        exec.state = 'SUCCEEDED';
        exec.completed = new Date(exec.submitted.getTime() + result.engineMs);
      },
      (err: unknown) => {
        if (exec.state !== 'RUNNING') return;
        exec.state = 'FAILED';
        exec.reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
        exec.completed = exec.submitted;
      },
    );
  });
  return { QueryExecutionId: id };
}

function executionOf(ctx: OperationContext): Execution {
  const id = str(ctx.params.QueryExecutionId);
  const exec = id ? executionsOf(ctx.state).get(id) : undefined;
  if (!exec) throw invalid(`QueryExecution ${id ?? ''} was not found`);
  return exec;
}

function getQueryExecution(ctx: OperationContext): unknown {
  const e = executionOf(ctx);
  return {
    QueryExecution: {
      QueryExecutionId: e.id,
      Query: e.query,
      StatementType: 'DML',
      WorkGroup: e.workgroup,
      ResultConfiguration: { OutputLocation: `${e.outputLocation.replace(/\/?$/, '/')}${e.id}.csv` },
      ...(e.database ? { QueryExecutionContext: { Database: e.database, Catalog: 'AwsDataCatalog' } } : {}),
      Status: {
        State: e.state,
        SubmissionDateTime: e.submitted,
        ...(e.completed ? { CompletionDateTime: e.completed } : {}),
        ...(e.reason ? { StateChangeReason: e.reason } : {}),
      },
      Statistics: {
        DataScannedInBytes: e.result?.scannedBytes ?? 0,
        EngineExecutionTimeInMillis: e.result?.engineMs ?? 0,
        TotalExecutionTimeInMillis: e.result?.engineMs ?? 0,
        QueryQueueTimeInMillis: 0,
      },
      EngineVersion: { SelectedEngineVersion: 'AUTO', EffectiveEngineVersion: 'Athena engine version 3' },
    },
  };
}

function getQueryResults(ctx: OperationContext): unknown {
  const e = executionOf(ctx);
  if (e.state !== 'SUCCEEDED' || !e.result) throw invalid(`Query has not yet finished. Current state: ${e.state}`);
  const max = int(ctx.params.MaxResults, 'MaxResults', 'InvalidRequestException') ?? 1000;
  if (max < 1 || max > 1000) throw invalid('MaxResults must be between 1 and 1000.');
  const print = fingerprint(['GetQueryResults', e.id]);
  const token = str(ctx.params.NextToken);
  const offset = token ? decodeToken<number>(token, print, 'InvalidRequestException', 'The NextToken is not valid.') : 0;
  const r = e.result;
  // The header row comes first, as Athena returns it for SELECT queries.
  const all = r.rows.length + 1;
  const end = Math.min(all, offset + max);
  const rows: { Data: { VarCharValue?: string }[] }[] = [];
  for (let i = offset; i < end; i++) {
    const values = i === 0 ? r.columns.map((c) => c.name) : (r.rows[i - 1] as (string | null)[]);
    rows.push({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) });
  }
  return {
    UpdateCount: 0,
    ResultSet: {
      Rows: rows,
      ResultSetMetadata: {
        ColumnInfo: r.columns.map((c) => ({
          CatalogName: 'hive',
          SchemaName: '',
          TableName: '',
          Name: c.name,
          Label: c.name,
          Type: c.type,
          Nullable: 'UNKNOWN',
        })),
      },
    },
    ...(end < all ? { NextToken: encodeToken(end, print) } : {}),
  };
}

function stopQueryExecution(ctx: OperationContext): unknown {
  const e = executionOf(ctx);
  if (e.state === 'QUEUED' || e.state === 'RUNNING') {
    e.state = 'CANCELLED';
    e.completed = ctx.now;
  }
  return {};
}

export const handlers: ServiceHandlers = {
  StartQueryExecution: startQueryExecution,
  GetQueryExecution: getQueryExecution,
  GetQueryResults: getQueryResults,
  StopQueryExecution: stopQueryExecution,
};
