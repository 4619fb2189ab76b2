/**
 * A region's CloudTrail history as LookupEvents, the trail's log files and Athena read it: the events a
 * scenario planted and the sandbox recorded (state.events, sorted once per change) merged with a
 * generated history (state.generated) that is computed on demand.
 */
import type { SandboxState, TrailEvent } from '../model';
import type { Cursor, StreamSpec } from './generated-history';

export type AttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

export interface LookupAttribute {
  key: AttributeKey;
  value: string;
}

export const ATTRIBUTES: Record<AttributeKey, (e: TrailEvent, value: string) => boolean> = {
  EventId: (e, v) => e.eventId === v,
  EventName: (e, v) => e.eventName === v,
  ReadOnly: (e, v) => String(e.readOnly) === v.toLowerCase(),
  Username: (e, v) => e.userName === v,
  ResourceType: (e, v) => e.resources.some((r) => r.resourceType === v),
  ResourceName: (e, v) => e.resources.some((r) => r.resourceName === v),
  EventSource: (e, v) => e.eventSource === v,
  AccessKeyId: (e, v) => e.accessKeyId === v,
};

/** The same test on a whole generated stream (its events carry no resources; EventId is answered by id). */
function streamMatches(st: StreamSpec, a: LookupAttribute): boolean {
  switch (a.key) {
    case 'EventName':
      return st.eventName === a.value;
    case 'ReadOnly':
      return String(st.readOnly) === a.value.toLowerCase();
    case 'Username':
      return st.userName === a.value;
    case 'EventSource':
      return st.eventSource === a.value;
    case 'AccessKeyId':
      return st.accessKeyId === a.value;
    default:
      return false;
  }
}

/** Newest first; the event id breaks ties so the order (and so every page cursor) is total. */
export function newerFirst(a: TrailEvent, b: TrailEvent): number {
  const dt = b.eventTime.getTime() - a.eventTime.getTime();
  if (dt !== 0) return dt;
  return a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0;
}

/**
 * Per-region histories sorted once and rebuilt only when the event list changes (the framework appends
 * an event for every write), so paging through 20,000 events does not re-sort for every page.
 */
const historyCache = new WeakMap<TrailEvent[], { length: number; byRegion: Map<string, TrailEvent[]> }>();

export function explicitHistory(events: TrailEvent[], region: string): TrailEvent[] {
  let cached = historyCache.get(events);
  if (!cached || cached.length !== events.length) {
    const byRegion = new Map<string, TrailEvent[]>();
    for (const e of events) {
      let bucket = byRegion.get(e.region);
      if (!bucket) {
        bucket = [];
        byRegion.set(e.region, bucket);
      }
      bucket.push(e);
    }
    for (const bucket of byRegion.values()) bucket.sort(newerFirst);
    cached = { length: events.length, byRegion };
    historyCache.set(events, cached);
  }
  return cached.byRegion.get(region) ?? [];
}

/** Index of the first event that sorts after the cursor (binary search over the sorted history). */
function indexAfter(history: TrailEvent[], cursor: Cursor): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = history[mid] as TrailEvent;
    const t = e.eventTime.getTime();
    const after = t < cursor.t || (t === cursor.t && e.eventId < cursor.id);
    if (after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first event at or before `to` (newest-first order). */
function indexAtOrBefore(history: TrailEvent[], to: number): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((history[mid] as TrailEvent).eventTime.getTime() <= to) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function* explicitNewestFirst(history: TrailEvent[], from: number, to: number, cursor: Cursor | undefined, attr?: LookupAttribute): Generator<TrailEvent> {
  const test = attr ? ATTRIBUTES[attr.key] : undefined;
  for (let i = Math.max(cursor ? indexAfter(history, cursor) : 0, indexAtOrBefore(history, to)); i < history.length; i++) {
    const e = history[i] as TrailEvent;
    if (e.eventTime.getTime() < from) return;
    if (test && !test(e, attr?.value ?? '')) continue;
    yield e;
  }
}

function* generatedNewestFirst(state: SandboxState, region: string, from: number, to: number, cursor?: Cursor, attr?: LookupAttribute): Generator<TrailEvent> {
  const g = state.generated;
  if (!g) return;
  if (attr?.key === 'EventId') {
    const at = g.byId(attr.value);
    if (!at) return;
    const e = g.event(at.s, at.j);
    const t = e.eventTime.getTime();
    const afterCursor = !cursor || t < cursor.t || (t === cursor.t && e.eventId < cursor.id);
    if (e.region === region && t >= from && t <= to && afterCursor) yield e;
    return;
  }
  yield* g.newestFirst(region, from, to, cursor, attr ? (st) => streamMatches(st, attr) : undefined);
}

/** The region's events in [from, to] matching `attr`, newest first, after `cursor`: planted and generated merged. */
export function* newestFirst(state: SandboxState, region: string, from: number, to: number, cursor?: Cursor, attr?: LookupAttribute): Generator<TrailEvent> {
  const a = explicitNewestFirst(explicitHistory(state.events, region), from, to, cursor, attr);
  const b = generatedNewestFirst(state, region, from, to, cursor, attr);
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    if (y.done || (!x.done && newerFirst(x.value, y.value) <= 0)) {
      yield x.value as TrailEvent;
      x = a.next();
    } else {
      yield y.value;
      y = b.next();
    }
  }
}

/** The region's events in [from, to), oldest first: the content of one log file. */
export function oldestFirst(state: SandboxState, region: string, from: number, to: number): TrailEvent[] {
  const planted = explicitHistory(state.events, region).filter((e) => e.eventTime.getTime() >= from && e.eventTime.getTime() < to);
  const generated = state.generated ? [...state.generated.oldestFirst(region, from, to)] : [];
  return [...planted, ...generated].sort((a, b) => -newerFirst(a, b));
}

/** Whether the region holds any event in [from, to) (which log files exist). */
export function hasEvents(state: SandboxState, region: string, from: number, to: number): boolean {
  if (state.generated && state.generated.count(region, from, to - 1) > 0) return true;
  const h = explicitHistory(state.events, region);
  const i = indexAtOrBefore(h, to - 1);
  return i < h.length && (h[i] as TrailEvent).eventTime.getTime() >= from;
}

/** Regions with any event, planted or generated. */
export function regionsWithEvents(state: SandboxState): string[] {
  return [...new Set([...state.events.map((e) => e.region), ...(state.generated?.regions() ?? [])])].sort();
}

/** The earliest event's time (for the log files' first day). */
export function earliestEvent(state: SandboxState): number | undefined {
  let min = state.generated?.earliest();
  for (const e of state.events) if (min === undefined || e.eventTime.getTime() < min) min = e.eventTime.getTime();
  return min;
}
