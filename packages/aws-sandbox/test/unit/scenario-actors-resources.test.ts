/**
 * The scenario format's actors (other accounts, AWS services, SAML and Identity Center sessions,
 * session context), repeated events and stateful resources: what each plants in CloudTrail and in the
 * account, and every problem a broken document has, listed at once.
 */
import { join } from 'node:path';
import { buildState } from '../../src/scenario/build';
import { loadScenario } from '../../src/scenario/load';
import { ScenarioError } from '../../src/scenario/reader';
import type { TrailEvent } from '../../src/model';

const NOW = new Date('2026-03-10T12:00:00Z');
const FIXTURE = join(__dirname, '../fixtures/attack-surface.json');
const state = loadScenario(FIXTURE, NOW).build(NOW);

const byName = (name: string): TrailEvent[] => state.events.filter((e) => e.eventName === name);
const identity = (name: string) => byName(name)[0]?.record.userIdentity as Record<string, unknown>;

function problemsOf(doc: unknown): string[] {
  try {
    buildState(doc, 'test.json', NOW);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('actors', () => {
  it("a service-linked role invoked by Auto Scaling: AWS's address and user agent, invokedBy, session attributes", () => {
    const [event] = byName('RunInstances');
    expect(event?.record).toMatchObject({ sourceIPAddress: 'autoscaling.amazonaws.com', userAgent: 'autoscaling.amazonaws.com', awsRegion: 'eu-west-1' });
    expect(event?.record.userIdentity).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::444455556666:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling',
      invokedBy: 'autoscaling.amazonaws.com',
      sessionContext: {
        sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::444455556666:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling' },
        attributes: { mfaAuthenticated: 'false' },
      },
    });
  });

  it('an Identity Center session signs in through its AWSReservedSSO role, with MFA', () => {
    expect(identity('ConsoleLogin')).toMatchObject({
      type: 'AssumedRole',
      arn: 'arn:aws:sts::444455556666:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/ana@fixture.example',
    });
    expect(byName('ConsoleLogin')[0]?.record.additionalEventData).toMatchObject({ MFAUsed: 'Yes' });
  });

  it('the SAML user, another account, an outside IAM user and an AWS service are named as CloudTrail names them', () => {
    expect(identity('AssumeRoleWithSAML')).toMatchObject({ type: 'SAMLUser', userName: 'ana@fixture.example' });
    expect(byName('AssumeRoleWithSAML')[0]?.eventSource).toBe('sts.amazonaws.com');
    expect(identity('AssumeRole')).toMatchObject({ type: 'AWSAccount', accountId: '777788889999' });
    expect(identity('GetBucketAcl')).toMatchObject({ type: 'IAMUser', accountId: '777788889999', arn: 'arn:aws:iam::777788889999:user/scanner' });
    expect(byName('GetBucketAcl')[0]?.record.recipientAccountId).toBe('444455556666');
    expect(identity('CreateServiceLinkedRole')).toEqual({ type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' });
    expect(byName('CreateServiceLinkedRole')[0]?.record.sourceIPAddress).toBe('autoscaling.amazonaws.com');
  });

  it('a repeated event with its own access key and MFA session: one a day, each with its session', () => {
    const deploys = byName('UpdateFunctionCode20150331v2');
    expect(deploys.map((e) => e.eventTime.toISOString())).toEqual(['2026-03-08T06:00:00.000Z', '2026-03-09T06:00:00.000Z', '2026-03-10T06:00:00.000Z']);
    expect(deploys.map((e) => e.eventSource)).toEqual(Array(3).fill('lambda.amazonaws.com'));
    expect(deploys[1]?.record.userIdentity).toMatchObject({
      accessKeyId: 'AKIAFIXTUREOTHER0001',
      sessionContext: { attributes: { mfaAuthenticated: 'true', creationDate: '2026-03-09T06:00:00Z' } },
    });
    expect(new Set(deploys.map((e) => e.eventId)).size).toBe(3);
    expect(deploys[0]?.resources).toEqual([{ resourceType: 'AWS::Lambda::Function', resourceName: 'thumbnailer' }]);
  });
});

describe('stateful resources', () => {
  it('buckets, snapshots, detectors, recorders, SES and contact history land in their regions', () => {
    const us = state.regions.find((r) => r.name === 'us-east-1')!;
    expect(state.buckets.map((b) => [b.name, b.region, b.publicAccessBlock?.BlockPublicAcls ?? null])).toEqual([
      ['fixture-trail-logs', 'us-east-1', true],
      ['fixture-uploads', 'eu-west-1', null],
    ]);
    expect(us.snapshots[0]).toMatchObject({ snapshotId: 'snap-0a1b2c3d4e5f60718', state: 'completed', sharedWith: ['111122223333'], volumeSize: 100 });
    expect(us.dbSnapshots[0]).toMatchObject({ dbSnapshotIdentifier: 'orders-manual-1', snapshotType: 'manual', sharedWith: [] });
    expect(us.guardDutyDetectors[0]).toMatchObject({ status: 'ENABLED', administrator: { accountId: '999900001111' } });
    expect(us.configRecorders[0]).toMatchObject({ name: 'default', recording: true, includeGlobalResourceTypes: true });
    expect(us.ses).toMatchObject({ productionAccessEnabled: true, max24HourSend: 50000, identities: [{ identity: 'fixture.example', type: 'Domain' }] });
    expect(state.regions.find((r) => r.name === 'eu-west-1')?.ses).toMatchObject({ productionAccessEnabled: false, max24HourSend: 200 });
    expect(us.lambdaFunctions[0]?.permissions[0]?.statement).toMatchObject({
      Principal: { Service: 's3.amazonaws.com' },
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::fixture-uploads' } },
    });
    expect(state.alternateContactHistory).toHaveLength(1);
    expect(us.trails[0]).toMatchObject({ name: 'org-trail', startLoggingTime: new Date('2025-02-03T12:00:00Z') });
  });

  it('lists every problem of a broken document at once', () => {
    const problems = problemsOf({
      name: 'broken',
      accountId: '123456789012',
      source: 'not a url',
      contact: { fullName: 'Ops' },
      buckets: [{ name: 'Bad_Bucket', region: 'us-east-1', created: '-1d', acl: 'public-all', colour: 'red' }],
      snapshots: [{ region: 'us-east-1', started: '-1d', sharedWith: ['12345', 'all'] }],
      dbSnapshots: [{ region: 'us-east-1', id: 'auto-1', dbInstance: 'db', created: '-1d', type: 'automated', sharedWith: ['999988887777'] }],
      guardDuty: [{ region: 'ap-east-1', created: '-1d' }],
      ses: [{ region: 'us-east-1', identities: [{ identity: 'x.example', status: 'Verified', created: '-1d' }] }],
      trails: [{ name: 'stopped', homeRegion: 'us-east-1', isLogging: false }],
      events: [
        { time: '-1h', eventName: 'RunInstances', actor: 'external:12:user/x', sourceIp: '1.2.3.4' },
        { time: '-1h', eventName: 'ConsoleLogin', actor: 'sso:Admin/ana', sourceIp: '1.2.3.4' },
        { time: '-1h', eventName: 'RunInstances', actor: 'service:autoscaling' },
        { time: '-1h', eventName: 'GetUser', actor: 'nobody', sourceIp: '1.2.3.4', repeat: { every: 'daily', count: 2 } },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.source: "not a url" is not a URL',
        expect.stringMatching(/^\$\.buckets\[0\]\.name: "Bad_Bucket" is not valid/),
        expect.stringMatching(/^\$\.buckets\[0\]\.acl: "public-all" is not a canned ACL/),
        expect.stringMatching(/^\$\.buckets\[0\]\.colour: unknown field/),
        '$.snapshots[0].sharedWith[0]: "12345" is neither an account id (12 digits) nor "all"',
        expect.stringMatching(/^\$\.dbSnapshots\[0\]\.sharedWith: automated DB snapshots cannot be shared/),
        '$.guardDuty[0].region: ap-east-1 is not enabled in this account: add it to $.regions.optedIn',
        expect.stringMatching(/^\$\.ses\[0\]\.identities\[0\]\.status: must be one of Pending, Success/),
        '$.trails[0].stoppedLogging: a trail that is not logging needs the time it stopped',
        expect.stringMatching(/^\$\.events\[0\]\.actor: "external:12:user\/x" must be/),
        expect.stringMatching(/^\$\.events\[1\]\.actor: no Identity Center role AWSReservedSSO_Admin_/),
        expect.stringMatching(/^\$\.events\[2\]\.actor: "service:autoscaling": an AWS service is named like/),
        expect.stringMatching(/^\$\.events\[3\]\.actor: no user named nobody/),
        expect.stringMatching(/^\$\.events\[3\]\.repeat\.every: "daily" is not valid/),
      ]),
    );
    expect(problems).toHaveLength(14);
  });
});
