import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { awsOrigin } from '../../../src/scan/aws-origin';
import { cloudTrailCheck } from '../../../src/scan/checks/cloudtrail';
import { ACCOUNT, daysAgo, testContext } from './helpers';

const ct = mockClient(CloudTrailClient);
beforeEach(() => {
  ct.reset();
  ct.on(DescribeTrailsCommand).resolves({
    trailList: [{ Name: 'main', TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`, HomeRegion: 'us-east-1' }],
  });
  ct.on(GetTrailStatusCommand).resolves({ IsLogging: true });
});

const QUARANTINE = { userName: 'ci-deploy', policyArn: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2' };
const AWS_JAVA_AGENT = 'aws-internal/3 aws-sdk-java/1.12.720 Linux/5.10 OpenJDK_64-Bit_Server_VM/25.412-b09 java/1.8.0_412';

function record(eventName: string, at: Date, identity: Record<string, unknown>, extra: Record<string, unknown>) {
  return {
    EventId: `${eventName}-${at.getTime()}-${String(extra.sourceIPAddress)}`,
    EventName: eventName,
    EventTime: at,
    EventSource: 'iam.amazonaws.com',
    CloudTrailEvent: JSON.stringify({ eventName, userIdentity: identity, awsRegion: 'us-east-1', ...extra }),
  };
}
const ciDeploy = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy`, userName: 'ci-deploy', accessKeyId: 'AKIALEAKED000000001' };
const root = { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: 'ASIAROOTCONSOLE00001' };

describe('awsOrigin: calls AWS makes itself', () => {
  test.each([
    ['an AWS service identity', { userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } }, 'service ec2.amazonaws.com'],
    ['invokedBy AWS Internal (a service-linked role)', { userIdentity: { type: 'AssumedRole', invokedBy: 'AWS Internal' } }, 'AWS Internal'],
    ['the source address AWS writes for its own calls', { userIdentity: { type: 'Root' }, sourceIPAddress: 'AWS Internal/3' }, 'AWS Internal'],
    [
      'Auto Scaling launching under its service-linked role',
      {
        userIdentity: {
          type: 'AssumedRole',
          invokedBy: 'autoscaling.amazonaws.com',
          sessionContext: { sessionIssuer: { arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` } },
        },
        sourceIPAddress: 'autoscaling.amazonaws.com',
      },
      'service-linked role AWSServiceRoleForAutoScaling (autoscaling.amazonaws.com)',
    ],
    [
      'a service calling on a role’s behalf (invokedBy)',
      { userIdentity: { type: 'AssumedRole', invokedBy: 'backup.amazonaws.com' } },
      'service backup.amazonaws.com',
    ],
    [
      'an AWS service source address',
      { userIdentity: { type: 'AssumedRole' }, sourceIPAddress: 'elasticloadbalancing.amazonaws.com' },
      'service elasticloadbalancing.amazonaws.com',
    ],
    [
      'the quarantine, recorded under the leaked key itself',
      {
        eventName: 'AttachUserPolicy',
        userIdentity: { type: 'IAMUser' },
        sourceIPAddress: '72.21.217.97',
        userAgent: AWS_JAVA_AGENT,
        requestParameters: QUARANTINE,
      },
      'exposed-key quarantine, AWSCompromisedKeyQuarantineV2',
    ],
    [
      'the legacy inline quarantine',
      {
        eventName: 'PutUserPolicy',
        userIdentity: { type: 'IAMUser' },
        userAgent: 'aws-internal/3',
        requestParameters: { policyName: 'AWSExposedCredentialPolicy_DO_NOT_REMOVE' },
      },
      'exposed-key quarantine, AWSExposedCredentialPolicy_DO_NOT_REMOVE',
    ],
  ])('%s', (_name, rec, origin) => {
    expect(awsOrigin(rec)).toBe(origin);
  });

  test('what a caller controls is not enough: an aws-internal user agent on any other policy, or a service in the way', () => {
    expect(
      awsOrigin({
        eventName: 'AttachUserPolicy',
        userIdentity: { type: 'IAMUser' },
        userAgent: AWS_JAVA_AGENT,
        requestParameters: { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      }),
    ).toBeUndefined();
    expect(
      awsOrigin({ eventName: 'AttachUserPolicy', userIdentity: { type: 'IAMUser' }, userAgent: 'aws-cli/1.45', requestParameters: QUARANTINE }),
    ).toBeUndefined();
    // A user's own request that CloudFormation carried out on its behalf is still that user's.
    expect(
      awsOrigin({ userIdentity: { type: 'IAMUser', invokedBy: 'cloudformation.amazonaws.com' }, sourceIPAddress: 'cloudformation.amazonaws.com' }),
    ).toBeUndefined();
    expect(awsOrigin({ userIdentity: { type: 'Root' }, sourceIPAddress: '203.0.113.9' })).toBeUndefined();
  });
});

describe('cloudtrail check: AWS is not the principal', () => {
  test("AWS's quarantine and internal calls are one info note; the leaked key and genuine root activity stay high", async () => {
    ct.on(LookupEventsCommand).resolves({
      Events: [
        record('AttachUserPolicy', daysAgo(1), ciDeploy, { sourceIPAddress: '72.21.217.97', userAgent: AWS_JAVA_AGENT, requestParameters: QUARANTINE }),
        record('CreateRole', daysAgo(1), { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root` }, { sourceIPAddress: 'AWS Internal', userAgent: 'AWS Internal' }),
        record('CreateAccessKey', daysAgo(2), ciDeploy, {
          sourceIPAddress: '185.220.101.34',
          userAgent: 'aws-cli/2.15',
          requestParameters: { userName: 'svc-backup' },
          responseElements: { accessKey: { userName: 'svc-backup', accessKeyId: 'AKIABACKDOOR00000001', status: 'Active' } },
        }),
        record('CreateUser', daysAgo(3), root, { sourceIPAddress: '203.0.113.9', userAgent: 'console.amazonaws.com' }),
      ],
    });
    const { findings } = await cloudTrailCheck(testContext());
    const r4 = findings.filter((f) => f.step === 'R4');

    const note = r4.find((f) => f.title.startsWith('AWS itself'));
    expect(note).toMatchObject({ severity: 'info', actions: [] });
    expect(note?.title).toBe(
      'AWS itself made 2 high-signal calls in us-east-1: AttachUserPolicy, CreateRole (exposed-key quarantine, AWSCompromisedKeyQuarantineV2; AWS Internal)',
    );
    expect(note?.evidence.recordedAs).toEqual([ciDeploy.arn, `arn:aws:iam::${ACCOUNT}:root`]);

    const leaked = r4.find((f) => f.evidence.sourceIp === '185.220.101.34');
    expect(leaked).toMatchObject({ severity: 'high', evidence: { events: { CreateAccessKey: 1 } } });
    // The key it made is named, with the key actions on that key.
    expect(findings.find((f) => f.detection === 'iam-access-key-for-another-user')).toMatchObject({
      severity: 'high',
      resources: ['AKIABACKDOOR00000001', `arn:aws:iam::${ACCOUNT}:user/svc-backup`],
      target: { kind: 'access-key', userName: 'svc-backup', accessKeyId: 'AKIABACKDOOR00000001' },
      actions: ['key.deactivate', 'key.delete'],
    });
    expect(leaked?.evidence.events).not.toHaveProperty('AttachUserPolicy');

    const rootUse = r4.find((f) => f.title.startsWith('The root user'));
    expect(rootUse).toMatchObject({ severity: 'high', evidence: { sourceIp: '203.0.113.9', events: { CreateUser: 1 } } });
    expect(r4.filter((f) => f.title.startsWith('The root user'))).toHaveLength(1);
    expect(findings.find((f) => f.detection === 'root-activity')).toMatchObject({ severity: 'high', resources: [`arn:aws:iam::${ACCOUNT}:root`] });
  });
});
