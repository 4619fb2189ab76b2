/**
 * Item 2 of issue 14: no input crashes the process. The real app (src/app.ts) runs as a child process
 * in HTTP mode; every kind of payload Slack can send is mutated N times (deterministic seed:
 * dropped fields, wrong types, nesting, huge strings, odd unicode and Slack markup, truncation,
 * broken outer forms such as `payload=null`) and sent correctly signed.
 *
 * After each kind: the process is alive; every answer is 200 (acknowledged, nothing done) or a 4xx;
 * nothing was posted, updated or opened in Slack; no scan, request or checklist item was stored; AWS
 * received no call; no error was logged and no request logged more than one line. The only traces a
 * mutant may leave are the ones a real click on a stale button, or a reason form submitted for a
 * finding no longer on record, leaves: a private "this is no longer on record" reply to the clicker
 * and the audit's record of the refused attempt.
 */
import http from 'node:http';
import { FUZZ_KINDS } from './base-payloads';
import { startAppProcess, type AppProcess } from './app-process';
import { mutate, Rng } from './mutate';
import { GENERIC_ERROR } from '../../../src/errors';
import { signedHeaders } from '../../support/signed-request';

const SEED = 0x14_2026;
const CONCURRENCY = 16;
/** Slack calls that show nothing to the channel: a private reply to the clicker, a directory read. */
const PRIVATE_OR_READ = new Set(['chat.postEphemeral', 'users.info', 'usergroups.users.list']);
/**
 * The kinds that reach a decision of the incident core, which records every refused attempt: a click
 * on a stale button, and a submitted reason form for a finding or request no longer on record.
 */
const LEAVES_REFUSALS = new Set(['block actions', 'view submissions']);

/**
 * One signed POST on its own connection: a pooled keep-alive connection that the server times out
 * while the machine is loaded would fail a request for a reason that is not the payload's.
 */
function send(app: AppProcess, body: string, contentType: string): Promise<number> {
  const headers: Record<string, string | number> = signedHeaders(app.signingSecret, body);
  if (contentType) headers['content-type'] = contentType;
  else delete headers['content-type'];
  headers['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request(app.eventsUrl, { method: 'POST', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Work a listener started after its ack (a refusal to post, an audit entry) finishes on its own: wait until nothing moves. */
async function settle(app: AppProcess): Promise<void> {
  const snapshot = () => `${app.slack.calls.length}/${app.aws.calls.length}/${app.logLines.length}/${JSON.stringify(app.tableCounts())}`;
  let last = snapshot();
  let stable = 0;
  for (let i = 0; i < 100 && stable < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = snapshot();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
}

function delta(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after)) if (v !== (before[k] ?? 0)) out[k] = v - (before[k] ?? 0);
  return out;
}

/** The fuzz trial: `perKind` mutants of every kind of payload, always the same ones for a given count. */
export function fuzzSuite(perKind: number): void {
  describe('signed but malformed payloads against the real app process', () => {
    let app: AppProcess;
    beforeAll(async () => {
      app = await startAppProcess();
    });
    afterAll(async () => {
      if (app && app.exitCode !== null) process.stderr.write(`aws-ir exited with ${app.exitCode}:\n${app.stderr}\n`);
      await app?.stop();
    });

    it('answers the payload that used to crash it (payload=null, 5 of 5) with 400 and stays up', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push(await send(app, 'payload=null', 'application/x-www-form-urlencoded'));
      expect(statuses).toEqual([400, 400, 400, 400, 400]);
      expect(app.exitCode).toBeNull();
    });

    Object.entries(FUZZ_KINDS).forEach(([kind, bases], k) => {
      it(`${kind}: ${perKind} mutants, no crash, nothing posted, stored or sent to AWS`, async () => {
        const rng = new Rng(SEED + k);
        const mutants = Array.from({ length: perKind }, (_, i) => ({ i, base: bases[i % bases.length]!, ...mutate(rng, bases[i % bases.length]!) }));
        const slackBefore = app.slack.calls.length;
        const awsBefore = app.aws.calls.length;
        const logBefore = app.logLines.length;
        const tablesBefore = app.tableCounts();
        const statuses = new Map<number, number>();
        const unexpected: string[] = [];
        let next = 0;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < mutants.length && app.exitCode === null) {
              const m = mutants[next++]!;
              let failure = '';
              const status = await send(app, m.body, m.contentType).catch((err: unknown) => {
                failure = ` (${String(err)})`;
                return 0;
              });
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
              if (status !== 200 && status !== 400 && status !== 413)
                unexpected.push(`#${m.i} ${m.base.name} [${m.steps.join('; ')}] -> ${status}${failure}: ${m.body.slice(0, 160)}`);
            }
          }),
        );
        await settle(app);

        expect(app.exitCode).toBeNull();
        expect(unexpected).toEqual([]);
        const calls = app.slack.calls.slice(slackBefore);
        expect(calls.filter((c) => !PRIVATE_OR_READ.has(c.method)).map((c) => c.method)).toEqual([]);
        expect(app.aws.calls.length - awsBefore).toBe(0);
        // A refused attempt is on record by design; nothing else may be stored.
        const { audit = 0, 'audit:request.refused': refusalsAudited = 0, ...otherRows } = delta(app.tableCounts(), tablesBefore);
        expect(otherRows).toEqual({});
        expect(audit).toBe(refusalsAudited);
        const lines = app.logLines.slice(logBefore);
        expect(lines.filter((l) => l.level >= 50)).toEqual([]);
        expect(lines.length).toBeLessThanOrEqual(perKind);

        const replies = calls.filter((c) => c.method === 'chat.postEphemeral').map((c) => String(c.args.text));
        // A private reply is a refusal a person can act on, never the sign of a listener that failed.
        expect(replies.filter((text) => text.includes(GENERIC_ERROR))).toEqual([]);
        const ephemeral = replies.length;
        if (!LEAVES_REFUSALS.has(kind)) expect({ ephemeral, refusalsAudited }).toEqual({ ephemeral: 0, refusalsAudited: 0 });
        const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
        process.stdout.write(
          `fuzz ${kind}: ${perKind} signed mutants -> ${byStatus.join(', ')}; process alive; channel posts/updates/modals 0, ` +
            `private refusals ${ephemeral}, stored 0 (refused attempts audited ${refusalsAudited}), AWS calls 0, ` +
            `log lines ${lines.length} (≤ 1 per request), error lines 0\n`,
        );
      });
    });
  });
}
