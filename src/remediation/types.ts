/**
 * The shape every response action in the catalog follows: describe exactly what will change, re-read
 * the current state before acting (precheck), act, and re-read again to verify.
 */
import type { AwsClients } from '../aws/clients';
import { ERROR_CODES } from '../errors';
import type { RunbookStep } from '../scan/model';
import type { ActionRequest, PlannedCall } from '../store/model';
import type { Store } from '../store/store';
import type { ActionId, ActionTarget } from './action-ids';

export type { PlannedCall };

export interface ActionDescription {
  account: string;
  /** 'global' for IAM. */
  region: string;
  resource: string;
  /** One or two plain sentences: what changes in AWS, and what it means for people using it. */
  effect: string;
}

export type PrecheckResult = { ok: true; before: Record<string, unknown> } | { ok: false; reason: string };

export interface ExecuteResult {
  /** Facts an undo or a reader needs: previous security groups, snapshot ids, removed items… */
  details?: Record<string, unknown>;
}

export interface VerifyResult {
  ok: boolean;
  after: Record<string, unknown>;
  /** Plain sentence when !ok: what the re-read state shows instead. */
  problem?: string;
}

export interface ActionContext {
  request: ActionRequest;
  target: ActionTarget;
  account: string;
  clients: AwsClients;
  store: Store;
  /** When the second responder approved: the cut-off for revoking sessions. */
  approvedAt: Date;
  now: () => Date;
  dryRun: boolean;
  /** The request this one undoes, when it is an undo. */
  undoOf?: ActionRequest;
  /**
   * Every AWS write goes through here: in a dry run it is recorded and not sent (returns undefined);
   * otherwise its intent is in the audit trail before it is sent and its outcome after (write-ahead),
   * so a crash in between leaves a record to read back. Reads are sent directly.
   */
  write<O>(operation: string, input: object, send: () => Promise<O>): Promise<O | undefined>;
  /** Keeps a copy of a resource's configuration in the audit trail (before deleting it, evidence). */
  recordEvidence(what: string, data: Record<string, unknown>): Promise<void>;
}

export interface ActionDefinition {
  id: ActionId;
  step: RunbookStep;
  targetKind: ActionTarget['kind'];
  /** True when the change can be reversed (by the `undo` action or by hand); deletions are not. */
  reversible: boolean;
  undo?: ActionId;
  /** Short verb phrase for buttons and titles, e.g. "Deactivate access key". */
  label: string;
  describe(target: ActionTarget, account: string): ActionDescription;
  precheck(ctx: ActionContext): Promise<PrecheckResult>;
  execute(ctx: ActionContext): Promise<ExecuteResult>;
  /** Re-reads the state after execute; `executed` is what execute reported (ids it created…). */
  verify(ctx: ActionContext, executed: ExecuteResult): Promise<VerifyResult>;
}

export class RemediationError extends Error {
  readonly code = ERROR_CODES.wrongTarget;
  constructor(message: string) {
    super(message);
    this.name = 'RemediationError';
  }
}

/** Narrows the request's target to the kind an action works on. */
export function targetAs<K extends ActionTarget['kind']>(ctx: { target: ActionTarget }, kind: K): Extract<ActionTarget, { kind: K }> {
  if (ctx.target.kind !== kind) {
    throw new RemediationError(`This action works on a ${kind}, not a ${ctx.target.kind}.`);
  }
  return ctx.target as Extract<ActionTarget, { kind: K }>;
}
