/**
 * What the replica benchmark and test measure on a ReplicaRig, each returning counts computed from
 * what really happened (the sandbox's CloudTrail, the shared database's audit, the stand-in's
 * messages), never from what aws-ir says about itself:
 *
 * - concurrentApprovals: N requests, each hit by M simultaneous Approve clicks spread over the replicas;
 * - killTrials: kill -9 of the replica executing an approved user deletion, the others take over;
 * - approvalLatency: click to verified, one request at a time.
 */
import type { ActionRequest, AuditEntry } from '../src/store/model';
import { BOB, DELETED_USER, KEY_USERS, keyUser, type ReplicaRig, sleep, until } from './replica-rig';

export interface ApprovalCounts {
  requests: number;
  clicks: number;
  /** Requests that ended succeeded. */
  succeeded: number;
  /** UpdateAccessKey calls AWS (the sandbox's CloudTrail) recorded, per request: must all be 1. */
  executions: number[];
  /** action.started / request.approved audit entries per request: must all be 1. */
  auditedStarts: number[];
  auditedApprovals: number[];
  /** Clicks answered "already approved / already ran". */
  toldAlreadyRan: number;
  /** Clicks whose delivery failed (no acknowledgement within Slack's 3 s). */
  undelivered: number;
  /** Replicas the winning clicks ran on (not all on one, with enough requests). */
  replicasUsed: number;
  /** Replicas that received at least one click (the proxy spread them). */
  replicasReached: number;
}

/** `requests` key deactivations, each approved by `clicks` simultaneous clicks of BOB through the proxy. */
export async function concurrentApprovals(rig: ReplicaRig, requests = KEY_USERS, clicks = 50): Promise<ApprovalCounts> {
  const since = rig.resetSandbox();
  const account = rig.sandbox.accountId;
  const scanId = `scan-approvals-${Date.now()}`;
  await rig.seedScan(
    scanId,
    Array.from({ length: requests }, (_, i) => {
      const { userName, accessKeyId } = keyUser(i);
      return {
        target: { kind: 'access-key' as const, userName, accessKeyId },
        action: 'key.deactivate' as const,
        title: `Access key ${accessKeyId} of ${userName} used from an unfamiliar address`,
        resource: `arn:aws:iam::${account}:user/${userName}`,
      };
    }),
  );
  const refusalsBefore = rig.ephemeralsTo(BOB).length;
  const deliveredBefore = rig.replicas.map((r) => r.delivered);
  const created: ActionRequest[] = [];
  for (let i = 0; i < requests; i++) created.push(await rig.request(scanId, i, 'key.deactivate', `V${scanId}-${i}`));

  let undelivered = 0;
  const executors = new Set<number>();
  for (const request of created) {
    const acks = await Promise.allSettled(Array.from({ length: clicks }, (_, n) => rig.approve(request, BOB, n)));
    undelivered += acks.filter((a) => a.status === 'rejected' || a.value.status !== 200).length;
  }
  const settled = await Promise.all(
    created.map((r) =>
      until(
        `request ${r.id} to finish`,
        async () => {
          const now = await rig.store.getRequest(r.id);
          return now && now.status !== 'pending' && now.status !== 'executing' ? now : undefined;
        },
        180_000,
        50,
      ),
    ),
  );
  for (const r of settled) if (r.executor) executors.add(r.executor.pid);
  const expectedRefusals = requests * clicks - requests - undelivered;
  // Refusals are posted after the click's acknowledgement: wait until every clicker has heard.
  await until(
    'every refused click to be answered',
    () => (rig.ephemeralsTo(BOB).length - refusalsBefore >= expectedRefusals ? true : undefined),
    120_000,
    50,
  ).catch(() => undefined);
  await sleep(500);
  const writes = rig.writes(since).filter((w) => w.eventName === 'UpdateAccessKey');
  const audits = await Promise.all(created.map((r) => rig.store.listAudit({ requestId: r.id })));
  const count = (entries: AuditEntry[], kind: AuditEntry['kind']) => entries.filter((e) => e.kind === kind).length;
  return {
    requests,
    clicks: requests * clicks,
    succeeded: settled.filter((r) => r.status === 'succeeded').length,
    executions: created.map((r) => writes.filter((w) => Object.values(w.requestParameters).includes((r.target as { accessKeyId: string }).accessKeyId)).length),
    auditedStarts: audits.map((a) => count(a, 'action.started')),
    auditedApprovals: audits.map((a) => count(a, 'request.approved')),
    toldAlreadyRan: rig
      .ephemeralsTo(BOB)
      .slice(refusalsBefore)
      .filter((t) => /already (approved|ran)/.test(t)).length,
    undelivered,
    replicasUsed: executors.size,
    replicasReached: rig.replicas.filter((r, i) => r.delivered > (deliveredBefore[i] ?? 0)).length,
  };
}

export interface KillTrial {
  /** The execution was still running when its replica was killed. */
  cutMidway: boolean;
  status: string;
  /** Not succeeded, nor interrupted and announced exactly once. */
  lost: boolean;
  /** Any write, intent or start after the takeover without a new approval. */
  rerun: boolean;
  announcements: number;
  /** Other checks of the shared database after the trial (empty when consistent). */
  inconsistencies: string[];
  /** kill -9 to announced by another replica. */
  takeoverMs: number;
  writes: number;
}

/** Intents with neither an outcome nor a read-back: a write whose fate nobody recorded. */
function unaccounted(audit: AuditEntry[]): AuditEntry[] {
  const answered = new Set(audit.filter((e) => e.kind === 'aws.outcome' || e.kind === 'aws.readback').map((e) => e.data.intent));
  return audit.filter((e) => e.kind === 'aws.intent' && !answered.has(e.seq));
}

/** One trial: request + approval of "Delete user" (20 writes), kill -9 of the executing replica after a random k-th write, takeover by the others. */
export async function killTrial(rig: ReplicaRig, n: number): Promise<KillTrial> {
  const since = rig.resetSandbox();
  const scanId = `scan-kill-${n}-${Date.now()}`;
  const { threadTs } = await rig.seedScan(scanId, [
    {
      target: { kind: 'user', userName: DELETED_USER },
      action: 'user.delete',
      title: `IAM user ${DELETED_USER} created in the window`,
      resource: `arn:aws:iam::${rig.sandbox.accountId}:user/${DELETED_USER}`,
    },
  ]);
  const request = await rig.request(scanId, 0, 'user.delete', `V${scanId}`);
  await rig.approve(request, BOB, 0);
  const executing = await until('the execution to start', async () => {
    const r = await rig.store.getRequest(request.id);
    return r?.status === 'executing' || r?.status === 'succeeded' || r?.status === 'failed' ? r : undefined;
  });
  const victim = rig.replicaOfPid(executing.executor?.pid);
  if (!victim) throw new Error(`no replica runs pid ${executing.executor?.pid}`);
  const k = 1 + Math.floor(Math.random() * 19);
  await until(
    `write ${k} to be intended`,
    async () => {
      const intents = (await rig.store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'aws.intent').length;
      const r = await rig.store.getRequest(request.id);
      return intents >= k || r?.status !== 'executing' ? true : undefined;
    },
    30_000,
    2,
  );
  await sleep(Math.random() * 50);
  const killedAt = Date.now();
  await rig.kill(victim);
  const cutMidway = (await rig.store.getRequest(request.id))?.status === 'executing';

  // The survivors' sweeps (every second) find the executor's process gone, take the action over and announce it.
  const final = await until(
    'another replica to take over',
    async () => {
      const r = await rig.store.getRequest(request.id);
      if (!r || r.status === 'executing') return undefined;
      return r.status !== 'interrupted' || r.announcedAt ? r : undefined;
    },
    60_000,
    20,
  );
  await until(
    'the announcement in the thread',
    () => (final.status !== 'interrupted' || rig.threadMessages(threadTs).some((t) => t.includes('was not re-run')) ? true : undefined),
    30_000,
    20,
  );
  const takeoverMs = Date.now() - killedAt;
  const writesAtTakeover = rig.writes(since).length;
  const intentsAtTakeover = (await rig.store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'aws.intent').length;
  // Several more sweeps run on the survivors meanwhile: none may re-run or re-announce it.
  await sleep(2500);
  const audit = await rig.store.listAudit({ requestId: request.id });
  const announcements = rig.threadMessages(threadTs).filter((t) => t.includes('was not re-run')).length;
  const after = (await rig.store.getRequest(request.id))!;
  const inconsistencies: string[] = [];
  if (after.status === 'executing') inconsistencies.push('still executing');
  if (audit.filter((e) => e.kind === 'action.interrupted').length !== (after.status === 'interrupted' ? 1 : 0))
    inconsistencies.push('interruption audited wrongly');
  if (unaccounted(audit).length) inconsistencies.push(`${unaccounted(audit).length} intents without outcome or read-back`);
  const seqs = audit.map((e) => e.seq!);
  if (seqs.some((s, i) => i > 0 && s <= seqs[i - 1]!)) inconsistencies.push('audit out of order');
  if ((await rig.store.listRequests({ status: 'executing' })).length) inconsistencies.push('another request left executing');
  const lost = !(after.status === 'succeeded' && announcements === 0) && !(after.status === 'interrupted' && !!after.announcedAt && announcements === 1);
  const rerun =
    rig.writes(since).length !== writesAtTakeover ||
    audit.filter((e) => e.kind === 'action.started').length !== 1 ||
    audit.filter((e) => e.kind === 'aws.intent').length !== intentsAtTakeover;
  await rig.startReplica(victim.index);
  return { cutMidway, status: after.status, lost, rerun, announcements, inconsistencies, takeoverMs, writes: rig.writes(since).length };
}

/** Click to verified for `samples` key deactivations, one at a time (the channel's posting slot free first). */
export async function approvalLatency(rig: ReplicaRig, samples: number): Promise<number[]> {
  rig.resetSandbox();
  const scanId = `scan-latency-${Date.now()}`;
  const account = rig.sandbox.accountId;
  await rig.seedScan(
    scanId,
    Array.from({ length: samples }, (_, i) => {
      const { userName, accessKeyId } = keyUser(i);
      return {
        target: { kind: 'access-key' as const, userName, accessKeyId },
        action: 'key.deactivate' as const,
        title: `Access key ${accessKeyId}`,
        resource: `arn:aws:iam::${account}:user/${userName}`,
      };
    }),
  );
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const request = await rig.request(scanId, i, 'key.deactivate', `V${scanId}-${i}`);
    // Slack's pace is one message per second per channel: start from a free slot, so the figure is the approval's own.
    await sleep(1100);
    const start = Date.now();
    await rig.approve(request, i % 2 ? BOB : 'U0CAROL', i);
    await until(
      'verified',
      async () => {
        const r = await rig.store.getRequest(request.id);
        return r?.status === 'succeeded' && r.outcome?.verified ? true : undefined;
      },
      30_000,
      2,
    );
    out.push(Date.now() - start);
  }
  return out;
}
