/**
 * Asking for a response action: from a scan finding's button, or as the undo of an executed one. The
 * target is read from the stored finding (or the original request), never from what the button
 * carried. A request needs a responder, a reason and a target that is not protected; it is checked
 * against AWS first (precheck) so what would fail anyway is refused at once. A replayed submission
 * (same idempotency key) creates nothing new.
 */
import { REASON_MAX_CHARS } from '../limits';
import type { AwsClients } from '../aws/clients';
import { REFUSALS, userMessage } from '../errors';
import { isActionId, type ActionId, type ActionTarget } from '../remediation/action-ids';
import { actionDefinition } from '../remediation/catalog';
import { precheckRequest } from '../remediation/executor';
import type { ActionRequest } from '../store/model';
import { approvalPolicy, approvalsNeeded } from './approval-policy';
import { auditRequest, type CoreDeps } from './core-deps';
import { refuse, type Decision, type Refusal } from './decision';

interface Asked {
  userId: string;
  reason?: string;
  /** Identifies the submission (Slack: the modal's view id); a replay of it creates nothing. */
  idempotencyKey?: string;
}

export interface FindingActionInput extends Asked {
  scanId: string;
  findingId: string;
  action: string;
}

export interface UndoInput extends Asked {
  requestId: string;
}

interface NewRequest extends Asked {
  action: ActionId;
  target: ActionTarget;
  account: string;
  channel: string;
  threadTs: string;
  scanId?: string;
  findingId?: string;
  undoOf?: string;
  memberAccount?: boolean;
}

/** The finding a button points at, if it still offers that action: what the reason form describes. */
export async function offeredAction(
  deps: Pick<CoreDeps, 'services'>,
  input: { scanId: string; findingId: string; action: string },
): Promise<{ channel: string; threadTs: string; action: ActionId; target: ActionTarget } | undefined> {
  const scan = await deps.services.store.getScan(input.scanId);
  const finding = scan?.result?.findings.find((f) => f.id === input.findingId);
  if (!scan?.threadTs || !finding?.target || !isActionId(input.action) || !finding.actions.includes(input.action)) return undefined;
  return { channel: scan.channel, threadTs: scan.threadTs, action: input.action, target: finding.target };
}

export async function requestFromFinding(deps: CoreDeps, input: FindingActionInput): Promise<Decision> {
  const replay = await replayOf(deps, input.idempotencyKey);
  if (replay) return replay;
  const scan = await deps.services.store.getScan(input.scanId);
  const finding = scan?.result?.findings.find((f) => f.id === input.findingId);
  if (!scan?.result || !scan.threadTs || !finding)
    return refuse(deps, { code: 'not_found', userId: input.userId, attempted: 'create', reason: REFUSALS.scanGone });
  if (!isActionId(input.action) || !finding.actions.includes(input.action) || !finding.target) {
    return refuse(deps, { code: 'not_offered', userId: input.userId, attempted: 'create', reason: REFUSALS.notOffered, channel: scan.channel });
  }
  // A member account's finding of an organization sweep acts in that account, through its role.
  const member = finding.account && finding.account !== scan.result.account ? finding.account : undefined;
  return create(deps, {
    ...input,
    action: input.action,
    target: finding.target,
    account: member ?? scan.result.account,
    ...(member ? { memberAccount: true } : {}),
    channel: scan.channel,
    threadTs: scan.threadTs,
    scanId: scan.id,
    findingId: finding.id,
  });
}

export type UndoCheck = { ok: true; original: ActionRequest; undo: ActionId } | Refusal;

/** Whether `requestId` can be undone now (Undo's form opens only then); a refusal is recorded. */
export async function undoable(deps: CoreDeps, input: { requestId: string; userId: string }): Promise<UndoCheck> {
  const { store } = deps.services;
  const original = await store.getRequest(input.requestId);
  if (!original) return refuse(deps, { code: 'not_found', userId: input.userId, attempted: 'undo', reason: REFUSALS.requestGone });
  const undo = actionDefinition(original.action).undo;
  if (!undo || original.status !== 'succeeded' || original.dryRun) {
    return refuse(deps, { code: 'no_undo', userId: input.userId, attempted: 'undo', reason: REFUSALS.noUndo, request: original });
  }
  const existing = (await store.listRequests({ channel: original.channel })).find(
    (r) => r.undoOf === original.id && ['pending', 'executing', 'succeeded'].includes(r.status),
  );
  if (existing) {
    const reason = `An undo of this request already exists (${existing.status}).`;
    return refuse(deps, { code: 'already_decided', userId: input.userId, attempted: 'undo', reason, request: original });
  }
  return { ok: true, original, undo };
}

/** Undo of an executed request: a new request (two people again) for the catalog's undo action. */
export async function requestUndo(deps: CoreDeps, input: UndoInput): Promise<Decision> {
  const replay = await replayOf(deps, input.idempotencyKey);
  if (replay) return replay;
  const check = await undoable(deps, input);
  if (!check.ok) return check;
  const { original, undo } = check;
  return create(deps, {
    userId: input.userId,
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
    action: undo,
    target: original.target,
    account: original.account,
    ...(original.memberAccount ? { memberAccount: true } : {}),
    channel: original.channel,
    threadTs: original.threadTs,
    ...(original.scanId ? { scanId: original.scanId } : {}),
    ...(original.findingId ? { findingId: original.findingId } : {}),
    undoOf: original.id,
  });
}

async function replayOf(deps: CoreDeps, key: string | undefined): Promise<Decision | undefined> {
  const existing = key ? await deps.services.store.findRequestByKey(key) : undefined;
  return existing ? { ok: true, request: existing, replayed: true } : undefined;
}

async function create(deps: CoreDeps, input: NewRequest): Promise<Decision> {
  const { store, config, clock } = deps.services;
  const attempted = input.undoOf ? 'undo' : 'create';
  const reason = input.reason?.trim().slice(0, REASON_MAX_CHARS);
  if (!reason) return refuse(deps, { code: 'reason_required', userId: input.userId, attempted, reason: REFUSALS.reasonRequired, channel: input.channel });
  const allowed = await deps.responders.check(input.userId);
  if (!allowed.allowed) return refuse(deps, { code: 'not_responder', userId: input.userId, attempted, reason: allowed.reason, channel: input.channel });
  const where = { account: input.account, ...(input.memberAccount ? { memberAccount: true } : {}) };
  // A member account's role that cannot be assumed is said as such, before anything else is asked of it.
  let clients: AwsClients;
  try {
    clients = await deps.accounts.remediationClients(where);
  } catch (err) {
    return refuse(deps, { code: 'precheck_failed', userId: input.userId, attempted, reason: userMessage(err), channel: input.channel });
  }
  const protectedReason = await deps.accounts.protection(where).reasonProtected(input.target);
  if (protectedReason)
    return refuse(deps, { code: 'protected', userId: input.userId, attempted, reason: `${protectedReason} aws-ir never acts on it.`, channel: input.channel });

  const created = clock.now();
  const request: ActionRequest = {
    id: deps.newId('req'),
    action: input.action,
    target: input.target,
    account: input.account,
    channel: input.channel,
    threadTs: input.threadTs,
    requestedBy: input.userId,
    reason,
    createdAt: created.toISOString(),
    expiresAt: new Date(created.getTime() + config.remediation.requestTtlMinutes * 60_000).toISOString(),
    status: 'pending',
    dryRun: deps.accounts.dryRun(where),
    approvalsNeeded: approvalsNeeded(approvalPolicy(config.remediation), input.action),
  };
  if (input.memberAccount) request.memberAccount = true;
  if (input.scanId) request.scanId = input.scanId;
  if (input.findingId) request.findingId = input.findingId;
  if (input.undoOf) request.undoOf = input.undoOf;
  if (input.idempotencyKey) request.idempotencyKey = input.idempotencyKey;

  // Refuse early what would fail anyway (key already inactive, no snapshots yet…); it is re-checked on approval.
  const pre = await precheckRequest(request, { clients, store, now: () => clock.now() });
  if (!pre.ok) return refuse(deps, { code: 'precheck_failed', userId: input.userId, attempted, reason: pre.reason, channel: input.channel });

  if (!(await store.createRequest(request))) {
    // The same submission arrived twice at once: the other one created the request.
    const first = input.idempotencyKey ? await store.findRequestByKey(input.idempotencyKey) : undefined;
    if (first) return { ok: true, request: first, replayed: true };
    // Otherwise another responder's undo of the same request was created at the same moment (possibly on another replica).
    return refuse(deps, {
      code: 'already_decided',
      userId: input.userId,
      attempted,
      reason: 'An undo of this request already exists.',
      channel: input.channel,
    });
  }
  const definition = actionDefinition(request.action);
  await auditRequest(deps, 'request.created', request, input.userId, {
    action: request.action,
    resource: request.target,
    description: definition.describe(request.target, request.account),
    reversible: definition.reversible,
    reason: request.reason ?? null,
    dryRun: request.dryRun,
    undoOf: request.undoOf ?? null,
    findingId: request.findingId ?? null,
    expiresAt: request.expiresAt,
    approvalsNeeded: request.approvalsNeeded,
  });
  return { ok: true, request };
}
