/**
 * CloudTrail LookupEvents, read once per region and shared: the CloudTrail check classifies the events
 * locally instead of sending one filtered lookup per event name (LookupEvents allows 2 requests/s).
 */
import { LookupEventsCommand, type LookupAttribute } from '@aws-sdk/client-cloudtrail';
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
}

export interface LookupResult {
  events: TrailEvent[];
  /** True when the page cap stopped the lookup before the start of the window. */
  truncated: boolean;
  pages: number;
}

interface CloudTrailRecord extends OriginRecord {
  userIdentity?: {
    type?: string;
    arn?: string;
    userName?: string;
    accessKeyId?: string;
    invokedBy?: string;
    sessionContext?: { sessionIssuer?: { userName?: string; type?: string; arn?: string } };
  };
  sourceIPAddress?: string;
  awsRegion?: string;
  errorCode?: string;
  errorMessage?: string;
  responseElements?: { ConsoleLogin?: string } | null;
  additionalEventData?: { MFAUsed?: string } | null;
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

export async function lookupEvents(
  clients: AwsClients,
  region: string,
  window: { start: Date; end: Date },
  maxPages: number,
  attribute?: LookupAttribute,
): Promise<LookupResult> {
  const client = clients.cloudTrail(region);
  const events: TrailEvent[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const out = await step('cloudtrail:LookupEvents', () =>
      client.send(
        new LookupEventsCommand({
          StartTime: window.start,
          EndTime: window.end,
          MaxResults: 50,
          NextToken: token,
          ...(attribute ? { LookupAttributes: [attribute] } : {}),
        }),
      ),
    );
    pages++;
    for (const e of out.Events ?? []) {
      const rec = parseRecord(e.CloudTrailEvent);
      const id = rec.userIdentity ?? {};
      const issuer = id.sessionContext?.sessionIssuer;
      const ev: TrailEvent = {
        eventName: e.EventName ?? 'Unknown',
        time: e.EventTime ?? new Date(0),
        region: rec.awsRegion ?? region,
        principal: id.arn ?? (id.invokedBy ? `AWSService:${id.invokedBy}` : (id.type ?? e.Username ?? 'unknown')),
        resources: (e.Resources ?? []).map((r) => r.ResourceName).filter((n): n is string => !!n),
      };
      if (e.EventId) ev.eventId = e.EventId;
      if (e.EventSource) ev.eventSource = e.EventSource;
      if (id.type) ev.principalType = id.type;
      const userName = id.userName ?? e.Username;
      if (userName) ev.userName = userName;
      if (issuer?.userName) ev.roleName = issuer.userName;
      const key = id.accessKeyId ?? e.AccessKeyId;
      if (key) ev.accessKeyId = key;
      if (rec.sourceIPAddress) ev.sourceIp = rec.sourceIPAddress;
      if (rec.errorCode) ev.errorCode = rec.errorCode;
      const origin = awsOrigin({ ...rec, eventName: rec.eventName ?? e.EventName });
      if (origin) ev.awsOrigin = origin;
      if (ev.eventName === 'ConsoleLogin') ev.signIn = signInOf(rec);
      events.push(ev);
    }
    token = out.NextToken;
  } while (token && pages < maxPages);
  return { events, truncated: !!token, pages };
}
