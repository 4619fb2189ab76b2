/**
 * The sandbox's Athena engine process: the one place @duckdb/node-api is loaded. DuckDB's native addon
 * starts a thread that outlives every closed database, so a process that loads it cannot exit by itself
 * (a jest worker that ran an Athena query was force-killed): the sandbox forks this process on its first
 * query and ends it on close() (host.ts). It also ends when its parent goes away (the IPC channel closes).
 */
import { drop, dropAll, load, query } from './engine';
import { type EngineCall, type EngineCalls, type EngineReply, type EngineRequest, isRequest } from './protocol';

function run(request: EngineRequest): Promise<EngineCalls[EngineCall]['output']> {
  switch (request.call) {
    case 'load':
      return load(request.input.owner, request.input.tables);
    case 'query':
      return query(request.input.owner, request.input.sql, request.input.tables);
    case 'drop':
      return drop(request.input.owner);
  }
}

function reply(message: EngineReply): void {
  if (process.connected) process.send?.(message);
}

process.on('message', (message: unknown) => {
  if (!isRequest(message)) return;
  run(message).then(
    (output) => reply({ id: message.id, ok: true, output }),
    // The first line only: the sandbox shows it as the query's StateChangeReason.
    (err: unknown) => reply({ id: message.id, ok: false, message: (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '' }),
  );
});

process.on('disconnect', () => {
  void dropAll().finally(() => process.exit(0));
});
