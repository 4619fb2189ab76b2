/**
 * Tells everyday use of the sensitive-but-common calls on the high-signal list (console sign-ins,
 * reconnaissance reads, session minting) from the same calls made the way an intruder makes them, using
 * only the window's own events: the scan has no longer history of the account to compare with.
 */
import type { Severity } from './model';
import { CATEGORY_SEVERITY, isAccessDeniedCode, type SignalCategory } from './signals';
import type { TrailEvent } from './cloudtrail-events';

/**
 * An address is "usual" for a principal when its successful calls from there span at least this long
 * within the window. A leaked key used from an attacker's host for an afternoon does not qualify; a
 * person's office or a CI runner used over several days does. The limit: in a window shorter than
 * two days nothing is usual, so every such call is reported as unusual (the safe side), and an
 * intruder active from one address for more than two days of the window looks settled there (their
 * persistence and resource writes are still reported at full severity whatever the address).
 */
export const USUAL_ADDRESS_SPAN_MS = 2 * 86_400_000;
/** Reconnaissance or session minting this dense is tooling, not a person or a CI job. */
export const ROUTINE_BURST_WINDOW_MS = 10 * 60_000;
export const ROUTINE_BURST_MIN_CALLS = 10;

/** Categories whose events can be routine; every other category keeps its severity. */
const EVERYDAY: ReadonlySet<SignalCategory> = new Set(['sign-in', 'reconnaissance', 'temporary-credentials']);

/** Whose habits an event counts towards: a role's sessions share the role (session names vary per job). */
export function principalKey(e: Pick<TrailEvent, 'principal' | 'principalType' | 'roleName'>): string {
  return e.principalType === 'AssumedRole' && e.roleName ? `role:${e.roleName}` : e.principal;
}

const failed = (e: TrailEvent): boolean => !!e.errorCode || e.signIn?.failed === true;

export interface ActivityHistory {
  isUsualAddress(e: TrailEvent): boolean;
  inBurst(e: TrailEvent): boolean;
}

/** `events`: the principals' own calls in the window (not the scan's, not AWS's own). */
export function activityHistory(events: TrailEvent[], category: (e: TrailEvent) => SignalCategory | undefined): ActivityHistory {
  const span = new Map<string, { first: number; last: number }>();
  const everyday = new Map<string, TrailEvent[]>();
  for (const e of events) {
    if (e.sourceIp && !failed(e)) {
      const k = `${principalKey(e)}|${e.sourceIp}`;
      const t = e.time.getTime();
      const s = span.get(k);
      if (!s) span.set(k, { first: t, last: t });
      else {
        s.first = Math.min(s.first, t);
        s.last = Math.max(s.last, t);
      }
    }
    const c = category(e);
    if (c === 'reconnaissance' || c === 'temporary-credentials') {
      const k = principalKey(e);
      const list = everyday.get(k);
      if (list) list.push(e);
      else everyday.set(k, [e]);
    }
  }
  const bursts = new Set<TrailEvent>();
  for (const list of everyday.values()) for (const e of denseRuns(list)) bursts.add(e);
  return {
    isUsualAddress(e) {
      const s = e.sourceIp ? span.get(`${principalKey(e)}|${e.sourceIp}`) : undefined;
      return !!s && s.last - s.first >= USUAL_ADDRESS_SPAN_MS;
    },
    inBurst: (e) => bursts.has(e),
  };
}

/** Every event that lies in some ROUTINE_BURST_WINDOW_MS stretch holding ROUTINE_BURST_MIN_CALLS or more. */
function denseRuns(list: TrailEvent[]): TrailEvent[] {
  const sorted = [...list].sort((a, b) => a.time.getTime() - b.time.getTime());
  const out = new Set<TrailEvent>();
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as TrailEvent).time.getTime() - (sorted[lo] as TrailEvent).time.getTime() > ROUTINE_BURST_WINDOW_MS) lo++;
    if (hi - lo + 1 >= ROUTINE_BURST_MIN_CALLS) for (let i = lo; i <= hi; i++) out.add(sorted[i] as TrailEvent);
  }
  return [...out];
}

export interface Judgement {
  severity: Severity;
  /** Why an everyday call is not routine here; empty for routine calls and for other categories. */
  reasons: string[];
}

/**
 * How much a high-signal event weighs. Persistence, defense evasion, resource abuse and Organizations
 * changes weigh their category's severity always. A console sign-in is a signal only when it failed,
 * was made without MFA, or came from an unusual address (undefined: not a signal). Reconnaissance reads
 * and session minting are low from a usual address, and their category's severity from a new address,
 * in a burst, or when denied.
 */
export function judgeSignal(e: TrailEvent, category: SignalCategory, history: ActivityHistory): Judgement | undefined {
  if (!EVERYDAY.has(category)) return { severity: CATEGORY_SEVERITY[category], reasons: [] };
  const reasons: string[] = [];
  if (category === 'sign-in') {
    if (e.signIn?.failed || e.errorCode) reasons.push('failed sign-in');
    if (e.signIn?.mfaUsed === false) reasons.push('sign-in without MFA');
  } else {
    if (isAccessDeniedCode(e.errorCode)) reasons.push('denied');
    if (history.inBurst(e)) reasons.push(`burst (${ROUTINE_BURST_MIN_CALLS}+ within ${ROUTINE_BURST_WINDOW_MS / 60_000} minutes)`);
  }
  if (!history.isUsualAddress(e)) reasons.push('address new for this principal');
  if (reasons.length) return { severity: CATEGORY_SEVERITY[category], reasons };
  return category === 'sign-in' ? undefined : { severity: 'low', reasons: [] };
}
