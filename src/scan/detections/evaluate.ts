/**
 * Runs the catalog over CloudTrail events: which detections an event matches, how severe each match is
 * (base severity, the first severity rule that holds, and what is routine for the principal), and the
 * resources it names. Aggregate detections (thresholds) are kept only where the principal crossed them.
 */
import type { TrailEvent } from '../cloudtrail-events';
import type { Severity } from '../model';
import { principalKey, unusualReasons, type ActivityHistory } from '../routine-activity';
import { mostSevere } from '../signals';
import type { Detection, MatchEnv, NamedTarget } from './model';

export interface DetectionHit {
  detection: Detection;
  event: TrailEvent;
  severity: Severity;
  /** Why this severity: the rule that applied, or why an everyday call was not routine (or that it was). */
  reasons: string[];
  targets: NamedTarget[];
}

export interface CatalogIndex {
  byName: Map<string, Detection[]>;
  anyName: Detection[];
}

export function indexCatalog(catalog: readonly Detection[]): CatalogIndex {
  const byName = new Map<string, Detection[]>();
  const anyName: Detection[] = [];
  for (const d of catalog) {
    for (const n of d.match.events) {
      if (n === '*') anyName.push(d);
      else byName.set(n, [...(byName.get(n) ?? []), d]);
    }
  }
  return { byName, anyName };
}

const failedEvent = (e: TrailEvent): boolean => !!e.errorCode || e.signIn?.failed === true;

export function matches(d: Detection, e: TrailEvent, env: MatchEnv): boolean {
  const m = d.match;
  if (m.source !== '*' && e.eventSource && e.eventSource !== m.source) return false;
  if (!m.events.includes('*') && !m.events.includes(e.eventName)) return false;
  const outcome = m.outcome ?? 'success';
  if (outcome === 'success' && failedEvent(e)) return false;
  if (outcome === 'failure' && !failedEvent(e)) return false;
  if (m.errorCodes && !m.errorCodes.some((c) => (e.errorCode ?? '').includes(c))) return false;
  if (m.identities && !m.identities.includes(e.principalType ?? '')) return false;
  return (m.conditions ?? []).every((c) => c.test(e, env));
}

/** The severity of one match, or undefined when the call is everyday use that is not worth a line (an MFA sign-in from home). */
export function judge(d: Detection, e: TrailEvent, env: MatchEnv, history: ActivityHistory): { severity: Severity; reasons: string[] } | undefined {
  if (d.routine === 'everyday') {
    const unusual = unusualReasons(e, history);
    if (!unusual.length) return e.eventName === 'ConsoleLogin' ? undefined : { severity: 'low', reasons: ['routine: usual address for this principal'] };
    const r = d.rules?.find((x) => x.when(e, env));
    return { severity: r?.severity ?? d.severity, reasons: [...unusual, ...(r ? [r.text] : [])] };
  }
  if (d.routine === 'habit' && env.habitual(e)) return { severity: 'low', reasons: ['routine: the principal makes this call from this address as a habit'] };
  const r = d.rules?.find((x) => x.when(e, env));
  return r ? { severity: r.severity, reasons: [r.text] } : { severity: d.severity, reasons: [] };
}

function targetsOf(d: Detection, e: TrailEvent, env: MatchEnv): NamedTarget[] {
  return d.targets.flatMap((t) => t.read(e, env));
}

/** Every detection each event matches, judged; aggregate detections filtered to the principals that crossed their threshold. */
export function runCatalog(index: CatalogIndex, events: TrailEvent[], env: MatchEnv, history: ActivityHistory): DetectionHit[] {
  const hits: DetectionHit[] = [];
  for (const e of events) {
    for (const d of [...(index.byName.get(e.eventName) ?? []), ...index.anyName]) {
      if (!matches(d, e, env)) continue;
      const judged = judge(d, e, env, history);
      if (!judged) continue;
      hits.push({ detection: d, event: e, severity: judged.severity, reasons: judged.reasons, targets: targetsOf(d, e, env) });
    }
  }
  return applyThresholds(hits);
}

function applyThresholds(hits: DetectionHit[]): DetectionHit[] {
  const out: DetectionHit[] = [];
  const groups = new Map<string, DetectionHit[]>();
  for (const h of hits) {
    if (!h.detection.threshold) {
      out.push(h);
      continue;
    }
    const k = `${h.detection.id}|${principalKey(h.event)}`;
    groups.set(k, [...(groups.get(k) ?? []), h]);
  }
  for (const list of groups.values()) {
    const t = (list[0] as DetectionHit).detection.threshold;
    if (!t) continue;
    const kept = crossing(list, t);
    if (!kept.length) continue;
    const raised = t.raise && weight(kept, t.events) >= t.raise.events ? t.raise.severity : undefined;
    for (const h of kept) out.push(raised ? { ...h, severity: mostSevere(h.severity, raised), reasons: [...h.reasons, `${kept.length} events`] } : h);
  }
  return out;
}

/** One batch call stands for a threshold's worth of single reads. */
function weight(list: DetectionHit[], perBatch: number): number {
  return list.reduce((n, h) => n + (h.event.eventName.startsWith('Batch') ? perBatch : 1), 0);
}

/** The hits of the densest stretch that meets the threshold, or none. */
function crossing(list: DetectionHit[], t: NonNullable<Detection['threshold']>): DetectionHit[] {
  const sorted = [...list].sort((a, b) => a.event.time.getTime() - b.event.time.getTime());
  const meets = (part: DetectionHit[]): boolean => weight(part, t.events) >= t.events && new Set(part.map((h) => h.event.region)).size >= (t.regions ?? 1);
  if (!t.withinMs) return meets(sorted) ? sorted : [];
  let best: DetectionHit[] = [];
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as DetectionHit).event.time.getTime() - (sorted[lo] as DetectionHit).event.time.getTime() > t.withinMs) lo++;
    const part = sorted.slice(lo, hi + 1);
    if (meets(part) && part.length > best.length) best = part;
  }
  return best;
}
