/**
 * CloudTrail LookupEvents, read once per region and shared: the CloudTrail check classifies the events
 * locally instead of sending one filtered lookup per event name (LookupEvents allows 2 requests/s).
 */
import { type Event, type LookupAttribute, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import type { AwsClients } from '../aws/clients';
import { awsOrigin, type OriginRecord } from './aws-origin';
import { step } from './errors';

export interface TrailEvent {
  eventId?: string;
  eventName: string;
  eventSource?: string;
  time: Date;
  region: string;
  /** userIdentity.arn, or a readable stand-in (e.g. "AWSService:ec2.amazonaws.com"). */
  principal: string;
  principalType?: string;
  userName?: string;
  /** For assumed roles: the role's name (sessionIssuer). */
  roleName?: string;
  accessKeyId?: string;
  sourceIp?: string;
  errorCode?: string;
  resources: string[];
  /** Set when AWS itself made the call, whatever identity it is recorded under (see aws-origin.ts). */
  awsOrigin?: string;
  /** Console sign-ins only: AWS records the outcome in responseElements, not as an errorCode. */
  signIn?: { failed: boolean; mfaUsed?: boolean };
  errorMessage?: string;
  userAgent?: string;
  /** The record's requestParameters and responseElements, as CloudTrail wrote them (objects only). */
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
  additional?: Record<string, unknown>;
  /** userIdentity.accountId: the caller's account, which differs from ours for cross-account calls. */
  callerAccount?: string;
  /** The account the event was delivered to. */
  recipientAccount?: string;
  /** userIdentity.invokedBy: the AWS service that made the call on the principal's behalf. */
  invokedBy?: string;
  /** Session context of temporary credentials: MFA at session creation, when it was created, who issued it. */
  session?: { mfa?: boolean; created?: Date; issuerArn?: string; issuerType?: string };
  sharedEventId?: string;
  readOnly?: boolean;
}

export interface LookupResult {
  events: TrailEvent[];
  /** True when the page cap stopped the lookup before the start of the window. */
  truncated: boolean;
  pages: number;
}

/** A CloudTrail record as AWS writes it (LookupEvents' CloudTrailEvent, a log file's Records[i]). */
export interface CloudTrailRecord extends OriginRecord {
  eventID?: string;
  eventTime?: string;
  resources?: { ARN?: string; accountId?: string; type?: string }[] | null;
  userIdentity?: {
    type?: string;
    arn?: string;
    userName?: string;
    accessKeyId?: string;
    invokedBy?: string;
    accountId?: string;
    sessionContext?: {
      sessionIssuer?: { userName?: string; type?: string; arn?: string };
      attributes?: { mfaAuthenticated?: string; creationDate?: string };
    };
  };
  sourceIPAddress?: string;
  awsRegion?: string;
  errorCode?: string;
  errorMessage?: string;
  responseElements?: ({ ConsoleLogin?: string } & Record<string, unknown>) | null;
  additionalEventData?: ({ MFAUsed?: string } & Record<string, unknown>) | null;
  recipientAccountId?: string;
  eventSource?: string;
  sharedEventID?: string;
  readOnly?: boolean | string;
}

const objectOrUndefined = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** The identity and request details the detection catalog reads (everything but the fields set above). */
function addDetails(ev: TrailEvent, rec: CloudTrailRecord): void {
  const id = rec.userIdentity ?? {};
  if (rec.errorMessage) ev.errorMessage = rec.errorMessage;
  if (rec.userAgent) ev.userAgent = rec.userAgent;
  const request = objectOrUndefined(rec.requestParameters);
  if (request) ev.request = request;
  const response = objectOrUndefined(rec.responseElements);
  if (response) ev.response = response;
  const additional = objectOrUndefined(rec.additionalEventData);
  if (additional) ev.additional = additional;
  if (id.accountId) ev.callerAccount = id.accountId;
  if (rec.recipientAccountId) ev.recipientAccount = rec.recipientAccountId;
  if (id.invokedBy) ev.invokedBy = id.invokedBy;
  if (rec.sharedEventID) ev.sharedEventId = rec.sharedEventID;
  if (rec.readOnly !== undefined) ev.readOnly = rec.readOnly === true || rec.readOnly === 'true';
  const ctx = id.sessionContext;
  if (ctx) {
    const session: NonNullable<TrailEvent['session']> = {};
    const mfa = ctx.attributes?.mfaAuthenticated;
    if (mfa === 'true' || mfa === 'false') session.mfa = mfa === 'true';
    const created = ctx.attributes?.creationDate ? new Date(ctx.attributes.creationDate) : undefined;
    if (created && !Number.isNaN(created.getTime())) session.created = created;
    if (ctx.sessionIssuer?.arn) session.issuerArn = ctx.sessionIssuer.arn;
    if (ctx.sessionIssuer?.type) session.issuerType = ctx.sessionIssuer.type;
    ev.session = session;
  }
}

function signInOf(rec: CloudTrailRecord): NonNullable<TrailEvent['signIn']> {
  const out: NonNullable<TrailEvent['signIn']> = {
    failed: rec.responseElements?.ConsoleLogin === 'Failure' || !!rec.errorMessage || !!rec.errorCode,
  };
  const mfa = rec.additionalEventData?.MFAUsed;
  if (mfa === 'Yes' || mfa === 'No') out.mfaUsed = mfa === 'Yes';
  return out;
}

function parseRecord(raw: string | undefined): CloudTrailRecord {
  if (!raw) return {};
  try {
    const v: unknown = JSON.parse(raw);
    return v && typeof v === 'object' ? (v as CloudTrailRecord) : {};
  } catch {
    return {};
  }
}

/** What LookupEvents says beside the record (its own fields win where the record lacks them). */
export interface RecordContext {
  eventId?: string;
  eventName?: string;
  time?: Date;
  eventSource?: string;
  username?: string;
  accessKeyId?: string;
  resources?: string[];
}

/** A CloudTrail record, from LookupEvents, a log file or an Athena row, as the scan reads it. */
export function trailEventFromRecord(rec: CloudTrailRecord, region: string, c: RecordContext = {}): TrailEvent {
  const id = rec.userIdentity ?? {};
  const issuer = id.sessionContext?.sessionIssuer;
  const eventName = c.eventName ?? rec.eventName ?? 'Unknown';
  const recordTime = rec.eventTime ? new Date(rec.eventTime) : undefined;
  const ev: TrailEvent = {
    eventName,
    time: c.time ?? (recordTime && !Number.isNaN(recordTime.getTime()) ? recordTime : new Date(0)),
    region: rec.awsRegion ?? region,
    principal: id.arn ?? (id.invokedBy ? `AWSService:${id.invokedBy}` : (id.type ?? c.username ?? 'unknown')),
    resources: c.resources ?? (rec.resources ?? []).map((r) => r.ARN).filter((n): n is string => !!n),
  };
  const eventId = c.eventId ?? rec.eventID;
  if (eventId) ev.eventId = eventId;
  const source = rec.eventSource ?? c.eventSource;
  if (source) ev.eventSource = source;
  if (id.type) ev.principalType = id.type;
  const userName = id.userName ?? c.username;
  if (userName) ev.userName = userName;
  if (issuer?.userName) ev.roleName = issuer.userName;
  const key = id.accessKeyId ?? c.accessKeyId;
  if (key) ev.accessKeyId = key;
  if (rec.sourceIPAddress) ev.sourceIp = rec.sourceIPAddress;
  if (rec.errorCode) ev.errorCode = rec.errorCode;
  const origin = awsOrigin({ ...rec, eventName: rec.eventName ?? eventName });
  if (origin) ev.awsOrigin = origin;
  if (ev.eventName === 'ConsoleLogin') ev.signIn = signInOf(rec);
  addDetails(ev, rec);
  return ev;
}

/** One LookupEvents entry, with the full record CloudTrail keeps in `CloudTrailEvent`, as the scan reads it. */
export function trailEventOf(e: Event, region: string): TrailEvent {
  const c: RecordContext = { resources: (e.Resources ?? []).map((r) => r.ResourceName).filter((n): n is string => !!n) };
  if (e.EventId) c.eventId = e.EventId;
  if (e.EventName) c.eventName = e.EventName;
  c.time = e.EventTime ?? new Date(0);
  if (e.EventSource) c.eventSource = e.EventSource;
  if (e.Username) c.username = e.Username;
  if (e.AccessKeyId) c.accessKeyId = e.AccessKeyId;
  return trailEventFromRecord(parseRecord(e.CloudTrailEvent), region, c);
}

export async function lookupEvents(
  clients: AwsClients,
  region: string,
  window: { start: Date; end: Date },
  maxPages: number,
  attribute?: LookupAttribute,
): Promise<LookupResult> {
  const events: TrailEvent[] = [];
  // The SDK's paginator; each page is still one request through the client's pacing middleware.
  const pager = paginateLookupEvents(
    { client: clients.cloudTrail(region), pageSize: 50 },
    { StartTime: window.start, EndTime: window.end, ...(attribute ? { LookupAttributes: [attribute] } : {}) },
  );
  let pages = 0;
  let truncated = false;
  for (;;) {
    const next = await step('cloudtrail:LookupEvents', () => pager.next());
    if (next.done) break;
    pages++;
    for (const e of next.value.Events ?? []) events.push(trailEventOf(e, region));
    if (next.value.NextToken && pages >= maxPages) {
      truncated = true;
      break;
    }
  }
  return { events, truncated, pages };
}
