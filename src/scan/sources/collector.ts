/**
 * Where every source puts what it read. Events a detection could match are kept (once, whichever source
 * or query read them); every event of a principal (not the scan's own reads, not AWS acting for itself)
 * goes into the history that tells habits from novelty. Memory grows with the kept events, not with the
 * millions a busy account records.
 */
import type { TrailEvent } from '../cloudtrail-events';
import { type ActivityHistory, HistoryBuilder, type KeyUse } from '../routine-activity';
import { catalogCandidate, EVERYDAY_NAMES } from './candidates';

export class EventCollector {
  readonly events: TrailEvent[] = [];
  private readonly ids = new Set<string>();
  private readonly history = new HistoryBuilder((e) => EVERYDAY_NAMES.has(e.eventName));
  private readonly candidate: (e: TrailEvent) => boolean;
  /** Events handed in, duplicates included. */
  seen = 0;

  constructor(
    account: string,
    private readonly own: string | undefined,
  ) {
    this.candidate = catalogCandidate(account);
  }

  add(e: TrailEvent): void {
    this.seen++;
    const keep = this.candidate(e);
    if (keep || EVERYDAY_NAMES.has(e.eventName)) {
      // Targeted queries overlap (an event name and a key's activity) and sources meet at the log files' edge.
      if (e.eventId) {
        if (this.ids.has(e.eventId)) return;
        this.ids.add(e.eventId);
      }
      if (keep) this.events.push(e);
    }
    if ((this.own && e.principal === this.own) || e.awsOrigin) return;
    this.history.add(e);
  }

  /** Aggregates read elsewhere (an Athena GROUP BY): a principal's successful calls from an address in a region. */
  addSpan(use: KeyUse & { region: string; accessKeyId?: string; awsOrigin?: string }, first: Date, last: Date): void {
    for (const time of first.getTime() === last.getTime() ? [first] : [first, last]) {
      // Named so it is neither an everyday call (bursts) nor a habit of any catalog call.
      const e: TrailEvent = { ...use, eventName: '(aggregate)', time, resources: [] };
      if (use.accessKeyId) e.accessKeyId = use.accessKeyId;
      if ((this.own && e.principal === this.own) || e.awsOrigin) continue;
      this.history.add(e);
    }
  }

  activityHistory(): ActivityHistory {
    return this.history.build();
  }

  keyUses(accessKeyId: string): KeyUse[] {
    return this.history.keyUses(accessKeyId);
  }
}
