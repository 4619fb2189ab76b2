/**
 * What the sandbox and its Athena engine process (worker.ts) say to each other over the IPC channel:
 * one request per call, answered once by the same id. The files are paths on this machine (the trail's
 * log files the sandbox wrote), so only their names cross the channel.
 */

/** A table of the query and the trail files its partitions select. */
export interface TableFiles {
  database: string;
  table: string;
  /** The trail whose files fill the table (one DuckDB table per trail and account history). */
  trailArn: string;
  paths: string[];
}

export interface QueryOutput {
  columns: { name: string; type: string }[];
  rows: (string | null)[][];
}

/** Each call's input and output; `owner` names one account history (its own DuckDB database). */
export interface EngineCalls {
  /** Loads the files into their tables (before timed queries). */
  load: { input: { owner: number; tables: TableFiles[] }; output: null };
  query: { input: { owner: number; sql: string; tables: TableFiles[] }; output: QueryOutput };
  /** Closes the history's database (the account was reset). */
  drop: { input: { owner: number }; output: null };
}

export type EngineCall = keyof EngineCalls;

export type EngineRequest = { [K in EngineCall]: { id: number; call: K; input: EngineCalls[K]['input'] } }[EngineCall];

export type EngineReply = { id: number; ok: true; output: EngineCalls[EngineCall]['output'] } | { id: number; ok: false; message: string };

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

export function isRequest(m: unknown): m is EngineRequest {
  return isObject(m) && typeof m.id === 'number' && (m.call === 'load' || m.call === 'query' || m.call === 'drop') && isObject(m.input);
}

export function isReply(m: unknown): m is EngineReply {
  return isObject(m) && typeof m.id === 'number' && typeof m.ok === 'boolean';
}
