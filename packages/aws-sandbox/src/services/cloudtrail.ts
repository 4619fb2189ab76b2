/**
 * CloudTrail (JSON 1.1): LookupEvents over the account's event history as CloudTrail serves it — one
 * lookup attribute per call, newest first, 90 days, 1..50 per page, only the called region's events —
 * plus DescribeTrails, GetTrailStatus and the trail operations of cloudtrail-trails.ts.
 */
import { SandboxError, type OperationContext, type RegionState, type ServiceHandlers, type Trail, type TrailEvent } from '../model';
import { createTrail, deleteTrail, getEventSelectors, putEventSelectors, startLogging, stopLogging, trailJson, updateTrail } from './cloudtrail-trails';
import type { Cursor } from '../trail-store/generated-history';
import { cloudTrailRecord, DELIVERY_INTERVAL_MS } from '../trail-store/log-files';
import { ATTRIBUTES, newestFirst, type AttributeKey, type LookupAttribute } from '../trail-store/region-history';
import { decodeToken, encodeToken, fingerprint } from './page-token';
import { enabledRegion } from './region-guard';
import { bool, epochSeconds, int, list, record, str, strings, timestamp } from './service-input';

const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

function cloudTrailRegion(ctx: OperationContext): RegionState {
  return enabledRegion(ctx, { unknown: ['UnrecognizedClientException', 403], notOptedIn: ['UnrecognizedClientException', 403] });
}

function lookupAttribute(params: Record<string, unknown>): LookupAttribute | undefined {
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
  return { key: key as AttributeKey, value };
}

function renderEvent(ctx: OperationContext, e: TrailEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    EventId: e.eventId,
    EventName: e.eventName,
    ReadOnly: String(e.readOnly),
    EventTime: epochSeconds(e.eventTime),
    EventSource: e.eventSource,
    Resources: e.resources.map((r) => ({ ResourceType: r.resourceType, ResourceName: r.resourceName })),
    CloudTrailEvent: JSON.stringify(cloudTrailRecord(ctx.state.accountId, e)),
  };
  if (e.accessKeyId) out.AccessKeyId = e.accessKeyId;
  if (e.userName) out.Username = e.userName;
  return out;
}

export function lookupEvents(ctx: OperationContext): unknown {
  cloudTrailRegion(ctx);
  const p = ctx.params;
  const attribute = lookupAttribute(p);
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

  const page: TrailEvent[] = [];
  let more = false;
  // Planted and generated events merged, newest first, from the cursor on: a page never walks the history before it.
  for (const e of newestFirst(ctx.state, ctx.region, from, to, cursor, attribute)) {
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
  // Log files are delivered at the end of each 5-minute interval (trail-store/log-files.ts).
  const lastDelivery = new Date(Math.floor(ctx.now.getTime() / DELIVERY_INTERVAL_MS) * DELIVERY_INTERVAL_MS);
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
