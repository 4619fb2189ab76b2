/**
 * Events a scan read through LookupEvents, kept for a few minutes per account and region, so that
 * `/aws-ir trail` for the same window is answered from them instead of spending the region's 2 requests/s
 * again. An entry covers a time range and what was asked (every event, or one lookup attribute); it grows
 * page by page while the scan reads, so a lookup made during the scan already finds the newest part.
 */
import type { TrailEvent } from '../cloudtrail-events';
import type { LookupKey } from './model';

/** Long enough for the responders' lookups after a scan, short enough that history is not served stale. */
export const CACHE_TTL_MS = 15 * 60_000;
/** At most this many events in all (a full read of a busy region is not kept whole). */
export const CACHE_MAX_EVENTS = 60_000;

export type CacheAttribute = { key: LookupKey | 'ResourceName'; value: string };

interface Entry {
  account: string;
  region: string;
  filter?: { key: LookupKey; value: string };
  /** The entry holds every matching event in [from, to]. */
  from: number;
  to: number;
  events: TrailEvent[];
  storedAt: number;
  /** The cache was full: later pages were not kept. */
  stopped?: boolean;
}

export interface CacheWriter {
  /** A page read, newest first: the entry now holds every event down to `oldest`. */
  add(events: TrailEvent[], oldest: Date): void;
  /** The read reached the start of its range. */
  reachedStart(from: Date): void;
}

export interface CacheHit {
  events: TrailEvent[];
  from: Date;
  to: Date;
}

/** Whether an event answers a lookup attribute, as LookupEvents matches it. */
export function matchesAttribute(e: TrailEvent, a: CacheAttribute): boolean {
  switch (a.key) {
    case 'AccessKeyId':
      return e.accessKeyId === a.value;
    case 'Username':
      return e.userName === a.value;
    case 'EventName':
      return e.eventName === a.value;
    case 'ReadOnly':
      return String(e.readOnly) === a.value;
    case 'ResourceName':
      return e.resources.includes(a.value);
  }
}

export class EventCache {
  private entries: Entry[] = [];
  private size = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Starts an entry for a read of [?, to] (newest first); the returned writer extends it page by page. */
  open(account: string, region: string, to: Date, filter?: { key: LookupKey; value: string }): CacheWriter {
    this.expire();
    const entry: Entry = { account, region, from: to.getTime(), to: to.getTime(), events: [], storedAt: this.now() };
    if (filter) entry.filter = filter;
    this.entries.push(entry);
    return {
      add: (events, oldest) => {
        if (this.size + events.length > CACHE_MAX_EVENTS) this.evictFor(events.length, entry);
        if (entry.stopped || this.size + events.length > CACHE_MAX_EVENTS) {
          // Too large to keep: the entry stops growing (its range stays true).
          entry.stopped = true;
          return;
        }
        for (const e of events) entry.events.push(e);
        this.size += events.length;
        entry.from = Math.min(entry.from, oldest.getTime());
      },
      reachedStart: (from) => {
        // Pages are contiguous, newest first: nothing lies between the oldest event read and the range's start.
        if (!entry.stopped) entry.from = Math.min(entry.from, from.getTime());
      },
    };
  }

  /**
   * The widest stretch of [from, to] some entry answers for `attribute` (an entry of every event, or of
   * that very attribute), with the matching events in it; undefined when none overlaps.
   */
  lookup(account: string, region: string, attribute: CacheAttribute, from: Date, to: Date): CacheHit | undefined {
    this.expire();
    let best: CacheHit | undefined;
    for (const e of this.entries) {
      if (e.account !== account || e.region !== region) continue;
      if (e.filter && (e.filter.key !== attribute.key || e.filter.value !== attribute.value)) continue;
      const lo = Math.max(e.from, from.getTime());
      const hi = Math.min(e.to, to.getTime());
      if (hi <= lo) continue;
      if (best && best.to.getTime() - best.from.getTime() >= hi - lo) continue;
      best = {
        events: e.events.filter((ev) => ev.time.getTime() >= lo && ev.time.getTime() <= hi && matchesAttribute(ev, attribute)),
        from: new Date(lo),
        to: new Date(hi),
      };
    }
    return best;
  }

  clear(): void {
    this.entries = [];
    this.size = 0;
  }

  private expire(): void {
    const cutoff = this.now() - CACHE_TTL_MS;
    const kept = this.entries.filter((e) => e.storedAt >= cutoff);
    if (kept.length === this.entries.length) return;
    this.entries = kept;
    this.size = kept.reduce((n, e) => n + e.events.length, 0);
  }

  /** Drops the oldest other entries until `count` more events fit. */
  private evictFor(count: number, keep: Entry): void {
    for (const e of [...this.entries].sort((a, b) => a.storedAt - b.storedAt)) {
      if (this.size + count <= CACHE_MAX_EVENTS) return;
      if (e === keep) continue;
      this.entries = this.entries.filter((x) => x !== e);
      this.size -= e.events.length;
    }
  }
}

/** One cache per process, like the rate limiters: events belong to the account and region, not to a scan. */
export const processEventCache = new EventCache();

/** The account a cache entry belongs to: its key and endpoint (two sandboxes of one scenario are two accounts). */
export const cacheAccount = (clients: { target: { key: string; endpoint?: string } }): string => `${clients.target.key}|${clients.target.endpoint ?? ''}`;
