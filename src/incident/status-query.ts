/**
 * `/aws-ir status`: what still needs people in a channel's incident: requests waiting for a second
 * responder, requests a restart interrupted, and the checklist, brought up to date first.
 */
import { syncChecklist } from '../checklist/checklist';
import type { ActionRequest, OpenItem } from '../store/model';
import type { PlanStep } from '../scan/stories';
import type { CoreDeps } from './core-deps';
import { channelTargets, stepState, type StepState } from './scan-progress';

export interface StoryPlanStatus {
  scanId: string;
  storyId: string;
  entry: string;
  steps: { step: PlanStep; state: StepState }[];
}

export interface IncidentStatus {
  /** Each story of the channel's latest scan, with its do-first plan's steps: done, waiting for approval, open. */
  plans?: StoryPlanStatus[];
  pending: ActionRequest[];
  interrupted: ActionRequest[];
  /** Break-glass runs no second responder has reviewed yet. */
  unreviewed: ActionRequest[];
  open: OpenItem[];
  closed: OpenItem[];
}

/** The do-first plans of the channel's latest finished scan, each step's state from the channel's requests. */
export async function storyPlans(deps: Pick<CoreDeps, 'services'>, channel: string): Promise<StoryPlanStatus[]> {
  const scans = await deps.services.store.listScans({ channel, status: 'done' });
  const latest = scans.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  const stories = latest?.result?.stories ?? [];
  if (!latest || !stories.length) return [];
  const targets = await channelTargets(deps, channel);
  return stories.map((story) => ({
    scanId: latest.id,
    storyId: story.id,
    entry: story.entry.label,
    steps: story.plan.map((step) => ({ step, state: stepState(step, targets) })),
  }));
}

export async function incidentStatus(deps: Pick<CoreDeps, 'services'>, channel: string): Promise<IncidentStatus> {
  const { store, clock } = deps.services;
  await syncChecklist({ store, now: () => clock.now() }, channel);
  const t = clock.now().getTime();
  const items = await store.listOpenItems({ channel });
  const plans = await storyPlans(deps, channel);
  return {
    ...(plans.length ? { plans } : {}),
    // Past their expiry they can no longer be approved, even before the sweep marks them.
    pending: (await store.listRequests({ channel, status: 'pending' })).filter((r) => Date.parse(r.expiresAt) > t),
    interrupted: await store.listRequests({ channel, status: 'interrupted' }),
    unreviewed: await store.listUnreviewed(channel),
    open: items.filter((i) => i.status === 'open'),
    closed: items.filter((i) => i.status !== 'open'),
  };
}

export function isQuiet(status: IncidentStatus): boolean {
  return (
    !status.plans?.length && !status.pending.length && !status.interrupted.length && !status.unreviewed.length && !status.open.length && !status.closed.length
  );
}

/** The thread a channel's answers go to: its latest scan's, when it has one. */
export async function incidentThread(deps: Pick<CoreDeps, 'services'>, channel: string): Promise<string | undefined> {
  return (await deps.services.store.latestScan(channel))?.threadTs;
}
