/**
 * Several aws-ir processes sharing one PostgreSQL, as a load balancer sees them: N real app processes
 * on 127.0.0.1 (HTTP mode, the local Slack stand-in as Slack, the sandbox account as AWS), and a
 * round-robin HTTP proxy in front that spreads Slack's deliveries over the replicas that are up. The
 * benchmark (bench/replicas.ts) and the replica test drive it; a replica can be killed with SIGKILL
 * and started again on its port.
 *
 * The rig also plays the scan that found the targets (a scan record written straight to the shared
 * database) and the two people: ALICE requests through the reason form, BOB (and others) approve.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import {
  deliverInteraction,
  generateBotToken,
  generateSigningSecret,
  LOCAL_BOT,
  LOCAL_CHANNEL,
  startStandIn,
  type AppAck,
  type RunningStandIn,
} from '@aws-ir/slack-standin';
import { createLogger } from '../src/logger';
import type { ActionId, ActionTarget } from '../src/remediation/action-ids';
import type { Finding } from '../src/scan/model';
import { ACTION, BLOCK, VIEW, buttonActionId } from '../src/slack-ids';
import type { ActionRequest } from '../src/store/model';
import { PostgresStore } from '../src/store/postgres/postgres-store';
import { freePort, poller } from './waiting';

export const ALICE = 'U0ALICE';
export const BOB = 'U0BOB';
/** The user whose deletion (20 writes) is the multi-step action killed mid-way. */
export const DELETED_USER = 'svc-exfil';
/** Users with one access key each: the targets of the concurrent approvals. */
export const KEY_USERS = 20;
export const USER_DELETE_WRITES = [
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
  'IAM:UpdateAccessKey',
];

export { freePort, sleep } from './waiting';
export const until = poller(30_000, 10);

export function keyUser(i: number): { userName: string; accessKeyId: string } {
  const n = String(i + 1).padStart(2, '0');
  return { userName: `svc-replica-${n}`, accessKeyId: `AKIAREPLICATEST000${n}` };
}

/** bench/scenarios/crash-user.json plus KEY_USERS users with one active key each, written to `dir`. */
function writeScenario(root: string, dir: string): string {
  const scenario = JSON.parse(fs.readFileSync(path.join(root, 'bench', 'scenarios', 'crash-user.json'), 'utf8')) as {
    name: string;
    users: Record<string, unknown>[];
  };
  scenario.name = 'replicas';
  for (let i = 0; i < KEY_USERS; i++) {
    const { userName, accessKeyId } = keyUser(i);
    scenario.users.push({ userName, createDate: '-30d', accessKeys: [{ accessKeyId, createDate: '-30d' }] });
  }
  const file = path.join(dir, 'replicas.json');
  fs.writeFileSync(file, JSON.stringify(scenario));
  return file;
}

export interface Replica {
  index: number;
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
  up: boolean;
  /** Deliveries the proxy forwarded to it. */
  delivered: number;
}

export interface RigOptions {
  /** Repository root (bench/scenarios lives there). */
  root: string;
  databaseUrl: string;
  replicas: number;
  /** How to start one app process: [executable, ...args]. */
  appCommand: string[];
  /** Per IAM write in the sandbox, so an execution takes long enough to be cut. */
  writeLatencyMs?: number;
  log?: (line: string) => void;
}

export class ReplicaRig {
  readonly replicas: Replica[] = [];
  private next = 0;
  private readonly signingSecret = generateSigningSecret();
  private proxy?: http.Server;
  proxyPort = 0;

  private constructor(
    private readonly options: RigOptions,
    readonly sandbox: RunningSandbox,
    readonly standIn: RunningStandIn,
    /** The benchmark's own view of the shared database (the replicas have theirs). */
    readonly store: PostgresStore,
    private readonly dir: string,
    private readonly botToken: string,
  ) {}

  static async start(options: RigOptions): Promise<ReplicaRig> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-replicas-'));
    const sandbox = await startSandbox({ scenario: writeScenario(options.root, dir), rateLimits: false, port: 0 });
    const botToken = generateBotToken();
    const standIn = await startStandIn({ port: 0, botToken, logger: createLogger('silent') });
    const store = new PostgresStore(options.databaseUrl, { poolSize: 4 });
    await store.ping();
    const rig = new ReplicaRig(options, sandbox, standIn, store, dir, botToken);
    rig.resetSandbox();
    await rig.startProxy();
    await Promise.all(Array.from({ length: options.replicas }, (_, i) => rig.startReplica(i)));
    return rig;
  }

  /** The sandbox back to its scenario, with slow IAM writes. */
  resetSandbox(): number {
    this.sandbox.reset();
    this.sandbox.faults.clear();
    for (const op of USER_DELETE_WRITES) this.sandbox.faults.inject(op, { latencyMs: this.options.writeLatencyMs ?? 25 });
    return this.sandbox.state.events.length;
  }

  /** Writes the sandbox's CloudTrail recorded since event `since`. */
  writes(since: number): { eventName: string; requestParameters: Record<string, unknown> }[] {
    return this.sandbox.state.events
      .slice(since)
      .filter((e) => !e.readOnly)
      .map((e) => ({ eventName: e.eventName, requestParameters: (e.record.requestParameters as Record<string, unknown> | null) ?? {} }));
  }

  private env(port: number): NodeJS.ProcessEnv {
    return {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: this.botToken,
      SLACK_SIGNING_SECRET: this.signingSecret,
      SLACK_API_URL: `http://127.0.0.1:${this.standIn.port}/api/`,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: this.options.databaseUrl,
      AWS_IR_DATABASE_POOL_SIZE: '5',
      AWS_IR_SWEEP_SECONDS: '1',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: this.sandbox.endpoint,
      AWS_ACCESS_KEY_ID: this.sandbox.adminCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: this.sandbox.adminCredentials.secretAccessKey,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      LOG_LEVEL: 'error',
    };
  }

  async startReplica(index: number): Promise<Replica> {
    const port = this.replicas[index]?.port ?? (await freePort());
    const [cmd, ...args] = this.options.appCommand;
    const child = spawn(cmd!, args, { cwd: this.options.root, env: this.env(port), stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', (d: Buffer) => this.options.log?.(`replica ${index}: ${d.toString().trim()}`));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const replica: Replica = { index, port, child, exited, up: false, delivered: 0 };
    this.replicas[index] = replica;
    await until(
      `replica ${index} to be ready`,
      async () => {
        try {
          return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200 ? true : undefined;
        } catch {
          return undefined;
        }
      },
      90_000,
      50,
    );
    replica.up = true;
    return replica;
  }

  /** kill -9: no shutdown, no cleanup, exactly what a crashed or evicted replica leaves. */
  async kill(replica: Replica): Promise<void> {
    replica.up = false;
    replica.child.kill('SIGKILL');
    await replica.exited;
  }

  async stopReplica(replica: Replica): Promise<void> {
    replica.up = false;
    replica.child.kill('SIGTERM');
    await replica.exited;
  }

  replicaOfPid(pid: number | undefined): Replica | undefined {
    return this.replicas.find((r) => r.child.pid === pid);
  }

  /** Round robin over the replicas that are up; a connection refused moves on to the next one, as a load balancer does. */
  private startProxy(): Promise<void> {
    this.proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const forward = (attempt: number): void => {
          const live = this.replicas.filter((r) => r.up);
          if (!live.length || attempt >= live.length) {
            res.writeHead(502).end('no replica');
            return;
          }
          const target = live[this.next++ % live.length]!;
          target.delivered++;
          const out = http.request({ host: '127.0.0.1', port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          out.on('error', () => forward(attempt + 1));
          out.end(body);
        };
        forward(0);
      });
    });
    return new Promise((resolve) => {
      this.proxy!.listen(0, '127.0.0.1', () => {
        this.proxyPort = (this.proxy!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  private get endpoint() {
    return { url: `http://127.0.0.1:${this.proxyPort}/slack/events`, signingSecret: this.signingSecret };
  }

  /** A finished scan whose findings offer `action` on each target, in a thread of its own; returns its id and thread. */
  async seedScan(
    id: string,
    findings: { target: ActionTarget; action: ActionId; title: string; resource: string }[],
  ): Promise<{ scanId: string; threadTs: string }> {
    const thread = this.standIn.workspace.addMessage({ channel: LOCAL_CHANNEL.id, user: LOCAL_BOT.userId, botId: LOCAL_BOT.id, text: `Scan ${id}` });
    const startedAt = new Date().toISOString();
    await this.store.claimScan({
      id,
      channel: LOCAL_CHANNEL.id,
      threadTs: thread.ts,
      requestedBy: ALICE,
      startedAt,
      status: 'running',
      owner: { id: 'rig', host: 'rig', pid: 0 },
      leaseUntil: startedAt,
    });
    const result = {
      account: this.sandbox.accountId,
      window: { start: startedAt, end: startedAt },
      regions: ['us-east-1'],
      findings: findings.map(
        (f, i): Finding => ({
          id: `${id}-f${i}`,
          check: 'iam-changes',
          severity: 'high',
          step: 'R2',
          title: f.title,
          resources: [f.resource],
          evidence: {},
          actions: [f.action],
          target: f.target,
        }),
      ),
      gaps: [],
      stats: { durationMs: 1, apiCalls: {} },
    };
    await this.store.finishScan(id, 'rig', { status: 'done', finishedAt: startedAt, result });
    return { scanId: id, threadTs: thread.ts };
  }

  /** ALICE asks for the finding's action through the reason form; resolves with the request once its message is posted. */
  async request(scanId: string, findingIndex: number, action: ActionId, viewId: string): Promise<ActionRequest> {
    await deliverInteraction(this.endpoint, {
      type: 'view_submission',
      team: { id: 'T0LOCAL' },
      user: { id: ALICE },
      api_app_id: 'A0AWSIR',
      view: {
        id: viewId,
        type: 'modal',
        callback_id: VIEW.requestReason,
        private_metadata: JSON.stringify({ scanId, findingId: `${scanId}-f${findingIndex}`, action, channel: LOCAL_CHANNEL.id }),
        state: { values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'attacker activity' } } } },
      },
    });
    const findingId = `${scanId}-f${findingIndex}`;
    return until('the request message', async () =>
      (await this.store.listRequests({ channel: LOCAL_CHANNEL.id })).find((r) => r.findingId === findingId && r.messageTs),
    );
  }

  /** One Approve click by `user`, delivered through the proxy (to whichever replica is next). */
  approve(request: ActionRequest, user: string, n: number): Promise<AppAck> {
    return deliverInteraction(this.endpoint, {
      type: 'block_actions',
      team: { id: 'T0LOCAL' },
      user: { id: user },
      api_app_id: 'A0AWSIR',
      trigger_id: `${n}.${request.id}.trigger`,
      channel: { id: LOCAL_CHANNEL.id },
      container: { type: 'message', message_ts: request.messageTs, channel_id: LOCAL_CHANNEL.id },
      message: { type: 'message', ts: request.messageTs, thread_ts: request.threadTs, text: '', blocks: [] },
      actions: [{ type: 'button', action_id: buttonActionId(ACTION.approve, 0), block_id: 'b', value: JSON.stringify({ requestId: request.id }) }],
    });
  }

  /** Ephemeral answers `user` got in the channel (the refusals). */
  ephemeralsTo(user: string): string[] {
    return this.standIn.workspace
      .visibleTo(user, LOCAL_CHANNEL.id)
      .filter((m) => m.ephemeralTo === user)
      .map((m) => m.text);
  }

  threadMessages(threadTs: string): string[] {
    return this.standIn.workspace
      .publicMessages(LOCAL_CHANNEL.id)
      .filter((m) => m.threadTs === threadTs)
      .map((m) => m.text);
  }

  async close(): Promise<void> {
    await Promise.all(this.replicas.filter((r) => r.child.exitCode === null && r.child.signalCode === null).map((r) => this.stopReplica(r)));
    await new Promise<void>((resolve) => (this.proxy ? this.proxy.close(() => resolve()) : resolve()));
    await this.store.close();
    await this.standIn.close();
    await this.sandbox.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
