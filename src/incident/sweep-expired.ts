/**
 * Requests nobody approved in time (AWS_IR_REQUEST_TTL_MINUTES) expire: moved to 'expired' by a
 * conditional write, so of several processes sweeping at once exactly one records and announces each.
 */
import type { ActionRequest } from '../store/model';
import { auditRequest, type CoreDeps } from './core-deps';

/** pending -> expired; the expired request when this caller made the change. */
export async function expireRequest(deps: Pick<CoreDeps, 'services'>, request: ActionRequest): Promise<ActionRequest | undefined> {
  const { store } = deps.services;
  if (!(await store.transitionRequest(request.id, 'pending', 'expired'))) return undefined;
  const expired = (await store.getRequest(request.id))!;
  await auditRequest(deps, 'request.expired', expired, undefined, { expiresAt: request.expiresAt });
  return expired;
}

/** Expires every pending request past its expiry and announces each; returns them. */
export async function sweepExpired(deps: CoreDeps): Promise<ActionRequest[]> {
  const t = deps.services.clock.now().getTime();
  const overdue = (await deps.services.store.listRequests({ status: 'pending' })).filter((r) => Date.parse(r.expiresAt) <= t);
  const expired: ActionRequest[] = [];
  for (const r of overdue) {
    const done = await expireRequest(deps, r);
    if (!done) continue;
    expired.push(done);
    await deps.announcer
      .requestExpired(done)
      .catch((err: unknown) => deps.services.logger.warn({ err, requestId: r.id }, 'could not announce an expired request'));
  }
  return expired;
}
