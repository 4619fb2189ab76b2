/**
 * What an approval must be, by kind of action: how many distinct approvers (deletions and terminate
 * may need more), how long an approval counts before execution must start (the execution TTL), and
 * which actions one responder may run alone under break-glass (containment only, never a deletion).
 */
import type { CoreConfig } from '../config';
import { DESTRUCTIVE_APPROVERS, EXECUTION_TTL_MINUTES } from '../limits';
import type { ActionId } from '../remediation/action-ids';
import type { ActionRequest } from '../store/model';

export type ActionClass = 'containment' | 'destructive' | 'other';

/** Every action is classified here, so a new action must say which it is. */
const CLASS_OF: Readonly<Record<ActionId, ActionClass>> = {
  'key.deactivate': 'containment',
  'user.deactivate-keys': 'containment',
  'user.quarantine': 'containment',
  'role.revoke-sessions': 'containment',
  'instance.isolate': 'containment',
  'key.delete': 'destructive',
  'user.delete': 'destructive',
  'user.disable-password': 'destructive',
  'role.delete': 'destructive',
  'policy.delete': 'destructive',
  'instance.terminate': 'destructive',
  'key.reactivate': 'other',
  'user.unquarantine': 'other',
  'instance.unisolate': 'other',
  'instance.snapshot': 'other',
};

export function actionClass(action: ActionId): ActionClass {
  return CLASS_OF[action];
}

export interface ApprovalPolicy {
  executionTtlMs: number;
  destructiveApprovers: number;
  breakGlass: boolean;
}

export function approvalPolicy(remediation: CoreConfig['remediation']): ApprovalPolicy {
  return {
    executionTtlMs: (remediation.executionTtlMinutes ?? EXECUTION_TTL_MINUTES.default) * 60_000,
    destructiveApprovers: remediation.destructiveApprovers ?? DESTRUCTIVE_APPROVERS.default,
    breakGlass: remediation.breakGlass ?? false,
  };
}

/** Distinct approvers, never the requester, that `action` needs before it runs. */
export function approvalsNeeded(policy: ApprovalPolicy, action: ActionId): number {
  return actionClass(action) === 'destructive' ? policy.destructiveApprovers : 1;
}

/** Whether one responder may run `action` alone now. */
export function breakGlassAllowed(policy: ApprovalPolicy, action: ActionId): boolean {
  return policy.breakGlass && actionClass(action) === 'containment';
}

/** Approvals at or after this instant still count. */
export function freshSince(policy: ApprovalPolicy, now: Date): string {
  return new Date(now.getTime() - policy.executionTtlMs).toISOString();
}

/** Where a pending request's approvals stand now (display: the store's own count decides). */
export function approvalProgress(policy: ApprovalPolicy, request: ActionRequest, now: Date): { needed: number; counted: string[]; lapsed: string[] } {
  const since = freshSince(policy, now);
  const others = (request.approvals ?? []).filter((a) => a.user !== request.requestedBy);
  return {
    needed: request.approvalsNeeded ?? 1,
    counted: others.filter((a) => a.at >= since).map((a) => a.user),
    lapsed: others.filter((a) => a.at < since).map((a) => a.user),
  };
}
