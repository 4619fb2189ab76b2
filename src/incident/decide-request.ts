/**
 * The four-eyes decision on a pending request, and the execution it starts.
 *
 *   pending --approve (different responder, not expired)--> executing --> succeeded | failed
 *   pending --reject--> rejected        pending --ttl--> expired (sweep-expired.ts)
 *   executing --its process gone--> interrupted (recover-interrupted.ts; announced once, never re-run)
 *
 * "Exactly once" rests on one compare-and-set in the store (pending -> executing, which also names
 * this process as the executor with a lease); every check before it is advisory and may race
 * harmlessly. The executor renews its lease while the action runs and ends it with a second
 * conditional write that only the executor can make.
 */
import { REFUSALS } from '../errors';
import { LEASE_MS } from '../limits';
import { runAction, type ActionOutcome } from '../remediation/executor';
import type { ActionRequest } from '../store/model';
import { auditRequest, nowIso, type CoreDeps } from './core-deps';
import { alreadyDecided, refuse, type Decision } from './decision';
import { keepLease } from './process-owner';
import { expireRequest } from './sweep-expired';

export interface ApproveInput {
  requestId: string;
  userId: string;
  /** Lets the caller show "running" once this approval has won the compare-and-set. */
  onExecuting?: (request: ActionRequest) => Promise<void> | void;
}

export async function approve(deps: CoreDeps, input: ApproveInput): Promise<Decision> {
  const { store, clock, owner, logger } = deps.services;
  const { userId } = input;
  const request = await store.getRequest(input.requestId);
  if (!request) return refuse(deps, { code: 'not_found', userId, attempted: 'approve', reason: REFUSALS.requestGone });
  if (request.status !== 'pending') return refuse(deps, { code: 'already_decided', userId, attempted: 'approve', reason: alreadyDecided(request), request });
  if (userId === request.requestedBy) return refuse(deps, { code: 'self_approval', userId, attempted: 'approve', reason: REFUSALS.selfApproval, request });
  const allowed = await deps.responders.check(userId);
  if (!allowed.allowed) return refuse(deps, { code: 'not_responder', userId, attempted: 'approve', reason: allowed.reason, request });
  if (clock.now().getTime() >= Date.parse(request.expiresAt)) {
    const expired = await expireRequest(deps, request);
    return refuse(deps, { code: 'expired', userId, attempted: 'approve', reason: REFUSALS.expired, request: expired ?? request });
  }
  const protectedReason = await deps.protection.reasonProtected(request.target);
  if (protectedReason) return refuse(deps, { code: 'protected', userId, attempted: 'approve', reason: `${protectedReason} aws-ir never acts on it.`, request });

  const decidedAt = nowIso(deps);
  const claim = { decidedBy: userId, decidedAt, executor: owner, leaseUntil: new Date(clock.now().getTime() + LEASE_MS).toISOString() };
  if (!(await store.transitionRequest(request.id, 'pending', 'executing', claim))) {
    const current = (await store.getRequest(request.id)) ?? request;
    return refuse(deps, { code: 'already_decided', userId, attempted: 'approve', reason: alreadyDecided(current), request: current });
  }
  const executing = (await store.getRequest(request.id))!;
  await auditRequest(deps, 'request.approved', executing, userId, { requestedBy: request.requestedBy, dryRun: request.dryRun });
  await auditRequest(deps, 'action.started', executing, userId, { action: request.action, resource: request.target, dryRun: request.dryRun });
  try {
    await input.onExecuting?.(executing);
  } catch {
    // Display only: a failed "running…" update must never stop an approved action half-way.
  }

  const stopLease = keepLease(
    clock,
    (until) => store.renewExecutionLease(request.id, owner.id, until),
    () => logger.warn({ requestId: request.id }, 'lost the claim on an executing request; it was taken over as interrupted'),
  );
  let outcome: ActionOutcome;
  try {
    outcome = await runAction(executing, { clients: deps.remediationClients, store, now: () => clock.now() });
  } finally {
    stopLease();
  }
  if (!(await store.finishExecution(request.id, owner.id, outcome.ok ? 'succeeded' : 'failed', { outcome }))) {
    // Another process took it over as interrupted meanwhile; keep what really happened on record anyway.
    await store.updateRequest(request.id, { outcome });
  }
  await auditRequest(deps, outcome.ok ? 'action.succeeded' : 'action.failed', executing, userId, summarise(outcome));
  return { ok: true, request: (await store.getRequest(request.id))! };
}

export async function reject(deps: CoreDeps, input: { requestId: string; userId: string }): Promise<Decision> {
  const { store } = deps.services;
  const { userId } = input;
  const request = await store.getRequest(input.requestId);
  if (!request) return refuse(deps, { code: 'not_found', userId, attempted: 'reject', reason: REFUSALS.requestGone });
  if (request.status !== 'pending') return refuse(deps, { code: 'already_decided', userId, attempted: 'reject', reason: alreadyDecided(request), request });
  // The requester may withdraw their own request; anyone else must be a responder.
  if (userId !== request.requestedBy) {
    const allowed = await deps.responders.check(userId);
    if (!allowed.allowed) return refuse(deps, { code: 'not_responder', userId, attempted: 'reject', reason: allowed.reason, request });
  }
  if (!(await store.transitionRequest(request.id, 'pending', 'rejected', { decidedBy: userId, decidedAt: nowIso(deps) }))) {
    const current = (await store.getRequest(request.id)) ?? request;
    return refuse(deps, { code: 'already_decided', userId, attempted: 'reject', reason: alreadyDecided(current), request: current });
  }
  const rejected = (await store.getRequest(request.id))!;
  await auditRequest(deps, 'request.rejected', rejected, userId, { requestedBy: request.requestedBy });
  return { ok: true, request: rejected };
}

/** Records where the request message was posted, so later updates and restarts can find it. */
export async function setRequestMessage(deps: Pick<CoreDeps, 'services'>, requestId: string, messageTs: string): Promise<void> {
  await deps.services.store.updateRequest(requestId, { messageTs });
}

function summarise(o: ActionOutcome): Record<string, unknown> {
  return {
    ok: o.ok,
    dryRun: o.dryRun,
    verified: o.verified,
    before: o.before ?? null,
    after: o.after ?? null,
    details: o.details ?? null,
    calls: o.calls,
    requestIds: o.requestIds,
    error: o.error ?? null,
  };
}
