/**
 * What the request workflows answer: the request as it now stands, or a refusal with a sentence for
 * the person who asked. Every refusal is recorded in the audit trail with who tried what.
 */
import type { RefusalCode } from '../errors';
import type { ActionRequest } from '../store/model';
import { nowIso, type CoreDeps } from './core-deps';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  /** Plain sentence for the person who clicked (ephemeral). */
  reason: string;
  /** The request concerned, when there is one (e.g. to update its message on expiry). */
  request?: ActionRequest;
}

/** `replayed`: the same submission was seen before; the request it created is returned and nothing new happened. */
export type Decision = { ok: true; request: ActionRequest; replayed?: boolean } | Refusal;

export async function refuse(
  deps: Pick<CoreDeps, 'services'>,
  refusal: { code: RefusalCode; userId: string; attempted: string; reason: string; request?: ActionRequest; channel?: string },
): Promise<Refusal> {
  const { request } = refusal;
  const channel = request?.channel ?? refusal.channel;
  await deps.services.store.appendAudit({
    at: nowIso(deps),
    ...(channel ? { channel } : {}),
    user: refusal.userId,
    kind: 'request.refused',
    ...(request ? { requestId: request.id } : {}),
    ...(request?.scanId ? { scanId: request.scanId } : {}),
    data: { attempted: refusal.attempted, code: refusal.code, reason: refusal.reason },
  });
  return request ? { ok: false, code: refusal.code, reason: refusal.reason, request } : { ok: false, code: refusal.code, reason: refusal.reason };
}

export function alreadyDecided(r: ActionRequest): string {
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
