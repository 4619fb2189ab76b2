/**
 * `/aws-ir status`: what still needs people in a channel's incident: requests waiting for a second
 * responder, requests a restart interrupted, and the checklist, brought up to date first.
 */
import { syncChecklist } from '../checklist/checklist';
import type { ActionRequest, OpenItem } from '../store/model';
import type { CoreDeps } from './core-deps';

export interface IncidentStatus {
  pending: ActionRequest[];
  interrupted: ActionRequest[];
  /** Break-glass runs no second responder has reviewed yet. */
  unreviewed: ActionRequest[];
  open: OpenItem[];
  closed: OpenItem[];
}

export async function incidentStatus(deps: Pick<CoreDeps, 'services'>, channel: string): Promise<IncidentStatus> {
  const { store, clock } = deps.services;
  await syncChecklist({ store, now: () => clock.now() }, channel);
  const t = clock.now().getTime();
  const items = await store.listOpenItems({ channel });
  return {
    // Past their expiry they can no longer be approved, even before the sweep marks them.
    pending: (await store.listRequests({ channel, status: 'pending' })).filter((r) => Date.parse(r.expiresAt) > t),
    interrupted: await store.listRequests({ channel, status: 'interrupted' }),
    unreviewed: await store.listUnreviewed(channel),
    open: items.filter((i) => i.status === 'open'),
    closed: items.filter((i) => i.status !== 'open'),
  };
}

export function isQuiet(status: IncidentStatus): boolean {
  return !status.pending.length && !status.interrupted.length && !status.unreviewed.length && !status.open.length && !status.closed.length;
}

/** The thread a channel's answers go to: its latest scan's, when it has one. */
export async function incidentThread(deps: Pick<CoreDeps, 'services'>, channel: string): Promise<string | undefined> {
  return (await deps.services.store.latestScan(channel))?.threadTs;
}
