/**
 * `npm run bench` (crash part): kill -9 of a real aws-ir process while an approved multi-step action
 * runs (deleting an IAM user with 20 dependents against the sandbox), then a restart, many times.
 *
 * The sandbox runs in its own process and keeps answering (and recording CloudTrail) across the
 * kill; Slack is the local stand-in; the app is `node dist/src/app.js` with a SQLite file. Each trial:
 * a request through the reason form, an approval by a second responder, a kill at a random moment of
 * the execution's writes (after the k-th was intended, k random), a restart. Then it counts, against the sandbox's own CloudTrail:
 *
 * - writes missing from the audit: writes AWS recorded with no intent in the audit trail;
 * - lost: requests not ending as succeeded, or as interrupted and announced exactly once;
 * - re-run: writes, intents or starts after the restart without a new approval.
 *
 * Options: --trials N (default 30), --latency MS (per IAM write, default 25). Exits 1 when any count is not 0.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  deliverInteraction,
  generateBotToken,
  generateSigningSecret,
  LOCAL_CHANNEL,
  LOCAL_BOT,
  startStandIn,
  type RunningStandIn,
} from '@aws-ir/slack-standin';
import { createLogger } from '../src/logger';
import { ACTION, BLOCK, VIEW, buttonActionId } from '../src/slack-ids';
import type { ActionRequest, AuditEntry } from '../src/store/model';
import { SqliteStore } from '../src/store/sqlite-store';
import type { CrashChildReply, CrashChildRequest, RecordedWrite } from './crash-sandbox-child';
import { freePort, poller, sleep } from './waiting';

const ROOT = path.join(__dirname, '..', '..');
const SCENARIO = path.join(ROOT, 'bench', 'scenarios', 'crash-user.json');
const USER = 'svc-exfil';
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const WRITES = [
  'IAM:DeleteLoginProfile',
  'IAM:DeleteAccessKey',
  'IAM:DeleteSigningCertificate',
  'IAM:DeleteSSHPublicKey',
  'IAM:DeleteServiceSpecificCredential',
  'IAM:DeactivateMFADevice',
  'IAM:DeleteVirtualMFADevice',
  'IAM:DeleteUserPolicy',
  'IAM:DetachUserPolicy',
  'IAM:RemoveUserFromGroup',
  'IAM:DeleteUser',
];

const until = poller(20_000, 5);

class SandboxChild {
  private readonly child: ChildProcess;
  private waiting: ((r: CrashChildReply) => void)[] = [];

  constructor() {
    this.child = fork(path.join(__dirname, 'crash-sandbox-child.js'), { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.child.on('message', (m: CrashChildReply) => this.waiting.shift()?.(m));
  }

  ask<T extends CrashChildReply['type']>(req: CrashChildRequest, expect: T): Promise<Extract<CrashChildReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((m) =>
        m.type === expect ? resolve(m as Extract<CrashChildReply, { type: T }>) : reject(new Error(`sandbox child: ${JSON.stringify(m)}`)),
      );
      this.child.send(req);
    });
  }
}

interface AppProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

function startApp(env: NodeJS.ProcessEnv): AppProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'app.js')], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`  app: ${d.toString()}`));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

async function healthy(port: number): Promise<void> {
  await until(
    'the app to be ready',
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined;
      } catch {
        return undefined;
      }
    },
    30_000,
    20,
  );
}

/** The writes AWS recorded that no intent in the audit accounts for (one intent accounts for one write). */
function missingFromAudit(writes: RecordedWrite[], intents: AuditEntry[]): RecordedWrite[] {
  const unused = intents.map((e) => ({
    op: String(e.data.operation).split(':')[1],
    values: new Set(Object.values((e.data.input as Record<string, unknown>) ?? {}).filter((v) => typeof v === 'string')),
  }));
  return writes.filter((w) => {
    const values = Object.values(w.requestParameters).filter((v): v is string => typeof v === 'string');
    const at = unused.findIndex((i) => i.op === w.eventName && values.every((v) => i.values.has(v)));
    if (at < 0) return true;
    unused.splice(at, 1);
    return false;
  });
}

interface Trial {
  cutMidway: boolean;
  missing: number;
  lost: boolean;
  rerun: boolean;
  writes: number;
  readBacks: string[];
  recoveryMs: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { trials: { type: 'string', default: '30' }, latency: { type: 'string', default: '25' } } });
  const trials = Number(values.trials);
  const latencyMs = Number(values.latency);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-crash-'));
  const sandbox = new SandboxChild();
  const account = await sandbox.ask({ type: 'start', scenario: SCENARIO, writeLatencyMs: latencyMs, writeOperations: WRITES }, 'started');
  const botToken = generateBotToken();
  const signingSecret = generateSigningSecret();
  const standIn: RunningStandIn = await startStandIn({ port: 0, botToken, logger: createLogger('silent') });
  const results: Trial[] = [];

  try {
    for (let n = 0; n <= trials; n++) {
      const calibration = n === 0;
      const { events: since } = await sandbox.ask({ type: 'reset' }, 'reset');
      const dbPath = path.join(dir, `trial-${n}.db`);
      const port = await freePort();
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: signingSecret,
        SLACK_API_URL: `http://127.0.0.1:${standIn.port}/api/`,
        HOST: '127.0.0.1',
        PORT: String(port),
        AWS_IR_DB_PATH: dbPath,
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL: account.endpoint,
        AWS_ACCESS_KEY_ID: account.adminCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: account.adminCredentials.secretAccessKey,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        LOG_LEVEL: 'error',
      };

      // The scan that found the user, in its thread.
      const thread = standIn.workspace.addMessage({ channel: LOCAL_CHANNEL.id, user: LOCAL_BOT.userId, botId: LOCAL_BOT.id, text: `Scan ${n}` });
      const store = new SqliteStore(dbPath);
      const finding = {
        id: `f-${n}`,
        check: 'iam-changes' as const,
        severity: 'high' as const,
        step: 'R2' as const,
        title: `IAM user ${USER} created in the window`,
        resources: [`arn:aws:iam::${account.accountId}:user/${USER}`],
        evidence: {},
        actions: ['user.delete' as const],
        target: { kind: 'user' as const, userName: USER },
      };
      const startedAt = new Date().toISOString();
      const scan = { id: `scan-${n}`, channel: LOCAL_CHANNEL.id, threadTs: thread.ts, requestedBy: ALICE, startedAt, status: 'running' as const };
      await store.claimScan({ ...scan, owner: { id: 'bench', host: 'bench', pid: 0 }, leaseUntil: startedAt });
      const result = {
        account: account.accountId,
        window: { start: startedAt, end: startedAt },
        regions: ['us-east-1'],
        findings: [finding],
        gaps: [],
        stats: { durationMs: 1, apiCalls: {} },
      };
      await store.finishScan(scan.id, 'bench', { status: 'done', finishedAt: startedAt, result });

      let app = startApp(env);
      await healthy(port);
      const endpoint = { url: `http://127.0.0.1:${port}/slack/events`, signingSecret };
      await deliverInteraction(endpoint, {
        type: 'view_submission',
        team: { id: 'T0LOCAL' },
        user: { id: ALICE },
        api_app_id: 'A0AWSIR',
        view: {
          id: `V0CRASH${n}`,
          type: 'modal',
          callback_id: VIEW.requestReason,
          private_metadata: JSON.stringify({ scanId: scan.id, findingId: finding.id, action: 'user.delete', channel: LOCAL_CHANNEL.id }),
          state: { values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'attacker-made user' } } } },
        },
      });
      const request = await until('the request message', async () => (await store.listRequests({ channel: LOCAL_CHANNEL.id })).find((r) => r.messageTs));
      await deliverInteraction(endpoint, {
        type: 'block_actions',
        team: { id: 'T0LOCAL' },
        user: { id: BOB },
        api_app_id: 'A0AWSIR',
        trigger_id: `${n}.trigger`,
        channel: { id: LOCAL_CHANNEL.id },
        container: { type: 'message', message_ts: request.messageTs, channel_id: LOCAL_CHANNEL.id },
        message: { type: 'message', ts: request.messageTs, thread_ts: thread.ts, text: '', blocks: [] },
        actions: [{ type: 'button', action_id: buttonActionId(ACTION.approve, 0), block_id: 'b', value: JSON.stringify({ requestId: request.id }) }],
      });
      await until('the execution to start', async () => ((await store.getRequest(request.id))?.status === 'executing' ? true : undefined), 20_000, 1);
      const executingAt = Date.now();

      if (calibration) {
        const done = await until('the calibration run to finish', async () => {
          const r = await store.getRequest(request.id);
          return r && r.status !== 'executing' ? r : undefined;
        });
        process.stdout.write(
          `calibration (not cut): the deletion took ${Date.now() - executingAt} ms (${done.status}, ${done.outcome?.calls.length ?? 0} writes)\n`,
        );
        app.child.kill('SIGTERM');
        await app.exited;
        await store.close();
        continue;
      }

      // A moment within the writes: after the k-th write was recorded as intended, plus up to two writes' time.
      const k = 1 + Math.floor(Math.random() * 20);
      await until(
        `write ${k} to be intended`,
        async () => {
          const intents = (await store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'aws.intent').length;
          const r = await store.getRequest(request.id);
          return intents >= k || r?.status !== 'executing' ? true : undefined;
        },
        20_000,
        1,
      );
      await sleep(Math.random() * 2 * latencyMs);
      app.child.kill('SIGKILL');
      await app.exited;
      const cutMidway = (await store.getRequest(request.id))?.status === 'executing';

      // Restart: the start-up sweep takes the cut-off action over, reads back the write in flight and announces it.
      const restartedAt = new Date().toISOString();
      const recoveryStart = Date.now();
      app = startApp(env);
      await healthy(port);
      const settled = await until('recovery', async () => {
        const r = await store.getRequest(request.id);
        if (!r || r.status === 'executing') return undefined;
        return r.status !== 'interrupted' || r.announcedAt ? r : undefined;
      });
      const recoveryMs = Date.now() - recoveryStart;
      const writesAtRecovery = (await sandbox.ask({ type: 'writes', since }, 'writes')).writes.length;
      await sleep(1000);
      const { writes } = await sandbox.ask({ type: 'writes', since }, 'writes');
      const audit = await store.listAudit({ requestId: request.id });
      const final: ActionRequest = (await store.getRequest(request.id)) ?? settled;
      const announcements = standIn.workspace
        .publicMessages(LOCAL_CHANNEL.id)
        .filter((m) => m.threadTs === thread.ts && m.text.includes('was not re-run')).length;

      const intents = audit.filter((e) => e.kind === 'aws.intent');
      // The comparison must be able to fail: without the audit, every recorded write is missing.
      if (missingFromAudit(writes, []).length !== writes.length) throw new Error('the audit/CloudTrail comparison is broken');
      const trial: Trial = {
        cutMidway,
        missing: missingFromAudit(writes, intents).length,
        lost: !(final.status === 'succeeded' && announcements === 0) && !(final.status === 'interrupted' && final.announcedAt && announcements === 1),
        rerun: writes.length !== writesAtRecovery || audit.filter((e) => e.kind === 'action.started').length !== 1 || intents.some((e) => e.at >= restartedAt),
        writes: writes.length,
        readBacks: audit.filter((e) => e.kind === 'aws.readback').map((e) => String(e.data.state)),
        recoveryMs,
      };
      results.push(trial);
      process.stdout.write(
        `trial ${String(n).padStart(2)}: ${trial.cutMidway ? 'cut mid-way' : 'finished first'}, ${trial.writes} writes in CloudTrail, missing from audit ${trial.missing}, ${final.status}${trial.readBacks.length ? ` (in flight: ${trial.readBacks.join(', ')})` : ''}${trial.lost ? ' LOST' : ''}${trial.rerun ? ' RE-RUN' : ''}\n`,
      );
      app.child.kill('SIGTERM');
      await app.exited;
      await store.close();
    }
  } finally {
    await standIn.close();
    await sandbox.ask({ type: 'stop' }, 'stopped').catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const cut = results.filter((t) => t.cutMidway).length;
  const missing = results.reduce((a, t) => a + t.missing, 0);
  const lost = results.filter((t) => t.lost).length;
  const rerun = results.filter((t) => t.rerun).length;
  const inFlight = results.flatMap((t) => t.readBacks);
  const count = (s: string) => inFlight.filter((x) => x === s).length;
  const recovery = results.map((t) => t.recoveryMs).sort((a, b) => a - b);
  process.stdout.write(
    [
      '',
      `kill -9 during "Delete user" (20 writes, ${latencyMs} ms each in the sandbox): ${results.length} trials, ${cut} cut mid-way, ${results.length - cut} finished before the kill`,
      `writes missing from the audit (vs the sandbox's CloudTrail): ${missing}`,
      `requests lost (not succeeded, nor interrupted and announced once): ${lost}`,
      `re-run after the restart without a new approval: ${rerun}`,
      `writes in flight at the kill, read back: ${count('done')} done, ${count('not done')} not done, ${count('unknown')} unknown`,
      `restart to recovered and announced: median ${recovery[Math.floor(recovery.length / 2)] ?? 0} ms, max ${recovery.at(-1) ?? 0} ms`,
      '',
    ].join('\n'),
  );
  return missing === 0 && lost === 0 && rerun === 0 && results.length === trials ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`crash benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
