/**
 * Work whose process is gone: scans left running and actions left executing by a process that
 * crashed or was stopped, on this host or (once their lease ran out) on another replica. Each is
 * taken over by a conditional write, so exactly one process records and announces it:
 *
 * - a scan becomes 'interrupted', its thread hears so, and the channel is free for a new scan at once;
 * - an action becomes 'interrupted' and is never re-run without a new approval. Each AWS write it had
 *   recorded as intended but not completed is read back (done / not done / unknown, with what to
 *   check), recorded in the audit and announced once in its thread.
 */
import type { ProcessOwner, ScanRecord, ActionRequest, AuditEntry } from '../store/model';
import type { Takeover } from '../store/store';
import { readBackWrite, type ReadBack } from '../remediation/read-back';
import { auditRequest, nowIso, type CoreDeps } from './core-deps';

export interface InterruptedWrite {
  operation: string;
  input: Record<string, unknown>;
  /** When its intent was recorded. */
  at: string;
  readBack: ReadBack;
}

/** Whether claimed work may be taken from `owner` (undefined: it is ours, or alive). */
function takeoverFrom(deps: Pick<CoreDeps, 'services'>, owner: ProcessOwner | undefined): Takeover | undefined {
  const now = nowIso(deps);
  // Work recorded by a version that named no owner has none left to finish it.
  if (!owner) return { ownerId: '', ownerGone: true, now };
  const state = deps.services.liveness(owner);
  if (state === 'alive') return undefined;
  return { ownerId: owner.id, ownerGone: state === 'gone', now };
}

/** Running scans whose process is gone (in `channel`, or everywhere) become interrupted and are announced. */
export async function recoverScans(deps: CoreDeps, channel?: string): Promise<ScanRecord[]> {
  const { store, logger } = deps.services;
  const running = await store.listScans({ status: 'running', ...(channel ? { channel } : {}) });
  const out: ScanRecord[] = [];
  for (const scan of running) {
    const takeover = takeoverFrom(deps, scan.owner);
    if (!takeover) continue;
    const reason = takeover.ownerGone
      ? 'aws-ir stopped while this scan was running (its process is gone).'
      : 'the aws-ir process running this scan stopped answering.';
    if (!(await store.interruptScan(scan.id, takeover, reason))) continue;
    const interrupted = (await store.getScan(scan.id))!;
    await store.appendAudit({
      at: nowIso(deps),
      channel: scan.channel,
      kind: 'scan.interrupted',
      scanId: scan.id,
      data: { reason, owner: scan.owner ?? null },
    });
    out.push(interrupted);
    await deps.announcer.scanInterrupted(interrupted).catch((err: unknown) => logger.error({ err, scanId: scan.id }, 'could not announce an interrupted scan'));
  }
  return out;
}

/** Executing requests whose process is gone become interrupted (never re-run). */
export async function recoverExecutions(deps: CoreDeps): Promise<ActionRequest[]> {
  const { store } = deps.services;
  const out: ActionRequest[] = [];
  for (const r of await store.listRequests({ status: 'executing' })) {
    const takeover = takeoverFrom(deps, r.executor);
    if (!takeover || !(await store.interruptExecution(r.id, takeover))) continue;
    const interrupted = (await store.getRequest(r.id))!;
    await auditRequest(deps, 'action.interrupted', interrupted, undefined, {
      decidedBy: r.decidedBy ?? null,
      executor: r.executor ?? null,
      note: 'aws-ir stopped while this action was running; it was not re-run. The AWS calls in flight are read back.',
    });
    out.push(interrupted);
  }
  return out;
}

/** Intents recorded before a write with no recorded outcome: the writes a crash cut off. */
function unansweredIntents(entries: AuditEntry[]): AuditEntry[] {
  const answered = new Set(entries.filter((e) => e.kind === 'aws.outcome').map((e) => e.data.intent));
  return entries.filter((e) => e.kind === 'aws.intent' && !answered.has(e.seq));
}

/** Reads back each interrupted request's cut-off writes and announces it, once. */
export async function announceInterrupted(deps: CoreDeps): Promise<ActionRequest[]> {
  const { store, logger } = deps.services;
  const out: ActionRequest[] = [];
  for (const r of await store.listRequests({ status: 'interrupted' })) {
    if (r.announcedAt || !(await store.claimAnnouncement(r.id, nowIso(deps)))) continue;
    const writes: InterruptedWrite[] = [];
    for (const intent of unansweredIntents(await store.listAudit({ requestId: r.id }))) {
      const operation = typeof intent.data.operation === 'string' ? intent.data.operation : '?';
      const input = typeof intent.data.input === 'object' && intent.data.input !== null ? (intent.data.input as Record<string, unknown>) : {};
      const readBack = await readBackWrite(deps.remediationClients, { operation, input, at: intent.at }, { target: r.target, requestId: r.id });
      await auditRequest(deps, 'aws.readback', r, undefined, { intent: intent.seq, operation, input, state: readBack.state, check: readBack.check });
      writes.push({ operation, input, at: intent.at, readBack });
    }
    const announced = (await store.getRequest(r.id)) ?? r;
    out.push(announced);
    await deps.announcer
      .requestInterrupted(announced, writes)
      .catch((err: unknown) => logger.error({ err, requestId: r.id }, 'could not announce an interrupted request'));
  }
  return out;
}
