/**
 * Which events the scan must keep: those some detection of the catalog could match. A source streaming
 * millions of events keeps only these (and feeds every event to the history); the detections then run
 * over the kept events exactly as over a full read.
 */
import type { TrailEvent } from '../cloudtrail-events';
import { DETECTIONS } from '../detections/catalog';
import { indexCatalog, matches } from '../detections/evaluate';
import type { Detection, MatchEnv } from '../detections/model';

const INDEX = indexCatalog(DETECTIONS);

/** Detections that match any event name (attack tools, AccessDenied bursts, root activity). */
export const ANY_NAME_DETECTIONS: readonly Detection[] = INDEX.anyName;

/** Every event name the catalog names, with the detections that name it. */
export const CATALOG_NAMES: ReadonlyMap<string, readonly Detection[]> = INDEX.byName;

/** The everyday calls (sign-ins, reads, sessions) whose density the history tracks. */
export const EVERYDAY_NAMES: ReadonlySet<string> = new Set(DETECTIONS.filter((d) => d.routine === 'everyday').flatMap((d) => d.match.events));

/**
 * Conditions may ask about the principal's habits, which are known only once every event is read: an
 * event is kept when it matches with the history answering all yes or all no.
 */
function envs(account: string): [MatchEnv, MatchEnv] {
  const yes: MatchEnv = { account, habitual: () => true, usualAddress: () => true, usedRegionBefore: () => true };
  const no: MatchEnv = { account, habitual: () => false, usualAddress: () => false, usedRegionBefore: () => false };
  return [yes, no];
}

export function catalogCandidate(account: string): (e: TrailEvent) => boolean {
  const [yes, no] = envs(account);
  return (e) => {
    const named = INDEX.byName.get(e.eventName);
    if (named?.some((d) => matches(d, e, yes) || matches(d, e, no))) return true;
    return INDEX.anyName.some((d) => matches(d, e, yes) || matches(d, e, no));
  };
}
