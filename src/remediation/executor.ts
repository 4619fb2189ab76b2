/**
 * Runs one approved request: precheck (re-read), execute, verify (re-read), all inside an AWS call
 * observer that appends every attempt to the audit trail. Each write is recorded as intended before it
 * is sent and with its outcome after (write-ahead), so a crash between the two leaves an intent that
 * recovery reads back. Never throws: any failure becomes a plain sentence in the outcome, which is
 * never reported as success.
 */
import type { AwsClients } from '../aws/clients';
import { redactInput, withAwsCallObserver, type AwsCallRecord } from '../aws/call-tracking';
import type { ActionOutcomeRecord, ActionRequest, AuditEntry, PlannedCall } from '../store/model';
import type { Store } from '../store/store';
import { describeTarget } from './action-ids';
import { awsErrorCode, plainError } from './aws-errors';
import { actionDefinition } from './catalog';
import type { ActionContext, ActionDefinition, PrecheckResult } from './types';

export type ActionOutcome = ActionOutcomeRecord;

export interface ExecutorDeps {
  clients: AwsClients;
  store: Store;
  now: () => Date;
}

function requestIdOf(out: unknown): string | undefined {
  if (typeof out !== 'object' || out === null || !('$metadata' in out)) return undefined;
  const metadata = out.$metadata;
  const id = typeof metadata === 'object' && metadata !== null && 'requestId' in metadata ? metadata.requestId : undefined;
  return typeof id === 'string' ? id : undefined;
}

async function buildContext(
  request: ActionRequest,
  deps: ExecutorDeps,
  dryRun: boolean,
  calls: PlannedCall[],
  requestIds: string[] = [],
): Promise<ActionContext> {
  const undoOf = request.undoOf ? await deps.store.getRequest(request.undoOf) : undefined;
  const audit = (kind: AuditEntry['kind'], data: Record<string, unknown>) =>
    deps.store.appendAudit({
      at: deps.now().toISOString(),
      channel: request.channel,
      kind,
      requestId: request.id,
      ...(request.scanId ? { scanId: request.scanId } : {}),
      data,
    });
  return {
    request,
    target: request.target,
    account: request.account,
    clients: deps.clients,
    store: deps.store,
    approvedAt: request.decidedAt ? new Date(request.decidedAt) : deps.now(),
    now: deps.now,
    dryRun,
    undoOf,
    async write<O>(operation: string, input: object, send: () => Promise<O>): Promise<O | undefined> {
      const recorded = { ...(input as Record<string, unknown>) };
      calls.push({ operation, input: recorded });
      if (dryRun) return undefined;
      const intent = await audit('aws.intent', { operation, input: redactInput(recorded), target: describeTarget(request.target) });
      let out: O;
      try {
        out = await send();
      } catch (err) {
        await audit('aws.outcome', { intent, operation, result: 'error', errorCode: awsErrorCode(err) ?? 'Error' });
        throw err;
      }
      // The id AWS gave the write that took effect (retried attempts are in the audit's aws.call lines).
      const id = requestIdOf(out);
      await audit('aws.outcome', { intent, operation, result: 'ok', ...(id ? { requestId: id } : {}) });
      if (id && !requestIds.includes(id)) requestIds.push(id);
      return out;
    },
    async recordEvidence(what, data) {
      await audit('action.snapshot', { what, ...data });
    },
  };
}

/**
 * Appends every AWS attempt made inside `fn` to the audit trail of `request`. The observer is called
 * synchronously by the SDK middleware; the appends it starts are awaited before `fn`'s result is
 * returned, so the record is complete when the action is.
 */
async function auditingCalls<T>(request: ActionRequest, deps: ExecutorDeps, fn: () => Promise<T>): Promise<T> {
  const pending: Promise<number>[] = [];
  const observer = {
    onCall(call: AwsCallRecord) {
      pending.push(
        deps.store.appendAudit({ at: deps.now().toISOString(), channel: request.channel, kind: 'aws.call', requestId: request.id, data: { ...call } }),
      );
    },
  };
  try {
    return await withAwsCallObserver(observer, fn);
  } finally {
    await Promise.allSettled(pending);
  }
}

/** Precheck alone (read-only): used when a request is created, to refuse early with a reason. */
export async function precheckRequest(request: ActionRequest, deps: ExecutorDeps): Promise<PrecheckResult> {
  const definition = actionDefinition(request.action);
  try {
    const ctx = await buildContext(request, deps, true, []);
    return await auditingCalls(request, deps, () => definition.precheck(ctx));
  } catch (err) {
    return { ok: false, reason: `Could not read the current state: ${plainError(err)}` };
  }
}

export async function runAction(
  request: ActionRequest,
  deps: ExecutorDeps,
  definition: ActionDefinition = actionDefinition(request.action),
): Promise<ActionOutcome> {
  const startedAt = deps.now().toISOString();
  const calls: PlannedCall[] = [];
  const requestIds: string[] = [];
  const outcome: ActionOutcome = { ok: false, dryRun: request.dryRun, verified: false, calls, requestIds, startedAt, finishedAt: startedAt };
  // An object, not a `let`: it is advanced inside the callback and read in the catch.
  const progress: { stage: NonNullable<ActionOutcome['stage']> } = { stage: 'precheck' };
  try {
    const ctx = await buildContext(request, deps, request.dryRun, calls, requestIds);
    await auditingCalls(request, deps, async () => {
      const pre = await definition.precheck(ctx);
      if (!pre.ok) {
        outcome.error = `Nothing was changed: ${pre.reason}`;
        return;
      }
      outcome.before = pre.before;
      progress.stage = 'execute';
      const executed = await definition.execute(ctx);
      if (executed.details) outcome.details = executed.details;
      if (request.dryRun) {
        outcome.ok = true;
        return;
      }
      progress.stage = 'verify';
      const verified = await definition.verify(ctx, executed);
      outcome.after = verified.after;
      outcome.verified = verified.ok;
      outcome.ok = verified.ok;
      if (!verified.ok) outcome.error = `The change was sent but could not be verified: ${verified.problem ?? 'the state did not match.'}`;
    });
  } catch (err) {
    outcome.ok = false;
    const when =
      progress.stage === 'execute' ? 'while making the change (it may be partly done; a new request resumes where it stopped)' : `during the ${progress.stage}`;
    outcome.error = `Failed ${when}: ${plainError(err)}`;
  }
  outcome.stage = progress.stage;
  outcome.finishedAt = deps.now().toISOString();
  return outcome;
}
