/**
 * The four-eyes state machine. No Bolt here: handlers pass the verified Slack user id and render the
 * result.
 *
 *   pending --approve (different responder, not expired)--> executing --> succeeded | failed
 *   pending --reject--> rejected        pending --ttl--> expired
 *   executing --process restart--> interrupted (announced; never re-run)
 *
 * "Exactly once" rests on one compare-and-set in the store (pending -> executing); every other check
 * before it is advisory and may race harmlessly.
 */
import { randomUUID } from 'node:crypto';
import type { AwsClients } from '../aws/clients';
import type { AppConfig } from '../config';
import type { ActionRequest, AuditEntry, Store } from '../store/store';
import { describeTarget, isActionId, type ActionId, type ActionTarget } from './action-ids';
import { actionDefinition } from './catalog';
import { precheckRequest, runAction, type ActionOutcome } from './executor';
import type { ProtectedPrincipals } from './protected';
import type { ResponderPolicy } from './responders';

export type RefusalCode =
  | 'not_found'
  | 'not_responder'
  | 'self_approval'
  | 'protected'
  | 'already_decided'
  | 'expired'
  | 'not_offered'
  | 'precheck_failed'
  | 'no_undo';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** Plain sentence for the person who clicked (ephemeral). */
  reason: string;
  /** The request concerned, when there is one (e.g. to update its message on expiry). */
  request?: ActionRequest;
}

export type Decision = { ok: true; request: ActionRequest } | Refusal;

export interface ApprovalDeps {
  store: Store;
  config: AppConfig['remediation'];
  clients: AwsClients;
  responders: ResponderPolicy;
  protection: ProtectedPrincipals;
  now: () => Date;
  newId?: () => string;
}

export class ApprovalWorkflow {
  private readonly newId: () => string;

  constructor(private readonly deps: ApprovalDeps) {
    this.newId = deps.newId ?? (() => `req_${randomUUID()}`);
  }

  /** A response-action button on a scan finding. The target is read from the stored finding. */
  async requestFromFinding(input: { scanId: string; findingId: string; action: string; userId: string; reason?: string }): Promise<Decision> {
    const { store } = this.deps;
    const scan = store.getScan(input.scanId);
    const finding = scan?.result?.findings.find((f) => f.id === input.findingId);
    if (!scan || !finding) return this.refuse('not_found', input.userId, 'create', 'That scan or finding is no longer on record; run /aws-ir scan again.');
    if (!isActionId(input.action) || !finding.actions.includes(input.action) || !finding.target) {
      return this.refuse('not_offered', input.userId, 'create', 'That action is not offered for this finding.', undefined, scan.channel);
    }
    return this.create({
      action: input.action,
      target: finding.target,
      account: scan.result!.account,
      channel: scan.channel,
      threadTs: scan.threadTs,
      scanId: scan.id,
      findingId: finding.id,
      userId: input.userId,
      reason: input.reason,
    });
  }

  /** Undo of an executed request: a new request (two people again) for the catalog's undo action. */
  async requestUndo(input: { requestId: string; userId: string; reason?: string }): Promise<Decision> {
    const original = this.deps.store.getRequest(input.requestId);
    if (!original) return this.refuse('not_found', input.userId, 'undo', 'That request is no longer on record.');
    const undo = actionDefinition(original.action).undo;
    if (!undo || original.status !== 'succeeded' || original.dryRun) {
      return this.refuse('no_undo', input.userId, 'undo', 'There is nothing to undo for this request.', original);
    }
    const existing = this.deps.store
      .listRequests({ channel: original.channel })
      .find((r) => r.undoOf === original.id && ['pending', 'executing', 'succeeded'].includes(r.status));
    if (existing) return this.refuse('already_decided', input.userId, 'undo', `An undo of this request already exists (${existing.status}).`, original);
    return this.create({
      action: undo,
      target: original.target,
      account: original.account,
      channel: original.channel,
      threadTs: original.threadTs,
      scanId: original.scanId,
      findingId: original.findingId,
      userId: input.userId,
      reason: input.reason,
      undoOf: original.id,
    });
  }

  private async create(input: {
    action: ActionId;
    target: ActionTarget;
    account: string;
    channel: string;
    threadTs: string;
    scanId?: string;
    findingId?: string;
    userId: string;
    reason?: string;
    undoOf?: string;
  }): Promise<Decision> {
    const { store, config, now } = this.deps;
    const allowed = await this.deps.responders.check(input.userId);
    if (!allowed.allowed) return this.refuse('not_responder', input.userId, 'create', allowed.reason, undefined, input.channel);
    const protectedReason = await this.deps.protection.reasonProtected(input.target);
    if (protectedReason) return this.refuse('protected', input.userId, 'create', `${protectedReason} aws-ir never acts on it.`, undefined, input.channel);

    const created = now();
    const request: ActionRequest = {
      id: this.newId(),
      action: input.action,
      target: input.target,
      account: input.account,
      channel: input.channel,
      threadTs: input.threadTs,
      requestedBy: input.userId,
      createdAt: created.toISOString(),
      expiresAt: new Date(created.getTime() + config.requestTtlMinutes * 60_000).toISOString(),
      status: 'pending',
      dryRun: config.dryRun,
    };
    if (input.scanId) request.scanId = input.scanId;
    if (input.findingId) request.findingId = input.findingId;
    if (input.reason?.trim()) request.reason = input.reason.trim().slice(0, 500);
    if (input.undoOf) request.undoOf = input.undoOf;

    // Refuse early what would fail anyway (key already inactive, no snapshots yet…); it is re-checked on approval.
    const pre = await precheckRequest(request, this.deps);
    if (!pre.ok) return this.refuse('precheck_failed', input.userId, 'create', pre.reason, undefined, input.channel);

    store.createRequest(request);
    const definition = actionDefinition(request.action);
    this.audit('request.created', request, input.userId, {
      action: request.action,
      target: request.target,
      description: definition.describe(request.target, request.account),
      reversible: definition.reversible,
      reason: request.reason ?? null,
      dryRun: request.dryRun,
      undoOf: request.undoOf ?? null,
      findingId: request.findingId ?? null,
      expiresAt: request.expiresAt,
    });
    return { ok: true, request };
  }

  /** Records where the request message was posted, so later updates and restarts can find it. */
  setMessageTs(requestId: string, messageTs: string): void {
    this.deps.store.updateRequest(requestId, { messageTs });
  }

  /** `onExecuting` lets the caller show "running" once this approval has won the compare-and-set. */
  async approve(input: { requestId: string; userId: string; onExecuting?: (request: ActionRequest) => Promise<void> | void }): Promise<Decision> {
    const { store, now } = this.deps;
    const request = store.getRequest(input.requestId);
    if (!request) return this.refuse('not_found', input.userId, 'approve', 'That request is no longer on record.');
    if (request.status !== 'pending') return this.refuse('already_decided', input.userId, 'approve', alreadyDecided(request), request);
    if (input.userId === request.requestedBy) {
      return this.refuse('self_approval', input.userId, 'approve', 'You asked for this change, so a different responder must approve it.', request);
    }
    const allowed = await this.deps.responders.check(input.userId);
    if (!allowed.allowed) return this.refuse('not_responder', input.userId, 'approve', allowed.reason, request);
    if (now().getTime() >= Date.parse(request.expiresAt)) {
      const expired = this.expire(request);
      return this.refuse(
        'expired',
        input.userId,
        'approve',
        'This request expired before it was approved; request the action again if it is still needed.',
        expired ?? request,
      );
    }
    const protectedReason = await this.deps.protection.reasonProtected(request.target);
    if (protectedReason) return this.refuse('protected', input.userId, 'approve', `${protectedReason} aws-ir never acts on it.`, request);

    const decidedAt = now().toISOString();
    if (!store.transitionRequest(request.id, 'pending', 'executing', { decidedBy: input.userId, decidedAt })) {
      const current = store.getRequest(request.id) ?? request;
      return this.refuse('already_decided', input.userId, 'approve', alreadyDecided(current), current);
    }
    const executing = store.getRequest(request.id)!;
    this.audit('request.approved', executing, input.userId, { requestedBy: request.requestedBy, dryRun: request.dryRun });
    this.audit('action.started', executing, input.userId, { action: request.action, target: request.target, dryRun: request.dryRun });
    try {
      await input.onExecuting?.(executing);
    } catch {
      // Display only: a failed "running…" update must never stop an approved action half-way.
    }

    const outcome = await runAction(executing, this.deps);
    const status = outcome.ok ? 'succeeded' : 'failed';
    const serialised = outcome as unknown as Record<string, unknown>;
    if (!store.transitionRequest(request.id, 'executing', status, { outcome: serialised })) {
      // Only a concurrent restart-recovery could have moved it; keep the outcome on record anyway.
      store.updateRequest(request.id, { outcome: serialised });
    }
    this.audit(outcome.ok ? 'action.succeeded' : 'action.failed', executing, input.userId, summarise(outcome));
    return { ok: true, request: store.getRequest(request.id)! };
  }

  async reject(input: { requestId: string; userId: string }): Promise<Decision> {
    const { store, now } = this.deps;
    const request = store.getRequest(input.requestId);
    if (!request) return this.refuse('not_found', input.userId, 'reject', 'That request is no longer on record.');
    if (request.status !== 'pending') return this.refuse('already_decided', input.userId, 'reject', alreadyDecided(request), request);
    // The requester may withdraw their own request; anyone else must be a responder.
    if (input.userId !== request.requestedBy) {
      const allowed = await this.deps.responders.check(input.userId);
      if (!allowed.allowed) return this.refuse('not_responder', input.userId, 'reject', allowed.reason, request);
    }
    if (!store.transitionRequest(request.id, 'pending', 'rejected', { decidedBy: input.userId, decidedAt: now().toISOString() })) {
      const current = store.getRequest(request.id) ?? request;
      return this.refuse('already_decided', input.userId, 'reject', alreadyDecided(current), current);
    }
    const rejected = store.getRequest(request.id)!;
    this.audit('request.rejected', rejected, input.userId, { requestedBy: request.requestedBy });
    return { ok: true, request: rejected };
  }

  /** Moves every pending request past its expiry to 'expired'; returns them so their messages can say so. */
  sweepExpired(): ActionRequest[] {
    const t = this.deps.now().getTime();
    return this.deps.store
      .listRequests({ status: 'pending' })
      .filter((r) => Date.parse(r.expiresAt) <= t)
      .map((r) => this.expire(r))
      .filter((r): r is ActionRequest => r !== undefined);
  }

  /**
   * At start-up: a request still 'executing' was cut off by a crash or restart. It is never re-run
   * (the change may be half done); it is marked 'interrupted' for a person to verify.
   */
  recoverInterrupted(): ActionRequest[] {
    const out: ActionRequest[] = [];
    for (const r of this.deps.store.listRequests({ status: 'executing' })) {
      if (!this.deps.store.transitionRequest(r.id, 'executing', 'interrupted')) continue;
      const interrupted = this.deps.store.getRequest(r.id)!;
      this.audit('action.interrupted', interrupted, undefined, {
        decidedBy: r.decidedBy ?? null,
        note: 'aws-ir stopped while this action was running; it was not re-run. Check the resource by hand.',
      });
      out.push(interrupted);
    }
    return out;
  }

  private expire(request: ActionRequest): ActionRequest | undefined {
    if (!this.deps.store.transitionRequest(request.id, 'pending', 'expired')) return undefined;
    const expired = this.deps.store.getRequest(request.id)!;
    this.audit('request.expired', expired, undefined, { expiresAt: request.expiresAt });
    return expired;
  }

  private refuse(code: RefusalCode, userId: string, attempted: string, reason: string, request?: ActionRequest, channel?: string): Refusal {
    this.deps.store.appendAudit({
      at: this.deps.now().toISOString(),
      channel: request?.channel ?? channel,
      user: userId,
      kind: 'request.refused',
      requestId: request?.id,
      scanId: request?.scanId,
      data: { attempted, code, reason },
    });
    return request ? { ok: false, code, reason, request } : { ok: false, code, reason };
  }

  private audit(kind: AuditEntry['kind'], request: ActionRequest, user: string | undefined, data: Record<string, unknown>): void {
    this.deps.store.appendAudit({
      at: this.deps.now().toISOString(),
      channel: request.channel,
      user,
      kind,
      requestId: request.id,
      scanId: request.scanId,
      data: { target: describeTarget(request.target), ...data },
    });
  }
}

function alreadyDecided(r: ActionRequest): string {
  switch (r.status) {
    case 'executing':
      return `This request was already approved by <@${r.decidedBy}> and is running.`;
    case 'succeeded':
      return `This request already ran (approved by <@${r.decidedBy}>).`;
    case 'failed':
      return `This request already ran and failed (approved by <@${r.decidedBy}>); request it again to retry.`;
    case 'rejected':
      return `This request was rejected by <@${r.decidedBy}>.`;
    case 'expired':
      return 'This request expired; request the action again if it is still needed.';
    case 'interrupted':
      return 'This request was interrupted by a restart and will not run again; check the resource and request again if needed.';
    default:
      return 'This request is still waiting for approval.';
  }
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
