import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { cloudTrailCheck } from '../../../src/scan/checks/cloudtrail';
import { ACCOUNT, awsError, daysAgo, testContext } from './helpers';

const ct = mockClient(CloudTrailClient);
beforeEach(() => ct.reset());

const ATTACKER_KEY = 'AKIALEAKED000000001';
const SOURCES: Record<string, string> = { StopLogging: 'cloudtrail.amazonaws.com', ListBuckets: 's3.amazonaws.com' };
function event(
  name: string,
  at: Date,
  opts: {
    key?: string;
    ip?: string;
    user?: string;
    error?: string;
    type?: string;
    arn?: string;
    request?: Record<string, unknown>;
    response?: Record<string, unknown>;
  } = {},
) {
  const user = opts.user ?? 'ci-deploy';
  const arn = opts.arn ?? `arn:aws:iam::${ACCOUNT}:user/${user}`;
  return {
    EventId: `${name}-${at.getTime()}`,
    EventName: name,
    EventTime: at,
    EventSource: SOURCES[name] ?? 'iam.amazonaws.com',
    Username: user,
    AccessKeyId: opts.key ?? ATTACKER_KEY,
    CloudTrailEvent: JSON.stringify({
      userIdentity: { type: opts.type ?? 'IAMUser', arn, userName: user, accessKeyId: opts.key ?? ATTACKER_KEY },
      sourceIPAddress: opts.ip ?? '203.0.113.7',
      awsRegion: 'us-east-1',
      ...(opts.error ? { errorCode: opts.error } : {}),
      ...(opts.request ? { requestParameters: opts.request } : {}),
      ...(opts.response ? { responseElements: opts.response } : {}),
    }),
  };
}

function trails(logging: boolean) {
  ct.on(DescribeTrailsCommand).resolves({
    trailList: [{ Name: 'main', TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`, HomeRegion: 'us-east-1', IsMultiRegionTrail: true }],
  });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: logging, StopLoggingTime: logging ? undefined : daysAgo(1) });
}

describe('cloudtrail check', () => {
  it('pages the window once per region and groups high-signal events by principal, key, IP and region', async () => {
    trails(true);
    ct.on(LookupEventsCommand, { NextToken: undefined }).resolves({
      NextToken: 'p2',
      Events: [
        event('CreateUser', daysAgo(1), { request: { userName: 'backdoor' } }),
        event('DescribeInstances', daysAgo(1)),
        event('CreateAccessKey', daysAgo(1), {
          request: { userName: 'backdoor' },
          response: { accessKey: { userName: 'backdoor', accessKeyId: 'AKIABACKDOOR00000001' } },
        }),
      ],
    });
    ct.on(LookupEventsCommand, { NextToken: 'p2' }).resolves({
      Events: [
        event('AttachUserPolicy', daysAgo(2), { request: { userName: 'backdoor', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }),
        event('CreateAccessKey', daysAgo(2), {
          ip: '198.51.100.1',
          request: { userName: 'other' },
          response: { accessKey: { userName: 'other', accessKeyId: 'AKIAOTHER00000000001' } },
        }),
        // The scan's own reads are not evidence.
        event('GetCredentialReport', daysAgo(0), { user: 'scanner' }),
      ],
    });
    const { findings, gaps } = await cloudTrailCheck(testContext());
    expect(gaps).toEqual([]);
    const calls = ct.commandCalls(LookupEventsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input).toMatchObject({ MaxResults: 50, StartTime: daysAgo(7) });
    expect(calls[0]?.args[0].input.LookupAttributes).toBeUndefined();
    const groups = findings.filter((f) => f.step === 'R4' && !f.detection);
    expect(groups).toHaveLength(2);
    // Each target is named in a finding of its own, with the actions on that target.
    const byDetection = (id: string) => findings.filter((f) => f.detection === id);
    expect(byDetection('iam-user-created').map((f) => [f.severity, f.resources, f.target])).toEqual([
      ['high', [`arn:aws:iam::${ACCOUNT}:user/backdoor`], { kind: 'user', userName: 'backdoor' }],
    ]);
    expect(byDetection('iam-admin-policy-attached')[0]).toMatchObject({
      severity: 'high',
      resources: [`arn:aws:iam::${ACCOUNT}:user/backdoor`, 'arn:aws:iam::aws:policy/AdministratorAccess'],
      title: 'Administrator-like managed policy attached: backdoor (by IAM user ci-deploy (key AKIALEAKED000000001))',
    });
    expect(byDetection('iam-access-key-for-another-user').map((f) => f.target)).toEqual([
      { kind: 'access-key', userName: 'backdoor', accessKeyId: 'AKIABACKDOOR00000001' },
      { kind: 'access-key', userName: 'other', accessKeyId: 'AKIAOTHER00000000001' },
    ]);
    const main = groups.find((f) => f.evidence.sourceIp === '203.0.113.7');
    expect(main).toMatchObject({
      severity: 'high',
      actions: ['key.deactivate', 'key.delete'],
      target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: ATTACKER_KEY },
    });
    expect(main?.evidence).toMatchObject({
      count: 3,
      events: { CreateUser: 1, CreateAccessKey: 1, AttachUserPolicy: 1 },
      first: daysAgo(2).toISOString(),
      last: daysAgo(1).toISOString(),
    });
    expect(findings.some((f) => JSON.stringify(f.evidence).includes('GetCredentialReport'))).toBe(false);
  });

  it('reports a burst of AccessDenied errors as reconnaissance', async () => {
    trails(true);
    const t0 = daysAgo(3).getTime();
    ct.on(LookupEventsCommand).resolves({
      Events: Array.from({ length: 6 }, (_, i) => event('ListBuckets', new Date(t0 + i * 30_000), { error: 'AccessDenied' })),
    });
    const { findings } = await cloudTrailCheck(testContext());
    const burst = findings.find((f) => f.detection === 'access-denied-burst');
    expect(burst).toMatchObject({ severity: 'medium', step: 'D3', resources: [`arn:aws:iam::${ACCOUNT}:user/ci-deploy`] });
    expect(burst?.evidence.count).toBe(6);
  });

  it('counts AccessDenied bursts per principal, across the addresses and regions it rotates through', async () => {
    trails(true);
    const t0 = daysAgo(3).getTime();
    ct.on(LookupEventsCommand).resolves({
      Events: Array.from({ length: 6 }, (_, i) => event('ListBuckets', new Date(t0 + i * 30_000), { error: 'AccessDenied', ip: `203.0.113.${i}` })),
    });
    const { findings } = await cloudTrailCheck(testContext());
    expect(findings.filter((f) => f.detection === 'access-denied-burst').map((f) => f.evidence.count)).toEqual([6]);
  });

  it('warns when no trail is logging', async () => {
    trails(false);
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    const { findings } = await cloudTrailCheck(testContext());
    expect(findings.find((f) => f.title === 'No CloudTrail trail is logging')?.severity).toBe('high');
    expect(findings.find((f) => f.title.startsWith('CloudTrail trail main is not logging'))?.severity).toBe('critical');
  });

  it('turns throttling that outlasts retries in one region into a gap and keeps the others', async () => {
    trails(true);
    const ctx = testContext({ regions: ['us-east-1', 'eu-west-1'] });
    // Region-specific behaviour: the mock is shared, so dispatch on the client's region.
    ct.on(LookupEventsCommand).callsFake(async (_input: unknown, getClient: () => CloudTrailClient) => {
      const region = await getClient().config.region();
      if (region === 'eu-west-1') throw awsError('ThrottlingException', 'Rate exceeded');
      return { Events: [event('StopLogging', daysAgo(1))] };
    });
    const { findings, gaps } = await cloudTrailCheck(ctx);
    expect(gaps).toEqual([{ check: 'cloudtrail', region: 'eu-west-1', reason: 'AWS kept throttling cloudtrail:LookupEvents after every retry.' }]);
    expect(findings.find((f) => f.evidence.events && (f.evidence.events as Record<string, number>).StopLogging)?.severity).toBe('critical');
  });

  it('always reads us-east-1, where IAM and STS events are recorded', async () => {
    trails(true);
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    await cloudTrailCheck(testContext({ regions: ['eu-west-1'] }));
    expect(ct.commandCalls(LookupEventsCommand)).toHaveLength(2);
  });

  it('reports an access-denied lookup as a gap naming the action', async () => {
    trails(true);
    ct.on(LookupEventsCommand).rejects(awsError('AccessDeniedException'));
    const { gaps } = await cloudTrailCheck(testContext());
    expect(gaps).toEqual([{ check: 'cloudtrail', region: 'us-east-1', reason: "aws-ir's scan role is not allowed to call cloudtrail:LookupEvents." }]);
  });
});
