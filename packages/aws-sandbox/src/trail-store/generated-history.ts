/**
 * A CloudTrail history of millions of events that is never held in memory: each stream is one caller
 * making one call at a steady pace, and its j-th event is computed from (stream, j) when asked for. Time
 * maps to an index in O(1), so LookupEvents, log files and Athena start reading anywhere in the history
 * without walking what comes before, and a lookup attribute (event name, user, key, read-only) selects
 * whole streams instead of testing every event.
 */
import type { TrailEvent } from '../model';

export interface StreamSpec {
  region: string;
  eventName: string;
  eventSource: string;
  readOnly: boolean;
  /** What LookupEvents' Username attribute matches (the user, the role of a session, "root"). */
  userName?: string;
  accessKeyId?: string;
  /** Events in [from, to), evenly spaced with a per-stream phase. */
  count: number;
  from: number;
  to: number;
  /** The record's fixed part: userIdentity, sourceIPAddress, userAgent, requestParameters… */
  record: Record<string, unknown>;
  /** Per-event request parameters, when they vary (a different instance, secret or parameter each call). */
  request?: (j: number) => Record<string, unknown> | null;
}

/** Newest first: time, then event id, descending (LookupEvents' order and its cursor). */
export interface Cursor {
  t: number;
  id: string;
}

/** A test on a whole stream: LookupEvents' attributes are properties of the stream, not of one event. */
export type StreamFilter = (s: StreamSpec) => boolean;

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');

/** Binary heap keyed by a comparator; the merge of a few hundred streams needs nothing more. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly before: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  push(v: T): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i] as T, a[p] as T)) break;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.before(a[l] as T, a[m] as T)) m = l;
        if (r < a.length && this.before(a[r] as T, a[m] as T)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T, a[i] as T];
        i = m;
      }
    }
    return top;
  }
}

interface Head {
  s: number;
  j: number;
  t: number;
  id: string;
}

export class GeneratedHistory {
  private readonly phase: number[];

  constructor(
    readonly streams: readonly StreamSpec[],
    private readonly accountId: string,
  ) {
    // A phase per stream so streams of the same pace do not all tick on the same millisecond.
    this.phase = streams.map((_, s) => ((s * 0.61803398875) % 1) * 0.999);
  }

  regions(): string[] {
    return [...new Set(this.streams.map((s) => s.region))].sort();
  }

  timeOf(s: number, j: number): number {
    const st = this.streams[s] as StreamSpec;
    return st.from + Math.floor(((j + (this.phase[s] as number)) * (st.to - st.from)) / st.count);
  }

  /** Stream and index in the id, so EventId lookups need no search; ids sort like (stream, index). */
  idOf(s: number, j: number): string {
    return `${hex(s, 8)}-0000-4000-8000-${hex(j, 12)}`;
  }

  /** The event with this id, if it is a generated one. */
  byId(id: string): { s: number; j: number } | undefined {
    const m = /^([0-9a-f]{8})-0000-4000-8000-([0-9a-f]{12})$/.exec(id);
    if (!m) return undefined;
    const s = Number.parseInt(m[1] as string, 16);
    const j = Number.parseInt(m[2] as string, 16);
    const st = this.streams[s];
    return st && j < st.count ? { s, j } : undefined;
  }

  event(s: number, j: number): TrailEvent {
    const st = this.streams[s] as StreamSpec;
    const t = this.timeOf(s, j);
    const eventId = this.idOf(s, j);
    const record: Record<string, unknown> = {
      eventVersion: '1.09',
      ...st.record,
      eventTime: isoSeconds(t),
      eventSource: st.eventSource,
      eventName: st.eventName,
      awsRegion: st.region,
      requestParameters: st.request ? st.request(j) : (st.record.requestParameters ?? null),
      requestID: `${hex(j, 8)}-${hex(s, 4)}-4000-8000-000000000000`,
      eventID: eventId,
      readOnly: st.readOnly,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: this.accountId,
      eventCategory: 'Management',
    };
    const e: TrailEvent = {
      eventId,
      eventName: st.eventName,
      eventSource: st.eventSource,
      eventTime: new Date(t),
      region: st.region,
      readOnly: st.readOnly,
      resources: [],
      record,
    };
    if (st.userName) e.userName = st.userName;
    if (st.accessKeyId) e.accessKeyId = st.accessKeyId;
    return e;
  }

  /** The last index whose time is <= t (-1 when none). */
  private lastAtOrBefore(s: number, t: number): number {
    const st = this.streams[s] as StreamSpec;
    if (t < this.timeOf(s, 0)) return -1;
    let j = Math.min(st.count - 1, Math.max(0, Math.floor(((t - st.from + 1) * st.count) / (st.to - st.from) - (this.phase[s] as number))));
    while (j + 1 < st.count && this.timeOf(s, j + 1) <= t) j++;
    while (j >= 0 && this.timeOf(s, j) > t) j--;
    return j;
  }

  /** The first index whose time is >= t (count when none). */
  private firstAtOrAfter(s: number, t: number): number {
    return this.lastAtOrBefore(s, t - 1) + 1;
  }

  private selected(region: string, filter?: StreamFilter): number[] {
    const out: number[] = [];
    this.streams.forEach((st, s) => {
      if (st.region === region && (!filter || filter(st))) out.push(s);
    });
    return out;
  }

  /**
   * Events of the region in [from, to], newest first, strictly after `cursor` in that order, from the
   * streams `filter` selects. Costs O(streams) to start and O(log streams) per event.
   */
  *newestFirst(region: string, from: number, to: number, cursor?: Cursor, filter?: StreamFilter): Generator<TrailEvent> {
    const heap = new Heap<Head>((a, b) => a.t > b.t || (a.t === b.t && a.id > b.id));
    for (const s of this.selected(region, filter)) {
      let j = this.lastAtOrBefore(s, Math.min(to, cursor ? cursor.t : to));
      while (cursor && j >= 0 && this.timeOf(s, j) === cursor.t && this.idOf(s, j) >= cursor.id) j--;
      if (j >= 0) heap.push({ s, j, t: this.timeOf(s, j), id: this.idOf(s, j) });
    }
    for (let h = heap.pop(); h; h = heap.pop()) {
      if (h.t < from) return;
      yield this.event(h.s, h.j);
      if (h.j > 0) heap.push({ s: h.s, j: h.j - 1, t: this.timeOf(h.s, h.j - 1), id: this.idOf(h.s, h.j - 1) });
    }
  }

  /** Events of the region in [from, to), oldest first (a log file's content). */
  *oldestFirst(region: string, from: number, to: number): Generator<TrailEvent> {
    const heap = new Heap<Head>((a, b) => a.t < b.t || (a.t === b.t && a.id < b.id));
    const ends = new Map<number, number>();
    for (const s of this.selected(region)) {
      const j = this.firstAtOrAfter(s, from);
      const end = this.firstAtOrAfter(s, to);
      ends.set(s, end);
      if (j < end) heap.push({ s, j, t: this.timeOf(s, j), id: this.idOf(s, j) });
    }
    for (let h = heap.pop(); h; h = heap.pop()) {
      yield this.event(h.s, h.j);
      if (h.j + 1 < (ends.get(h.s) as number)) heap.push({ s: h.s, j: h.j + 1, t: this.timeOf(h.s, h.j + 1), id: this.idOf(h.s, h.j + 1) });
    }
  }

  /** How many events of the region lie in [from, to] and pass `filter`: O(streams). */
  count(region: string, from: number, to: number, filter?: StreamFilter): number {
    let n = 0;
    for (const s of this.selected(region, filter)) n += this.lastAtOrBefore(s, to) - this.firstAtOrAfter(s, from) + 1;
    return n;
  }

  /** The earliest generated event's time, if any. */
  earliest(): number | undefined {
    let min: number | undefined;
    this.streams.forEach((_, s) => {
      const t = this.timeOf(s, 0);
      if (min === undefined || t < min) min = t;
    });
    return min;
  }
}
