/**
 * A request's message in the scan's thread always shows its current state: pending with Approve and
 * Reject, running, or decided with what changed. Posted once (its ts is stored) and updated after.
 */
import { decidedMessage, requestMessage } from '../blocks/request';
import type { IncidentCore } from '../incident/core';
import { actionDefinition } from '../remediation/catalog';
import type { ActionRequest } from '../store/model';
import type { SlackPoster } from '../slack/poster';
import { refreshPlan } from './plan-messages';

export function messageFor(request: ActionRequest, core: Pick<IncidentCore, 'approvalProgress'>) {
  const def = actionDefinition(request.action);
  return request.status === 'pending' ? requestMessage(request, def, core.approvalProgress(request)) : decidedMessage(request, def);
}

/**
 * Updates the request's message, or posts it (and records where) when it has none yet. An undo also
 * updates the original request's message: its Undo button gives way to what the undo became.
 */
export async function showRequest(poster: SlackPoster, core: IncidentCore, request: ActionRequest): Promise<void> {
  const message = messageFor(request, core);
  if (request.messageTs) await poster.update(request.channel, request.messageTs, message);
  else await core.setRequestMessage(request.id, await poster.post(request.channel, message, request.threadTs));
  // The scan's plan follows: a step requested, done or undone changes its state and its button.
  await refreshPlan(poster, core, request.scanId).catch(() => undefined);
  if (!request.undoOf) return;
  const original = await core.getRequest(request.undoOf);
  if (original?.messageTs) await poster.update(original.channel, original.messageTs, decidedMessage(original, actionDefinition(original.action), request));
}
