/**
 * What the sandbox records in CloudTrail for each successful call, shaped like AWS's management
 * events, so the scan's CloudTrail checks read the sandbox as they read AWS.
 */
import { randomUUID } from 'node:crypto';
import type { Caller, OperationContext, TrailEvent } from './model';
import { ATTRS, XmlList } from './protocols/xml';

/** Operations AWS records as read-only; everything else a caller does successfully is a write. */
const READ_ONLY = /^(Get|List|Describe|Lookup|Head|GenerateCredentialReport$|GenerateServiceLastAccessedDetails$|Simulate)/;

export function isWriteOperation(operation: string): boolean {
  return !READ_ONLY.test(operation);
}

const SECRET_FIELD = /secret|password|sessiontoken|privatekey|credentials$/i;

/** Input and output as CloudTrail shows them: camelCase names, no secret values. */
export function cloudTrailShape(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || value === undefined) return value ?? null;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof XmlList) return cloudTrailShape(value.items, depth);
  if (Array.isArray(value)) return value.map((v) => cloudTrailShape(v, depth + 1));
  if (value instanceof Map) return cloudTrailShape(Object.fromEntries(value), depth);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || k === ATTRS || SECRET_FIELD.test(k)) continue;
      out[k.charAt(0).toLowerCase() + k.slice(1)] = cloudTrailShape(v, depth + 1);
    }
    return out;
  }
  return value;
}

export function userIdentity(caller: Caller): Record<string, unknown> {
  const base = { principalId: caller.principalId, arn: caller.arn, accountId: caller.accountId, accessKeyId: caller.accessKeyId };
  switch (caller.type) {
    case 'root':
      return { type: 'Root', ...base };
    case 'assumed-role':
      return {
        type: 'AssumedRole',
        ...base,
        sessionContext: {
          sessionIssuer: {
            type: 'Role',
            principalId: caller.principalId.split(':')[0],
            arn: `arn:aws:iam::${caller.accountId}:role/${caller.roleName ?? ''}`,
            accountId: caller.accountId,
            userName: caller.roleName,
          },
          attributes: { creationDate: caller.sessionIssuedAt?.toISOString(), mfaAuthenticated: 'false' },
        },
      };
    default:
      return { type: 'IAMUser', ...base, userName: caller.userName };
  }
}

const RESOURCE_PARAMS: [string, string][] = [
  ['UserName', 'AWS::IAM::User'],
  ['RoleName', 'AWS::IAM::Role'],
  ['GroupName', 'AWS::IAM::Group'],
  ['PolicyArn', 'AWS::IAM::Policy'],
  ['PolicyName', 'AWS::IAM::Policy'],
  ['AccessKeyId', 'AWS::IAM::AccessKey'],
  ['InstanceProfileName', 'AWS::IAM::InstanceProfile'],
  ['InstanceId', 'AWS::EC2::Instance'],
  ['VolumeId', 'AWS::EC2::Volume'],
  ['GroupId', 'AWS::EC2::SecurityGroup'],
  ['FunctionName', 'AWS::Lambda::Function'],
  ['SnapshotId', 'AWS::EC2::Snapshot'],
  ['DBSnapshotIdentifier', 'AWS::RDS::DBSnapshot'],
  ['BucketName', 'AWS::S3::Bucket'],
  ['DetectorId', 'AWS::GuardDuty::Detector'],
  ['ConfigurationRecorderName', 'AWS::Config::ConfigurationRecorder'],
  ['DeliveryChannelName', 'AWS::Config::DeliveryChannel'],
  ['Identity', 'AWS::SES::Identity'],
  ['EmailIdentity', 'AWS::SES::EmailIdentity'],
  ['Domain', 'AWS::SES::Identity'],
  ['EmailAddress', 'AWS::SES::Identity'],
  ['TrailName', 'AWS::CloudTrail::Trail'],
];

/** Parameters that name a resource only for one service ("name" is a trail's for CloudTrail). */
const SERVICE_RESOURCE_PARAMS: Record<string, [string, string][]> = {
  'cloudtrail.amazonaws.com': [['Name', 'AWS::CloudTrail::Trail']],
  'rds.amazonaws.com': [['DBInstanceIdentifier', 'AWS::RDS::DBInstance']],
};

/** The resources LookupEvents lists for a call, from its parameters (PascalCase or CloudTrail's camelCase). */
export function resourcesOf(params: Record<string, unknown>, eventSource = ''): TrailEvent['resources'] {
  const out: TrailEvent['resources'] = [];
  for (const [param, resourceType] of [...RESOURCE_PARAMS, ...(SERVICE_RESOURCE_PARAMS[eventSource] ?? [])]) {
    const v = params[param] ?? params[param.charAt(0).toLowerCase() + param.slice(1)];
    const values = Array.isArray(v) ? v : [v];
    for (const item of values) if (typeof item === 'string') out.push({ resourceType, resourceName: item });
  }
  return out;
}

/**
 * The CloudTrail management event AWS would record for a successful call. Global services (IAM, STS,
 * Organizations…) are recorded in us-east-1, as in AWS.
 */
export function buildTrailEvent(ctx: OperationContext, recordRegion: string, result: unknown, readOnly: boolean): TrailEvent {
  const eventId = randomUUID();
  const eventSource = `${ctx.service}.amazonaws.com`;
  const override = ctx.trail ?? {};
  const eventName = override.eventName ?? ctx.operation;
  const record: Record<string, unknown> = {
    eventVersion: '1.09',
    userIdentity: userIdentity(ctx.caller),
    eventTime: ctx.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource,
    eventName,
    awsRegion: recordRegion,
    sourceIPAddress: ctx.sourceIp,
    userAgent: ctx.userAgent,
    requestParameters:
      override.requestParameters !== undefined ? override.requestParameters : Object.keys(ctx.params).length > 0 ? cloudTrailShape(ctx.params) : null,
    responseElements:
      override.responseElements !== undefined ? override.responseElements : result === undefined || result === null ? null : cloudTrailShape(result),
    requestID: ctx.requestId,
    eventID: eventId,
    readOnly,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ctx.state.accountId,
    eventCategory: 'Management',
  };
  if (override.additionalEventData) record.additionalEventData = override.additionalEventData;
  return {
    eventId,
    eventName,
    eventSource,
    eventTime: ctx.now,
    region: recordRegion,
    userName: ctx.caller.type === 'assumed-role' ? ctx.caller.roleName : ctx.caller.type === 'root' ? 'root' : ctx.caller.userName,
    accessKeyId: ctx.caller.accessKeyId,
    readOnly,
    resources: override.resources ?? resourcesOf(ctx.params, eventSource),
    record,
  };
}
