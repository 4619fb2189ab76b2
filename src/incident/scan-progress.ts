/**
 * Progress between scans: a scan compared with the channel's previous one and with what the team has
 * done since. A finding whose action was approved, ran and was verified is contained (its target no
 * longer needs that button); a finding that was gone and is back, or whose activity goes on after it
 * was contained, came back. The same states tell each plan step whether it is done, waiting for
 * approval or open.
 */
import type { ActionId } from '../remediation/action-ids';
import type { Finding, ScanResult } from '../scan/model';
import { targetKey, type PlanStep } from '../scan/stories';
import type { ActionRequest, ScanRecord } from '../store/model';
import type { Store } from '../store/store';
import type { CoreDeps } from './core-deps';

export interface TargetState {
  /** Actions that ran, were verified and are not undone, with when they finished. */
  done: Partial<Record<ActionId, string>>;
  /** Actions requested and not yet decided or still running. */
  waiting: Partial<Record<ActionId, string>>;
}

export interface ScanComparison {
  previous?: { scanId: string; startedAt: string };
  contained: string[];
  new: string[];
  unchanged: string[];
  cameBack: string[];
  /** In the previous scan, not in this one. */
  gone: string[];
  /** By targetKey(). */
  targets: Record<string, TargetState>;
}

export type StepState = 'done' | 'waiting' | 'open' | 'blocked';

/** Requests of the channel folded into per-target states: done (verified, not undone) and waiting. */
export function targetStates(requests: readonly ActionRequest[]): Record<string, TargetState> {
  const out: Record<string, TargetState> = {};
  const undone = new Set(requests.filter((r) => r.undoOf && r.status === 'succeeded').map((r) => r.undoOf as string));
  const state = (key: string): TargetState => {
    out[key] ??= { done: {}, waiting: {} };
    return out[key] as TargetState;
  };
  for (const r of [...requests].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) {
    if (r.undoOf) continue;
    const s = state(targetKey(r.target));
    if (r.status === 'succeeded' && r.outcome?.ok && r.outcome.verified && !r.outcome.dryRun && !undone.has(r.id)) {
      s.done[r.action] = r.outcome.finishedAt;
      delete s.waiting[r.action];
    } else if (r.status === 'pending' || r.status === 'executing') s.waiting[r.action] = r.id;
  }
  return out;
}

export function stepState(step: PlanStep, targets: Record<string, TargetState>): StepState {
  if (!step.action || !step.target) return 'open';
  const t = targets[targetKey(step.target)];
  if (t?.done[step.action]) return 'done';
  if (t?.waiting[step.action]) return 'waiting';
  if (step.after && !targets[step.after.targetKey]?.done[step.after.action]) return 'blocked';
  return 'open';
}

/** When a finding's target had one of its actions done, if any (the containment that makes it contained). */
export function containedAt(f: Finding, targets: Record<string, TargetState>): string | undefined {
  if (!f.target) return undefined;
  const t = targets[targetKey(f.target)];
  const times = f.actions.map((a) => t?.done[a]).filter((x): x is string => !!x);
  return times.sort()[0];
}

function lastActivity(f: Finding): string | undefined {
  return typeof f.evidence.last === 'string' ? f.evidence.last : undefined;
}

export function compareScans(result: ScanResult, earlier: readonly ScanRecord[], requests: readonly ActionRequest[]): ScanComparison {
  const targets = targetStates(requests);
  const [previous, ...older] = earlier;
  const before = new Set(previous?.result?.findings.map((f) => f.id) ?? []);
  const ever = new Set(older.flatMap((s) => s.result?.findings.map((f) => f.id) ?? []));
  const now = new Set(result.findings.map((f) => f.id));
  const out: ScanComparison = { contained: [], new: [], unchanged: [], cameBack: [], gone: [...before].filter((id) => !now.has(id)), targets };
  if (previous) out.previous = { scanId: previous.id, startedAt: previous.startedAt };
  for (const f of result.findings) {
    const at = containedAt(f, targets);
    const last = lastActivity(f);
    // Still active after it was contained: the containment did not hold (or the attacker has another way in).
    if (at && last && last > at) out.cameBack.push(f.id);
    else if (at) out.contained.push(f.id);
    else if (previous && !before.has(f.id) && ever.has(f.id)) out.cameBack.push(f.id);
    else if (previous && !before.has(f.id)) out.new.push(f.id);
    else out.unchanged.push(f.id);
  }
  return out;
}

/** The channel's finished scans before `scan`, newest first. */
async function earlierScans(store: Store, scan: ScanRecord): Promise<ScanRecord[]> {
  const scans = await store.listScans({ channel: scan.channel, status: 'done' });
  return scans.filter((s) => s.id !== scan.id && s.startedAt <= scan.startedAt && s.result).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}

export async function compareWithPrevious(deps: Pick<CoreDeps, 'services'>, scan: ScanRecord): Promise<ScanComparison | undefined> {
  if (!scan.result) return undefined;
  const { store } = deps.services;
  return compareScans(scan.result, await earlierScans(store, scan), await store.listRequests({ channel: scan.channel }));
}

/** The states of the channel's requests now (for status and re-rendered plans). */
export async function channelTargets(deps: Pick<CoreDeps, 'services'>, channel: string): Promise<Record<string, TargetState>> {
  return targetStates(await deps.services.store.listRequests({ channel }));
}
