/** Hand-built sandbox states and operation contexts for the service handler unit tests. */
import type { Caller, OperationContext, RegionState, SandboxState, Trail, TrailEvent } from '../../../src/model';
import { defaultSes } from '../../../src/scenario/resources';

export const ACCOUNT = '111122223333';
export const NOW = new Date('2026-03-15T12:00:00Z');

export function region(name: string, optInStatus: RegionState['optInStatus'] = 'opt-in-not-required'): RegionState {
  return {
    name,
    optInStatus,
    instances: [],
    volumes: [],
    snapshots: [],
    securityGroups: [],
    vpcs: [],
    lambdaFunctions: [],
    trails: [],
    dbSnapshots: [],
    guardDutyDetectors: [],
    configRecorders: [],
    deliveryChannels: [],
    ses: defaultSes(),
  };
}

/** A trail with AWS's defaults (management events, read and write), for the fields a test cares about. */
export function trail(fields: Pick<Trail, 'name' | 'arn' | 'homeRegion' | 'isMultiRegion' | 'isLogging' | 's3BucketName'> & Partial<Trail>): Trail {
  return {
    includeGlobalServiceEvents: true,
    logFileValidationEnabled: false,
    isOrganizationTrail: false,
    eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
    ...fields,
  };
}

export function baseState(): SandboxState {
  return {
    accountId: ACCOUNT,
    root: { arn: `arn:aws:iam::${ACCOUNT}:root`, createDate: new Date('2020-01-01T00:00:00Z'), passwordEnabled: true, mfaActive: true, accessKeys: [] },
    users: [],
    groups: [],
    roles: [],
    policies: [],
    instanceProfiles: [],
    credentialReport: { state: 'none' },
    lastAccessedJobs: new Map(),
    regions: [region('us-east-1'), region('eu-west-1'), region('ap-east-1', 'not-opted-in'), region('me-south-1', 'opted-in')],
    events: [],
    costs: [],
    anomalies: [],
    contact: {
      fullName: 'Example Corp Ops',
      addressLine1: '1 Main St',
      city: 'Seattle',
      countryCode: 'US',
      postalCode: '98101',
      phoneNumber: '+1-206-555-0100',
    },
    alternateContacts: [],
    alternateContactHistory: [],
    buckets: [],
    sessions: [],
    seq: 1000,
  };
}

export const ADMIN: Caller = {
  type: 'admin',
  arn: `arn:aws:iam::${ACCOUNT}:user/sandbox-admin`,
  accountId: ACCOUNT,
  principalId: 'AIDAADMIN',
  accessKeyId: 'AKIAADMIN',
  userName: 'sandbox-admin',
};

export function ctx(
  state: SandboxState,
  operation: string,
  params: Record<string, unknown> = {},
  opts: { region?: string; now?: Date; service?: string } = {},
): OperationContext {
  return {
    state,
    service: opts.service ?? 'ec2',
    operation,
    region: opts.region ?? 'us-east-1',
    caller: ADMIN,
    params,
    now: opts.now ?? NOW,
    requestId: 'req-1',
    sourceIp: '127.0.0.1',
    userAgent: 'jest',
  };
}

let eventSeq = 0;
export function event(partial: Partial<TrailEvent> & { eventName: string; eventTime: Date }): TrailEvent {
  eventSeq += 1;
  return {
    eventId: partial.eventId ?? `00000000-0000-0000-0000-${String(eventSeq).padStart(12, '0')}`,
    eventSource: 'iam.amazonaws.com',
    region: 'us-east-1',
    readOnly: false,
    resources: [],
    record: {},
    ...partial,
  };
}

/** Expects `fn` to throw a SandboxError with this code; returns it for further checks. */
export function errorOf(fn: () => unknown): { code: string; message: string; status: number } {
  try {
    fn();
  } catch (err) {
    const e = err as { code?: string; message?: string; status?: number };
    if (typeof e.code === 'string') return { code: e.code, message: e.message ?? '', status: e.status ?? 0 };
    throw err;
  }
  throw new Error('expected an error, got a result');
}
