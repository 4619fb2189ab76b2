/**
 * The four-eyes decision on a pending request, and the execution it starts.
 *
 *   pending --approvals: enough distinct responders (never the requester), each fresher than the
 *             execution TTL, request not expired--> executing --> succeeded | failed
 *   pending --break-glass (one responder, containment only, when enabled)--> executing (flagged; listed
 *             until a second responder marks it reviewed)
 *   pending --reject--> rejected        pending --ttl--> expired (sweep-expired.ts)
 *   executing --its process gone--> interrupted (recover-interrupted.ts; announced once, never re-run)
 *
 * "Exactly once" rests on one compare-and-set in the store (pending -> executing, which also names
 * this process as the executor with a lease); for approvals it counts the fresh approvals of distinct
 * people in the same statement, so an approval older than the execution TTL no longer counts and two
 * people approving at once count once each. Every check before it is advisory and may race
 * harmlessly. The executor renews its lease while the action runs and ends it with a second
 * conditional write that only the executor can make.
 */
import type { AwsClients } from '../aws/clients';
import { REFUSALS, userMessage } from '../errors';
import { LEASE_MS } from '../limits';
import { runAction, type ActionOutcome } from '../remediation/executor';
import type { ActionRequest } from '../store/model';
import { approvalPolicy, breakGlassAllowed, freshSince } from './approval-policy';
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

export interface BreakGlassInput extends ApproveInput {
  /** Why it cannot wait for a second responder; required. */
  reason: string;
}

/** The checks every decision to run shares; a refusal, or the pending request. */
async function runnable(deps: CoreDeps, requestId: string, userId: string, attempted: string): Promise<Decision> {
  const { store, clock } = deps.services;
  const request = await store.getRequest(requestId);
  if (!request) return refuse(deps, { code: 'not_found', userId, attempted, reason: REFUSALS.requestGone });
  if (request.status !== 'pending') return refuse(deps, { code: 'already_decided', userId, attempted, reason: alreadyDecided(request), request });
  const allowed = await deps.responders.check(userId);
  if (!allowed.allowed) return refuse(deps, { code: 'not_responder', userId, attempted, reason: allowed.reason, request });
  if (clock.now().getTime() >= Date.parse(request.expiresAt)) {
    const expired = await expireRequest(deps, request);
    return refuse(deps, { code: 'expired', userId, attempted, reason: REFUSALS.expired, request: expired ?? request });
  }
  const protectedReason = await deps.accounts.protection(request).reasonProtected(request.target);
  if (protectedReason) return refuse(deps, { code: 'protected', userId, attempted, reason: `${protectedReason} aws-ir never acts on it.`, request });
  return { ok: true, request };
}

export async function approve(deps: CoreDeps, input: ApproveInput): Promise<Decision> {
  const { store, clock, config } = deps.services;
  const { userId } = input;
  const found = await store.getRequest(input.requestId);
  if (found?.status === 'pending' && userId === found.requestedBy)
    return refuse(deps, { code: 'self_approval', userId, attempted: 'approve', reason: REFUSALS.selfApproval, request: found });
  const checked = await runnable(deps, input.requestId, userId, 'approve');
  if (!checked.ok) return checked;
  const request = checked.request;

  const policy = approvalPolicy(config.remediation);
  const needed = request.approvalsNeeded ?? 1;
  const now = clock.now();
  const since = freshSince(policy, now);
  const counted = await store.recordApproval(request.id, { user: userId, at: now.toISOString() }, since);
  if (!counted && needed > 1) {
    const reason = `You already approved this request; it needs ${needed} approvals from different responders (not the requester).`;
    return refuse(deps, { code: 'already_approved', userId, attempted: 'approve', reason, request });
  }

  const claim = {
    decidedBy: userId,
    decidedAt: now.toISOString(),
    executor: deps.services.owner,
    leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
  };
  if (await store.startApprovedExecution(request.id, { needed, freshSince: since }, claim)) {
    const executing = (await store.getRequest(request.id))!;
    await auditRequest(deps, 'request.approved', executing, userId, { requestedBy: request.requestedBy, dryRun: request.dryRun, approvals: needed, needed });
    return execute(deps, executing, userId, input.onExecuting, {});
  }
  const current = (await store.getRequest(request.id)) ?? request;
  if (current.status !== 'pending')
    return refuse(deps, { code: 'already_decided', userId, attempted: 'approve', reason: alreadyDecided(current), request: current });
  // Recorded, not yet enough: the message shows "n of N" and who still counts.
  const fresh = (current.approvals ?? []).filter((a) => a.at >= since && a.user !== current.requestedBy).length;
  await auditRequest(deps, 'request.approved', current, userId, { requestedBy: request.requestedBy, dryRun: request.dryRun, approvals: fresh, needed });
  return { ok: true, request: current };
}

/**
 * Break-glass: one responder (the requester too) runs a containment action alone, with a reason. Only
 * when enabled (AWS_IR_BREAK_GLASS) and never for a deletion; announced in the channel, flagged in the
 * audit, and listed by /aws-ir status until a second responder reviews it.
 */
export async function breakGlass(deps: CoreDeps, input: BreakGlassInput): Promise<Decision> {
  const { store, clock, config } = deps.services;
  const { userId } = input;
  const policy = approvalPolicy(config.remediation);
  const found = await store.getRequest(input.requestId);
  if (!policy.breakGlass)
    return refuse(deps, { code: 'break_glass_off', userId, attempted: 'break-glass', reason: REFUSALS.breakGlassOff, ...(found ? { request: found } : {}) });
  if (found && !breakGlassAllowed(policy, found.action))
    return refuse(deps, { code: 'not_containment', userId, attempted: 'break-glass', reason: REFUSALS.notContainment, request: found });
  const reason = input.reason.trim();
  if (!reason)
    return refuse(deps, { code: 'reason_required', userId, attempted: 'break-glass', reason: REFUSALS.reasonRequired, ...(found ? { request: found } : {}) });
  const checked = await runnable(deps, input.requestId, userId, 'break-glass');
  if (!checked.ok) return checked;
  const request = checked.request;

  const now = clock.now();
  await store.recordApproval(request.id, { user: userId, at: now.toISOString(), breakGlass: true }, freshSince(policy, now));
  const flag = { by: userId, reason, at: now.toISOString() };
  const claim = {
    decidedBy: userId,
    decidedAt: flag.at,
    executor: deps.services.owner,
    leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString(),
    breakGlass: flag,
  };
  if (!(await store.transitionRequest(request.id, 'pending', 'executing', claim))) {
    const current = (await store.getRequest(request.id)) ?? request;
    return refuse(deps, { code: 'already_decided', userId, attempted: 'break-glass', reason: alreadyDecided(current), request: current });
  }
  const executing = (await store.getRequest(request.id))!;
  await auditRequest(deps, 'request.break-glass', executing, userId, { requestedBy: request.requestedBy, reason, dryRun: request.dryRun, breakGlass: true });
  try {
    await deps.announcer.breakGlassUsed?.(executing);
  } catch (err) {
    // The run is already claimed: a failed announcement must not leave it half-done; the audit and status still show it.
    deps.services.logger.warn({ err, requestId: request.id }, 'could not announce a break-glass run');
  }
  return execute(deps, executing, userId, input.onExecuting, { breakGlass: true });
}

/** A second responder reviewed a break-glass run: it leaves /aws-ir status. */
export async function review(deps: CoreDeps, input: { requestId: string; userId: string }): Promise<Decision> {
  const { store } = deps.services;
  const { userId } = input;
  const request = await store.getRequest(input.requestId);
  if (!request?.breakGlass)
    return refuse(deps, { code: 'not_found', userId, attempted: 'review', reason: REFUSALS.nothingToReview, ...(request ? { request } : {}) });
  if (request.reviewedBy)
    return refuse(deps, {
      code: 'already_decided',
      userId,
      attempted: 'review',
      reason: `<@${request.reviewedBy}> already reviewed this break-glass run.`,
      request,
    });
  if (request.breakGlass.by === userId) return refuse(deps, { code: 'self_review', userId, attempted: 'review', reason: REFUSALS.selfReview, request });
  const allowed = await deps.responders.check(userId);
  if (!allowed.allowed) return refuse(deps, { code: 'not_responder', userId, attempted: 'review', reason: allowed.reason, request });
  if (!(await store.markReviewed(request.id, userId, nowIso(deps)))) {
    const current = (await store.getRequest(request.id)) ?? request;
    return refuse(deps, {
      code: 'already_decided',
      userId,
      attempted: 'review',
      reason: `<@${current.reviewedBy}> already reviewed this break-glass run.`,
      request: current,
    });
  }
  const reviewed = (await store.getRequest(request.id))!;
  await auditRequest(deps, 'request.reviewed', reviewed, userId, { breakGlassBy: request.breakGlass.by, breakGlass: true });
  return { ok: true, request: reviewed };
}

/** Runs a request this process has just claimed (pending -> executing), keeping its lease. */
async function execute(
  deps: CoreDeps,
  executing: ActionRequest,
  userId: string,
  onExecuting: ApproveInput['onExecuting'],
  flags: Record<string, unknown>,
): Promise<Decision> {
  const { store, clock, owner, logger } = deps.services;
  await auditRequest(deps, 'action.started', executing, userId, { action: executing.action, resource: executing.target, dryRun: executing.dryRun, ...flags });
  try {
    await onExecuting?.(executing);
  } catch {
    // Display only: a failed "running…" update must never stop an approved action half-way.
  }

  const stopLease = keepLease(
    clock,
    (until) => store.renewExecutionLease(executing.id, owner.id, until),
    () => logger.warn({ requestId: executing.id }, 'lost the claim on an executing request; it was taken over as interrupted'),
  );
  let outcome: ActionOutcome;
  try {
    outcome = await runInAccount(deps, executing);
  } finally {
    stopLease();
  }
  if (!(await store.finishExecution(executing.id, owner.id, outcome.ok ? 'succeeded' : 'failed', { outcome }))) {
    // Another process took it over as interrupted meanwhile; keep what really happened on record anyway.
    await store.updateRequest(executing.id, { outcome });
  }
  await auditRequest(deps, outcome.ok ? 'action.succeeded' : 'action.failed', executing, userId, { ...summarise(outcome), ...flags });
  return { ok: true, request: (await store.getRequest(executing.id))! };
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

/** Runs the action with the identity of the request's account; a member role that cannot be assumed fails it, changing nothing. */
async function runInAccount(deps: CoreDeps, request: ActionRequest): Promise<ActionOutcome> {
  const now = () => deps.services.clock.now();
  let clients: AwsClients;
  try {
    clients = await deps.accounts.remediationClients(request);
  } catch (err) {
    const at = now().toISOString();
    const error = `Nothing was changed: ${userMessage(err)}`;
    return { ok: false, dryRun: request.dryRun, verified: false, calls: [], requestIds: [], error, stage: 'precheck', startedAt: at, finishedAt: at };
  }
  return runAction(request, { clients, store: deps.services.store, now });
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
