/**
 * "Mark done" on an open checklist item: a responder's word that a step only a person can do is
 * done. It changes nothing in AWS, so one responder suffices; it is recorded with who and when, and
 * the item says aws-ir did not verify it. Refusals are recorded too.
 */
import { markDone, type MarkDoneResult } from '../checklist/checklist';
import { nowIso, type CoreDeps } from './core-deps';

export async function markItemDone(deps: CoreDeps, input: { itemId: string; userId: string; channel?: string }): Promise<MarkDoneResult> {
  const { store, clock } = deps.services;
  const allowed = await deps.responders.check(input.userId);
  if (!allowed.allowed) {
    const item = await store.getOpenItem(input.itemId);
    const channel = item?.channel ?? input.channel;
    await store.appendAudit({
      at: nowIso(deps),
      ...(channel ? { channel } : {}),
      user: input.userId,
      kind: 'request.refused',
      data: { attempted: 'mark done', code: 'not_responder', reason: allowed.reason, item: input.itemId },
    });
    return { ok: false, reason: allowed.reason };
  }
  return markDone({ store, now: () => clock.now() }, input.itemId, input.userId);
}
