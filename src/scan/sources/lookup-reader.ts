/**
 * LookupEvents, read page by page (50 events, newest first, 2 requests/s per region paced by the client
 * factory), with at most one lookup attribute, until the window's start or a page budget. What a read
 * covered, and where a budget stopped it, is its Coverage.
 */
import { LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from '../../aws/clients';
import { trailEventOf, type TrailEvent } from '../cloudtrail-events';
import { step } from '../errors';
import type { CacheWriter } from './event-cache';
import type { Coverage, LookupKey } from './model';

export const EVENTS_PER_PAGE = 50;
export const LOOKUP_REQUESTS_PER_SECOND = 2;

export interface LookupPage {
  events: TrailEvent[];
  token?: string;
  bytes: number;
}

export interface LookupQuery {
  region: string;
  from: Date;
  to: Date;
  attribute?: { key: LookupKey; value: string };
  maxPages: number;
  /** A first page already fetched (the volume probe): the read goes on from its token. */
  first?: LookupPage;
  /** Told of every page (the event cache keeps them for `/aws-ir trail`). */
  cache?: CacheWriter;
}

export interface LookupRead {
  coverage: Coverage;
  pages: number;
  bytes: number;
}

export async function lookupPage(clients: AwsClients, q: Omit<LookupQuery, 'maxPages' | 'first'>, token?: string): Promise<LookupPage> {
  const out = await step('cloudtrail:LookupEvents', () =>
    clients.cloudTrail(q.region).send(
      new LookupEventsCommand({
        StartTime: q.from,
        EndTime: q.to,
        MaxResults: EVENTS_PER_PAGE,
        NextToken: token,
        ...(q.attribute ? { LookupAttributes: [{ AttributeKey: q.attribute.key, AttributeValue: q.attribute.value }] } : {}),
      }),
    ),
  );
  let bytes = 0;
  const events = (out.Events ?? []).map((e) => {
    bytes += e.CloudTrailEvent?.length ?? 0;
    return trailEventOf(e, q.region);
  });
  const page: LookupPage = { events, bytes };
  if (out.NextToken) page.token = out.NextToken;
  return page;
}

/**
 * Pages through one query, handing every event to `sink`; stops at the window's start or after `maxPages`.
 * Not the SDK's paginator: the first page is read on its own (lookupPage) to estimate the region's volume
 * and choose a source, and the read goes on from that page's token only when LookupEvents is chosen; every
 * page also feeds the event cache as it arrives. Pacing is unaffected either way (the client's middleware).
 */
export async function readLookup(clients: AwsClients, q: LookupQuery, sink: (e: TrailEvent) => void): Promise<LookupRead> {
  let page = q.first ?? (await lookupPage(clients, q));
  let pages = 1;
  let bytes = page.bytes;
  let events = 0;
  let oldest: Date | undefined;
  for (;;) {
    for (const e of page.events) {
      sink(e);
      events++;
      if (!oldest || e.time < oldest) oldest = e.time;
    }
    q.cache?.add(page.events, oldest ?? q.to);
    if (!page.token) q.cache?.reachedStart(q.from);
    if (!page.token || pages >= q.maxPages) break;
    page = await lookupPage(clients, q, page.token);
    pages++;
    bytes += page.bytes;
  }
  const complete = !page.token;
  const coverage: Coverage = {
    source: 'lookup-events',
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    filter: q.attribute ? { kind: 'attribute', key: q.attribute.key, value: q.attribute.value } : { kind: 'all' },
    events,
    complete,
  };
  if (!complete && oldest) coverage.stoppedAt = oldest.toISOString();
  return { coverage, pages, bytes };
}

/**
 * Events in [from, to] a first page suggests: all of them when it is the only page, else the page's rate
 * (its events over the time from its oldest to the range's end) over the whole range. A burst at the end
 * overestimates, which only makes the scan choose a source that reads more, never less.
 */
export function estimateEvents(page: LookupPage, from: Date, to: Date): number {
  if (!page.token) return page.events.length;
  const oldest = Math.min(...page.events.map((e) => e.time.getTime()));
  const spanMs = Math.max(1000, to.getTime() - oldest);
  return Math.max(page.events.length + 1, Math.ceil((page.events.length / spanMs) * (to.getTime() - from.getTime())));
}

export const pagesFor = (events: number): number => Math.max(1, Math.ceil(events / EVENTS_PER_PAGE));
