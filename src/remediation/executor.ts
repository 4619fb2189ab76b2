/**
 * Runs one approved request: precheck (re-read), execute, verify (re-read), all inside an AWS call
 * observer that appends every attempt to the audit trail. Never throws: any failure becomes a plain
 * sentence in the outcome, which is never reported as success.
 */
import type { AwsClients } from '../aws/clients';
import { withAwsCallObserver, type AwsCallRecord } from '../aws/call-tracking';
import type { ActionRequest, Store } from '../store/store';
import { plainError } from './aws-errors';
import { actionDefinition } from './catalog';
import type { ActionContext, ActionDefinition, PlannedCall, PrecheckResult } from './types';

export interface ActionOutcome {
  ok: boolean;
  dryRun: boolean;
  /** True when the state was re-read after the change and matched. */
  verified: boolean;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  details?: Record<string, unknown>;
  /** Writes sent to AWS (in a dry run: the writes that would be sent). */
  calls: PlannedCall[];
  /** AWS request ids of the writes, for AWS support and CloudTrail. */
  requestIds: string[];
  /** Plain sentence for responders when !ok. */
  error?: string;
  stage?: 'precheck' | 'execute' | 'verify';
  startedAt: string;
  finishedAt: string;
}

export interface ExecutorDeps {
  clients: AwsClients;
  store: Store;
  now: () => Date;
}

function buildContext(request: ActionRequest, deps: ExecutorDeps, dryRun: boolean, calls: PlannedCall[], requestIds: string[] = []): ActionContext {
  const undoOf = request.undoOf ? deps.store.getRequest(request.undoOf) : undefined;
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
      calls.push({ operation, input: { ...(input as Record<string, unknown>) } });
      if (dryRun) return undefined;
      const out = await send();
      // The id AWS gave the write that took effect (retried attempts are in the audit's aws.call lines).
      const id = (out as { $metadata?: { requestId?: string } } | undefined)?.$metadata?.requestId;
      if (id && !requestIds.includes(id)) requestIds.push(id);
      return out;
    },
    recordEvidence(what, data) {
      deps.store.appendAudit({
        at: deps.now().toISOString(),
        channel: request.channel,
        kind: 'action.snapshot',
        requestId: request.id,
        data: { what, ...data },
      });
    },
  };
}

/** Appends every AWS attempt made inside `fn` to the audit trail of `request`. */
function auditingCalls<T>(request: ActionRequest, deps: ExecutorDeps, fn: () => Promise<T>): Promise<T> {
  return withAwsCallObserver(
    {
      onCall(call: AwsCallRecord) {
        deps.store.appendAudit({
          at: deps.now().toISOString(),
          channel: request.channel,
          kind: 'aws.call',
          requestId: request.id,
          data: { ...call },
        });
      },
    },
    fn,
  );
}

/** Precheck alone (read-only): used when a request is created, to refuse early with a reason. */
export async function precheckRequest(request: ActionRequest, deps: ExecutorDeps): Promise<PrecheckResult> {
  const definition = actionDefinition(request.action);
  try {
    return await auditingCalls(request, deps, () => definition.precheck(buildContext(request, deps, true, [])));
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
  const ctx = buildContext(request, deps, request.dryRun, calls, requestIds);
  const outcome: ActionOutcome = { ok: false, dryRun: request.dryRun, verified: false, calls, requestIds, startedAt, finishedAt: startedAt };
  // An object, not a `let`: it is advanced inside the callback and read in the catch.
  const progress: { stage: NonNullable<ActionOutcome['stage']> } = { stage: 'precheck' };
  try {
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
