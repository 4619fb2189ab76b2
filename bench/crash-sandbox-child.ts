/**
 * The sandbox account of the crash benchmark, in its own process so that killing the app never kills
 * the account: it keeps answering, finishes the writes in flight and records them in CloudTrail, as
 * AWS would. The parent resets it between trials and reads the writes it recorded.
 */
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';

export type CrashChildRequest =
  | { type: 'start'; scenario: string; writeLatencyMs: number; writeOperations: string[] }
  | { type: 'reset' }
  | { type: 'writes'; since: number }
  | { type: 'stop' };

export interface RecordedWrite {
  eventName: string;
  requestParameters: Record<string, unknown>;
  errorCode?: string;
}

export type CrashChildReply =
  | { type: 'started'; endpoint: string; accountId: string; adminCredentials: { accessKeyId: string; secretAccessKey: string } }
  | { type: 'reset'; events: number }
  | { type: 'writes'; writes: RecordedWrite[] }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };

let sandbox: RunningSandbox | undefined;
let latency: { ms: number; operations: string[] } = { ms: 0, operations: [] };

function slowWrites(sb: RunningSandbox): void {
  // Each write takes a while, as IAM's do: the app spends most of an execution waiting on them.
  for (const op of latency.operations) sb.faults.inject(op, { latencyMs: latency.ms });
}

function send(reply: CrashChildReply): void {
  process.send?.(reply);
}

process.on('message', (raw: CrashChildRequest) => {
  void (async () => {
    try {
      if (raw.type === 'start') {
        latency = { ms: raw.writeLatencyMs, operations: raw.writeOperations };
        sandbox = await startSandbox({ scenario: raw.scenario, rateLimits: false, port: 0 });
        slowWrites(sandbox);
        send({ type: 'started', endpoint: sandbox.endpoint, accountId: sandbox.accountId, adminCredentials: sandbox.adminCredentials });
      } else if (raw.type === 'reset' && sandbox) {
        sandbox.reset();
        slowWrites(sandbox);
        send({ type: 'reset', events: sandbox.state.events.length });
      } else if (raw.type === 'writes' && sandbox) {
        const writes = sandbox.state.events.slice(raw.since).filter((e) => !e.readOnly);
        send({
          type: 'writes',
          writes: writes.map((e) => ({
            eventName: e.eventName,
            requestParameters: (e.record.requestParameters as Record<string, unknown> | null) ?? {},
            ...(typeof e.record.errorCode === 'string' ? { errorCode: e.record.errorCode } : {}),
          })),
        });
      } else if (raw.type === 'stop') {
        await sandbox?.close();
        send({ type: 'stopped' });
        process.disconnect?.();
      }
    } catch (err) {
      send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  })();
});
