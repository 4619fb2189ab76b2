/**
 * CloudTrail (JSON 1.1): LookupEvents over the account's event history as CloudTrail serves it — one
 * lookup attribute per call, newest first, 90 days, 1..50 per page, only the called region's events —
 * plus DescribeTrails, GetTrailStatus and the trail operations of cloudtrail-trails.ts.
 */
import { SandboxError, type OperationContext, type RegionState, type ServiceHandlers, type Trail, type TrailEvent } from '../model';
import { createTrail, deleteTrail, getEventSelectors, putEventSelectors, startLogging, stopLogging, trailJson, updateTrail } from './cloudtrail-trails';
import { decodeToken, encodeToken, fingerprint } from './page-token';
import { enabledRegion } from './region-guard';
import { bool, epochSeconds, int, list, record, str, strings, timestamp } from './service-input';

const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

type AttributeKey = 'EventId' | 'EventName' | 'ReadOnly' | 'Username' | 'ResourceType' | 'ResourceName' | 'EventSource' | 'AccessKeyId';

const ATTRIBUTES: Record<AttributeKey, (e: TrailEvent, value: string) => boolean> = {
  EventId: (e, v) => e.eventId === v,
  EventName: (e, v) => e.eventName === v,
  ReadOnly: (e, v) => String(e.readOnly) === v.toLowerCase(),
  Username: (e, v) => e.userName === v,
  ResourceType: (e, v) => e.resources.some((r) => r.resourceType === v),
  ResourceName: (e, v) => e.resources.some((r) => r.resourceName === v),
  EventSource: (e, v) => e.eventSource === v,
  AccessKeyId: (e, v) => e.accessKeyId === v,
};

function cloudTrailRegion(ctx: OperationContext): RegionState {
  return enabledRegion(ctx, { unknown: ['UnrecognizedClientException', 403], notOptedIn: ['UnrecognizedClientException', 403] });
}

/** Newest first; the event id breaks ties so the order (and so every page cursor) is total. */
function newerFirst(a: TrailEvent, b: TrailEvent): number {
  const dt = b.eventTime.getTime() - a.eventTime.getTime();
  if (dt !== 0) return dt;
  return a.eventId < b.eventId ? 1 : a.eventId > b.eventId ? -1 : 0;
}

/**
 * Per-region histories sorted once and rebuilt only when the event list changes (the framework appends
 * an event for every write), so paging through 20,000 events does not re-sort for every page.
 */
const historyCache = new WeakMap<TrailEvent[], { length: number; byRegion: Map<string, TrailEvent[]> }>();

function regionHistory(events: TrailEvent[], region: string): TrailEvent[] {
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

interface Cursor {
  t: number; // eventTime of the last event returned, ms
  id: string; // its event id
}

/** Index of the first event that sorts after the cursor (binary search over the sorted history). */
function indexAfter(history: TrailEvent[], cursor: Cursor): number {
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = history[mid]!;
    const t = e.eventTime.getTime();
    const after = t < cursor.t || (t === cursor.t && e.eventId < cursor.id);
    if (after) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function lookupAttribute(params: Record<string, unknown>): ((e: TrailEvent) => boolean) | undefined {
  const attributes = list(params.LookupAttributes);
  if (attributes.length === 0) return undefined;
  if (attributes.length > 1) {
    throw new SandboxError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute per request.');
  }
  const attr = record(attributes[0]);
  const key = str(attr.AttributeKey);
  const value = str(attr.AttributeValue);
  if (!key || !(key in ATTRIBUTES)) {
    throw new SandboxError(
      'InvalidLookupAttributesException',
      `Invalid lookup attribute key: ${key ?? '(none)'}. Valid keys: ${Object.keys(ATTRIBUTES).join(', ')}.`,
    );
  }
  if (!value) throw new SandboxError('InvalidLookupAttributesException', 'The lookup attribute value must not be empty.');
  const test = ATTRIBUTES[key as AttributeKey];
  return (e) => test(e, value);
}

function renderRecord(ctx: OperationContext, e: TrailEvent): string {
  return JSON.stringify({
    eventVersion: '1.08',
    eventType: 'AwsApiCall',
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: ctx.state.accountId,
    readOnly: e.readOnly,
    ...e.record,
    eventID: e.eventId,
    eventTime: e.eventTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventName: e.eventName,
    eventSource: e.eventSource,
    awsRegion: e.region,
  });
}

function renderEvent(ctx: OperationContext, e: TrailEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    EventId: e.eventId,
    EventName: e.eventName,
    ReadOnly: String(e.readOnly),
    EventTime: epochSeconds(e.eventTime),
    EventSource: e.eventSource,
    Resources: e.resources.map((r) => ({ ResourceType: r.resourceType, ResourceName: r.resourceName })),
    CloudTrailEvent: renderRecord(ctx, e),
  };
  if (e.accessKeyId) out.AccessKeyId = e.accessKeyId;
  if (e.userName) out.Username = e.userName;
  return out;
}

export function lookupEvents(ctx: OperationContext): unknown {
  cloudTrailRegion(ctx);
  const p = ctx.params;
  const matches = lookupAttribute(p);
  const max = int(p.MaxResults, 'MaxResults', 'InvalidMaxResultsException') ?? 50;
  if (max < 1 || max > 50) throw new SandboxError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
  const category = str(p.EventCategory);
  if (category !== undefined && category !== 'insight') {
    throw new SandboxError('InvalidEventCategoryException', `Invalid EventCategory: ${category}. The only valid value is insight.`);
  }
  const start = timestamp(p.StartTime, 'StartTime', 'InvalidTimeRangeException');
  const end = timestamp(p.EndTime, 'EndTime', 'InvalidTimeRangeException');
  if (start && end && start.getTime() > end.getTime()) {
    throw new SandboxError('InvalidTimeRangeException', 'The start time must be earlier than the end time.');
  }
  const oldest = ctx.now.getTime() - HISTORY_DAYS * DAY_MS;
  const from = Math.max(start?.getTime() ?? oldest, oldest);
  const to = Math.min(end?.getTime() ?? ctx.now.getTime(), ctx.now.getTime());

  // Insights events are not modelled: an insight lookup is valid and finds nothing.
  if (category === 'insight') return { Events: [] };

  const requestPrint = fingerprint(['LookupEvents', ctx.region, p.LookupAttributes ?? null, p.StartTime ?? null, p.EndTime ?? null]);
  const token = str(p.NextToken);
  const cursor = token
    ? decodeToken<Cursor>(token, requestPrint, 'InvalidNextTokenException', 'Invalid NextToken. The token is not valid for these request parameters.')
    : undefined;

  const history = regionHistory(ctx.state.events, ctx.region);
  const page: TrailEvent[] = [];
  let more = false;
  for (let i = cursor ? indexAfter(history, cursor) : 0; i < history.length; i++) {
    const e = history[i]!;
    const t = e.eventTime.getTime();
    if (t > to) continue;
    if (t < from) break;
    if (matches && !matches(e)) continue;
    if (page.length === max) {
      more = true;
      break;
    }
    page.push(e);
  }
  const last = page[page.length - 1];
  return {
    Events: page.map((e) => renderEvent(ctx, e)),
    NextToken: more && last ? encodeToken<Cursor>({ t: last.eventTime.getTime(), id: last.eventId }, requestPrint) : undefined,
  };
}

/** Trails visible from the called region: its own, plus multi-region trails as shadow trails. */
function visibleTrails(ctx: OperationContext, includeShadows: boolean): Trail[] {
  const seen = new Set<string>();
  const out: Trail[] = [];
  for (const region of ctx.state.regions) {
    for (const trail of region.trails) {
      if (seen.has(trail.arn)) continue;
      if (trail.homeRegion === ctx.region || (includeShadows && trail.isMultiRegion)) {
        seen.add(trail.arn);
        out.push(trail);
      }
    }
  }
  return out;
}

export function describeTrails(ctx: OperationContext): unknown {
  cloudTrailRegion(ctx);
  const names = strings(ctx.params.trailNameList);
  let trails = visibleTrails(ctx, bool(ctx.params.includeShadowTrails) ?? true);
  if (names.length > 0) trails = trails.filter((t) => names.includes(t.name) || names.includes(t.arn));
  return { trailList: trails.map(trailJson) };
}

export function getTrailStatus(ctx: OperationContext): unknown {
  cloudTrailRegion(ctx);
  const name = str(ctx.params.Name);
  if (!name) throw new SandboxError('TrailNotProvidedException', 'A trail name or ARN is required.');
  const trail = name.startsWith('arn:')
    ? ctx.state.regions.flatMap((r) => r.trails).find((t) => t.arn === name)
    : visibleTrails(ctx, true).find((t) => t.name === name);
  if (!trail) throw new SandboxError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.state.accountId}`);
  const lastDelivery = new Date(ctx.now.getTime() - 5 * 60_000);
  return {
    IsLogging: trail.isLogging,
    StartLoggingTime: trail.startLoggingTime ? epochSeconds(trail.startLoggingTime) : undefined,
    StopLoggingTime: trail.stopLoggingTime ? epochSeconds(trail.stopLoggingTime) : undefined,
    LatestDeliveryTime: trail.isLogging ? epochSeconds(lastDelivery) : undefined,
    LatestDeliveryAttemptTime: trail.isLogging ? lastDelivery.toISOString() : undefined,
    LatestDeliveryAttemptSucceeded: trail.isLogging ? lastDelivery.toISOString() : undefined,
  };
}

export const handlers: ServiceHandlers = {
  LookupEvents: lookupEvents,
  DescribeTrails: describeTrails,
  GetTrailStatus: getTrailStatus,
  CreateTrail: createTrail,
  UpdateTrail: updateTrail,
  DeleteTrail: deleteTrail,
  StartLogging: startLogging,
  StopLogging: stopLogging,
  PutEventSelectors: putEventSelectors,
  GetEventSelectors: getEventSelectors,
};
