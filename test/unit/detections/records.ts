/**
 * CloudTrail records for the detection tests, shaped as CloudTrail documents them (the full record that
 * LookupEvents returns in `CloudTrailEvent`), turned into the scan's events by the scan's own parser.
 */
import type { Event } from '@aws-sdk/client-cloudtrail';
import { trailEventOf, type TrailEvent } from '../../../src/scan/cloudtrail-events';
import { ACCOUNT, daysAgo } from '../scan/helpers';

export const OUTSIDE = '444455556666';
export const INTRUDER_IP = '203.0.113.66';
export const OFFICE_IP = '198.51.100.10';

export interface RecordSpec {
  source: string;
  name: string;
  req?: Record<string, unknown>;
  res?: Record<string, unknown>;
  additional?: Record<string, unknown>;
  identity?: Record<string, unknown>;
  error?: string;
  ua?: string;
  ip?: string;
  region?: string;
  at?: Date;
  readOnly?: boolean;
}

/** The intruder: an IAM user's long-term key used from an address it never used before. */
export const intruder = {
  type: 'IAMUser',
  principalId: 'AIDAINTRUDER',
  arn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy`,
  accountId: ACCOUNT,
  accessKeyId: 'AKIALEAKED000000001',
  userName: 'ci-deploy',
};
export const root = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOTSESSION00001' };

let seq = 0;
export function record(spec: RecordSpec): Event {
  const at = spec.at ?? daysAgo(1);
  const source = spec.source.includes('.') ? spec.source : `${spec.source}.amazonaws.com`;
  seq++;
  return {
    EventId: `evt-${seq}`,
    EventName: spec.name,
    EventTime: at,
    EventSource: source,
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.09',
      userIdentity: spec.identity ?? intruder,
      eventTime: at.toISOString(),
      eventSource: source,
      eventName: spec.name,
      awsRegion: spec.region ?? 'us-east-1',
      sourceIPAddress: spec.ip ?? INTRUDER_IP,
      userAgent: spec.ua ?? 'aws-cli/2.15.10 Python/3.11.6 Linux/6.5 exe/x86_64',
      requestParameters: spec.req ?? null,
      responseElements: spec.res ?? null,
      ...(spec.additional ? { additionalEventData: spec.additional } : {}),
      ...(spec.error ? { errorCode: spec.error, errorMessage: 'denied' } : {}),
      requestID: `req-${seq}`,
      eventID: `evt-${seq}`,
      readOnly: spec.readOnly ?? /^(Get|List|Describe)/.test(spec.name),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
    }),
  };
}

export const events = (...specs: RecordSpec[]): TrailEvent[] => specs.map((s) => trailEventOf(record(s), s.region ?? 'us-east-1'));

export const trust = (principal: string, condition?: Record<string, unknown>): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  });

export const ADMIN_DOC = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
