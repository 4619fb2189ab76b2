/**
 * Tells everyday use of the sensitive-but-common calls on the high-signal list (console sign-ins,
 * reconnaissance reads, session minting) from the same calls made the way an intruder makes them, using
 * only the window's own events: the scan has no longer history of the account to compare with.
 */
import { isAccessDeniedCode } from './signals';
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

/** Whose habits an event counts towards: a role's sessions share the role (session names vary per job). */
export function principalKey(e: Pick<TrailEvent, 'principal' | 'principalType' | 'roleName'>): string {
  return e.principalType === 'AssumedRole' && e.roleName ? `role:${e.roleName}` : e.principal;
}

const failed = (e: TrailEvent): boolean => !!e.errorCode || e.signIn?.failed === true;

export interface ActivityHistory {
  isUsualAddress(e: Pick<TrailEvent, 'principal' | 'principalType' | 'roleName' | 'sourceIp'>): boolean;
  inBurst(e: TrailEvent): boolean;
  /**
   * The principal made this same call from this same address on HABIT_MIN_DAYS or more distinct days,
   * and the address is usual for it: a CI's daily deploy, not an intruder's first afternoon.
   */
  isHabit(e: TrailEvent): boolean;
  /** Some principal works in this region from an address usual for it (the region is not new ground). */
  isWorkedRegion(region: string): boolean;
}

/** Distinct UTC days a call must recur on, from the same principal and address, to count as a habit. */
export const HABIT_MIN_DAYS = 2;

/**
 * `events`: the principals' own calls (not the scan's, not AWS's own), the window and the baseline read
 * before it. `everyday`: the reads and session mintings whose density tells tooling from people.
 */
export function activityHistory(events: Iterable<TrailEvent>, everyday: (e: TrailEvent) => boolean): ActivityHistory {
  const builder = new HistoryBuilder(everyday);
  for (const e of events) builder.add(e);
  return builder.build();
}

/** One distinct way a key was used: who, as which principal, from where (what reconcile.ts asks of a key). */
export type KeyUse = Pick<TrailEvent, 'principal' | 'principalType' | 'roleName' | 'userName' | 'sourceIp'>;

/**
 * The history built one event at a time, so a source streaming millions of events (the trail's log
 * files) keeps only what the judgement needs: per principal and address the first and last successful
 * call, the days each call recurred, the everyday calls (for bursts) and how each access key was used.
 */
export class HistoryBuilder {
  private readonly span = new Map<string, { first: number; last: number }>();
  private readonly dense = new Map<string, TrailEvent[]>();
  private readonly days = new Map<string, Set<string>>();
  private readonly regions = new Map<string, KeyUse & { region: string }>();
  private readonly keys = new Map<string, Map<string, KeyUse>>();

  constructor(private readonly everyday: (e: TrailEvent) => boolean) {}

  add(e: TrailEvent): void {
    if (e.sourceIp && !failed(e)) {
      const pk = principalKey(e);
      const h = `${pk}|${e.eventName}|${e.sourceIp}`;
      const d = this.days.get(h) ?? new Set<string>();
      d.add(e.time.toISOString().slice(0, 10));
      this.days.set(h, d);
      const k = `${pk}|${e.sourceIp}`;
      const t = e.time.getTime();
      const s = this.span.get(k);
      if (!s) this.span.set(k, { first: t, last: t });
      else {
        s.first = Math.min(s.first, t);
        s.last = Math.max(s.last, t);
      }
      const rk = `${k}|${e.region}`;
      if (!this.regions.has(rk)) this.regions.set(rk, { ...keyUse(e), region: e.region });
    }
    if (e.accessKeyId) {
      const uses = this.keys.get(e.accessKeyId) ?? new Map<string, KeyUse>();
      const u = keyUse(e);
      uses.set(`${principalKey(e)}|${e.userName ?? ''}|${e.sourceIp ?? ''}`, u);
      this.keys.set(e.accessKeyId, uses);
    }
    if (this.everyday(e) && e.eventName !== 'ConsoleLogin') {
      const k = principalKey(e);
      const list = this.dense.get(k);
      if (list) list.push(e);
      else this.dense.set(k, [e]);
    }
  }

  /** The distinct uses of an access key among the events added. */
  keyUses(accessKeyId: string): KeyUse[] {
    return [...(this.keys.get(accessKeyId)?.values() ?? [])];
  }

  build(): ActivityHistory {
    const bursts = new Set<TrailEvent>();
    for (const list of this.dense.values()) for (const e of denseRuns(list)) bursts.add(e);
    const isUsualAddress = (e: Pick<TrailEvent, 'principal' | 'principalType' | 'roleName' | 'sourceIp'>): boolean => {
      const s = e.sourceIp ? this.span.get(`${principalKey(e)}|${e.sourceIp}`) : undefined;
      return !!s && s.last - s.first >= USUAL_ADDRESS_SPAN_MS;
    };
    const workedRegions = new Set<string>();
    for (const u of this.regions.values()) if (isUsualAddress(u)) workedRegions.add(u.region);
    return {
      isUsualAddress,
      inBurst: (e) => bursts.has(e),
      isHabit: (e) => !!e.sourceIp && (this.days.get(`${principalKey(e)}|${e.eventName}|${e.sourceIp}`)?.size ?? 0) >= HABIT_MIN_DAYS && isUsualAddress(e),
      isWorkedRegion: (region) => workedRegions.has(region),
    };
  }
}

function keyUse(e: TrailEvent): KeyUse {
  const u: KeyUse = { principal: e.principal };
  if (e.principalType) u.principalType = e.principalType;
  if (e.roleName) u.roleName = e.roleName;
  if (e.userName) u.userName = e.userName;
  if (e.sourceIp) u.sourceIp = e.sourceIp;
  return u;
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

/**
 * Why an everyday call (a sign-in, a read, a session minted) is not routine here: failed or without MFA
 * (sign-ins), denied or in a burst (reads), or from an address new for the principal. Empty: routine.
 */
export function unusualReasons(e: TrailEvent, history: ActivityHistory): string[] {
  const reasons: string[] = [];
  if (e.eventName === 'ConsoleLogin') {
    if (e.signIn?.failed || e.errorCode) reasons.push('failed sign-in');
    if (e.signIn?.mfaUsed === false) reasons.push('sign-in without MFA');
  } else {
    if (isAccessDeniedCode(e.errorCode)) reasons.push('denied');
    if (history.inBurst(e)) reasons.push(`burst (${ROUTINE_BURST_MIN_CALLS}+ within ${ROUTINE_BURST_WINDOW_MS / 60_000} minutes)`);
  }
  if (!history.isUsualAddress(e)) reasons.push('address new for this principal');
  return reasons;
}
