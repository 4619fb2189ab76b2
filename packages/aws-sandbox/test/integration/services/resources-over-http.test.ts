/**
 * The resources attackers change, through unchanged SDK v3 clients over HTTP: S3 (REST-XML), RDS and
 * SES v1 (query), SES v2 and GuardDuty (REST-JSON), Config (JSON 1.1), EC2 snapshot sharing, Lambda
 * permissions and URLs, CloudTrail trail operations, Account regions and contacts — and the CloudTrail
 * record each write leaves, read back with LookupEvents as AWS serves it.
 */
import { join } from 'node:path';
import { AccountClient, EnableRegionCommand, GetRegionOptStatusCommand, PutAlternateContactCommand } from '@aws-sdk/client-account';
import {
  CloudTrailClient,
  DeleteTrailCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  LookupEventsCommand,
  PutEventSelectorsCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  DeleteDeliveryChannelCommand,
  DescribeConfigurationRecorderStatusCommand,
  DescribeConfigurationRecordersCommand,
  StopConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import {
  CreateSnapshotCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import {
  CreateIPSetCommand,
  DeleteDetectorCommand,
  DisassociateFromAdministratorAccountCommand,
  GetAdministratorAccountCommand,
  GuardDutyClient,
  ListDetectorsCommand,
} from '@aws-sdk/client-guardduty';
import { AddPermissionCommand, CreateFunctionUrlConfigCommand, GetPolicyCommand, LambdaClient, RemovePermissionCommand } from '@aws-sdk/client-lambda';
import { DescribeDBSnapshotAttributesCommand, DescribeDBSnapshotsCommand, ModifyDBSnapshotAttributeCommand, RDSClient } from '@aws-sdk/client-rds';
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetIdentityVerificationAttributesCommand,
  GetSendQuotaCommand,
  ListIdentitiesCommand,
  SESClient,
  UpdateAccountSendingEnabledCommand,
  VerifyDomainIdentityCommand,
} from '@aws-sdk/client-ses';
import { CreateEmailIdentityCommand, GetAccountCommand, ListEmailIdentitiesCommand, PutAccountDetailsCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { startSandbox, type RunningSandbox } from '../../../src';
import { clientConfig, failure } from '../support';

const SCENARIO = join(__dirname, '../../fixtures/attack-surface.json');
const OUTSIDE = '999988887777';

let sb: RunningSandbox;
let clock: number;
beforeAll(async () => {
  clock = Date.now();
  sb = await startSandbox({ scenario: SCENARIO, rateLimits: false, now: () => new Date(clock) });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const region = (name: string) => clientConfig(sb, { region: name });

/** The newest recorded event of this name in a region, as LookupEvents returns it (CloudTrailEvent parsed). */
async function recorded(eventName: string, regionName = 'us-east-1') {
  const out = await new CloudTrailClient(region(regionName)).send(
    new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: eventName }], MaxResults: 1 }),
  );
  const event = out.Events?.[0];
  if (!event?.CloudTrailEvent) throw new Error(`no ${eventName} event recorded in ${regionName}`);
  return { event, record: JSON.parse(event.CloudTrailEvent) as Record<string, unknown> };
}

describe('S3 (REST-XML, path-style)', () => {
  const s3 = (name = 'eu-west-1') => new S3Client({ ...region(name), forcePathStyle: true });

  it('lists buckets and reads a bucket ACL, lifecycle and missing policy', async () => {
    const list = await s3('us-east-1').send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name).sort()).toEqual(['fixture-trail-logs', 'fixture-uploads']);
    const acl = await s3().send(new GetBucketAclCommand({ Bucket: 'fixture-uploads' }));
    expect(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.URI ?? 'owner', g.Permission])).toEqual([
      ['CanonicalUser', 'owner', 'FULL_CONTROL'],
      ['Group', 'http://acs.amazonaws.com/groups/s3/LogDelivery', 'WRITE'],
    ]);
    const lifecycle = await s3().send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'fixture-uploads' }));
    expect(lifecycle.Rules?.[0]).toMatchObject({ ID: 'expire-tmp', Status: 'Enabled', Expiration: { Days: 7 } });
    const missing = await failure(s3().send(new GetBucketPolicyCommand({ Bucket: 'fixture-uploads' })));
    expect(missing.name).toBe('NoSuchBucketPolicy');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });

  it('makes a bucket public and records it as S3 does: bucketName, Host, the policy as an object', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::fixture-uploads/*' }],
    };
    await s3().send(new PutBucketPolicyCommand({ Bucket: 'fixture-uploads', Policy: JSON.stringify(policy) }));
    expect(JSON.parse((await s3().send(new GetBucketPolicyCommand({ Bucket: 'fixture-uploads' }))).Policy ?? '{}')).toEqual(policy);
    expect((await s3().send(new GetBucketPolicyStatusCommand({ Bucket: 'fixture-uploads' }))).PolicyStatus?.IsPublic).toBe(true);
    const { event, record } = await recorded('PutBucketPolicy', 'eu-west-1');
    expect(event.Resources).toEqual([{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'fixture-uploads' }]);
    expect(record).toMatchObject({
      eventSource: 's3.amazonaws.com',
      awsRegion: 'eu-west-1',
      requestParameters: { bucketName: 'fixture-uploads', policy: '', bucketPolicy: policy },
    });
  });

  it('refuses a public ACL while the public access block is on, and takes it once the block is deleted', async () => {
    const blocked = await failure(s3('us-east-1').send(new PutBucketAclCommand({ Bucket: 'fixture-trail-logs', ACL: 'public-read' })));
    expect(blocked.name).toBe('AccessDenied');
    expect((await recorded('PutBucketAcl')).record).toMatchObject({
      errorCode: 'AccessDenied',
      requestParameters: { bucketName: 'fixture-trail-logs', acl: '' },
    });
    clock += 1000;
    await s3('us-east-1').send(new DeletePublicAccessBlockCommand({ Bucket: 'fixture-trail-logs' }));
    expect((await failure(s3('us-east-1').send(new GetPublicAccessBlockCommand({ Bucket: 'fixture-trail-logs' })))).name).toBe(
      'NoSuchPublicAccessBlockConfiguration',
    );
    await s3('us-east-1').send(new PutBucketAclCommand({ Bucket: 'fixture-trail-logs', ACL: 'public-read' }));
    const { record } = await recorded('DeleteBucketPublicAccessBlock');
    expect(record.requestParameters).toMatchObject({ bucketName: 'fixture-trail-logs', publicAccessBlock: '' });
    expect((await recorded('PutBucketAcl')).record.requestParameters).toMatchObject({ 'x-amz-acl': ['public-read'] });
  });

  it('suspends versioning, creates buckets, and redirects a request sent to the wrong region', async () => {
    await s3('us-east-1').send(new PutBucketVersioningCommand({ Bucket: 'fixture-trail-logs', VersioningConfiguration: { Status: 'Suspended' } }));
    expect(sb.state.buckets.find((b) => b.name === 'fixture-trail-logs')?.versioning).toBe('Suspended');
    await s3('eu-west-1').send(new CreateBucketCommand({ Bucket: 'fixture-new', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect(sb.state.buckets.find((b) => b.name === 'fixture-new')).toMatchObject({ region: 'eu-west-1', publicAccessBlock: { BlockPublicPolicy: true } });
    const wrong = await failure(s3('us-east-1').send(new GetBucketAclCommand({ Bucket: 'fixture-uploads' })));
    expect(wrong.$metadata?.httpStatusCode).toBe(301);
  });

  it("verifies S3's signature: a wrong secret is SignatureDoesNotMatch", async () => {
    const bad = new S3Client({
      ...region('us-east-1'),
      forcePathStyle: true,
      credentials: { accessKeyId: sb.adminCredentials.accessKeyId, secretAccessKey: 'wrong' },
    });
    expect((await failure(bad.send(new ListBucketsCommand({})))).name).toBe('SignatureDoesNotMatch');
  });
});

describe('EBS and RDS snapshot sharing', () => {
  it('shares an EBS snapshot with an outside account and records the userId CloudTrail shows', async () => {
    const ec2 = new EC2Client(region('us-east-1'));
    await ec2.send(
      new ModifySnapshotAttributeCommand({
        SnapshotId: 'snap-0a1b2c3d4e5f60718',
        Attribute: 'createVolumePermission',
        OperationType: 'add',
        UserIds: [OUTSIDE],
      }),
    );
    const attr = await ec2.send(new DescribeSnapshotAttributeCommand({ SnapshotId: 'snap-0a1b2c3d4e5f60718', Attribute: 'createVolumePermission' }));
    expect(attr.CreateVolumePermissions?.map((p) => p.UserId)).toEqual(['111122223333', OUTSIDE]);
    const { event, record } = await recorded('ModifySnapshotAttribute');
    expect(event.Resources).toEqual([{ ResourceType: 'AWS::EC2::Snapshot', ResourceName: 'snap-0a1b2c3d4e5f60718' }]);
    expect(record.requestParameters).toEqual({
      snapshotId: 'snap-0a1b2c3d4e5f60718',
      createVolumePermission: { add: { items: [{ userId: OUTSIDE }] } },
      attributeType: 'CREATE_VOLUME_PERMISSION',
    });
    const shared = await ec2.send(new DescribeSnapshotsCommand({ RestorableByUserIds: [OUTSIDE] }));
    expect(shared.Snapshots?.map((s) => s.SnapshotId)).toEqual(['snap-0a1b2c3d4e5f60718']);
  });

  it('makes a snapshot public with the all group', async () => {
    const ec2 = new EC2Client(region('us-east-1'));
    await ec2.send(new ModifySnapshotAttributeCommand({ SnapshotId: 'snap-0a1b2c3d4e5f60718', CreateVolumePermission: { Add: [{ Group: 'all' }] } }));
    expect(sb.state.regions[0]!.snapshots[0]!.sharedWith).toEqual(['111122223333', 'all']);
  });

  it('shares an RDS snapshot (restore attribute) and answers unknown snapshots with DBSnapshotNotFound', async () => {
    const rds = new RDSClient(region('us-east-1'));
    const out = await rds.send(
      new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-manual-1', AttributeName: 'restore', ValuesToAdd: [OUTSIDE] }),
    );
    expect(out.DBSnapshotAttributesResult?.DBSnapshotAttributes).toEqual([{ AttributeName: 'restore', AttributeValues: [OUTSIDE] }]);
    const attrs = await rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'orders-manual-1' }));
    expect(attrs.DBSnapshotAttributesResult?.DBSnapshotAttributes?.[0]?.AttributeValues).toEqual([OUTSIDE]);
    expect((await rds.send(new DescribeDBSnapshotsCommand({}))).DBSnapshots?.map((s) => [s.DBSnapshotIdentifier, s.SnapshotType])).toEqual([
      ['orders-manual-1', 'manual'],
    ]);
    expect((await recorded('ModifyDBSnapshotAttribute')).record.requestParameters).toEqual({
      dBSnapshotIdentifier: 'orders-manual-1',
      attributeName: 'restore',
      valuesToAdd: [OUTSIDE],
    });
    expect((await failure(rds.send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: 'nope' })))).name).toBe('DBSnapshotNotFoundFault');
  });
});

describe('SES v1 and v2', () => {
  it('answers the quota probes, verifies a domain and turns sending back on', async () => {
    const ses = new SESClient(region('eu-west-1'));
    expect(await ses.send(new GetSendQuotaCommand({}))).toMatchObject({ Max24HourSend: 200, MaxSendRate: 1, SentLast24Hours: 0 });
    await ses.send(new UpdateAccountSendingEnabledCommand({ Enabled: false }));
    const verified = await ses.send(new VerifyDomainIdentityCommand({ Domain: 'evil.example' }));
    expect(verified.VerificationToken).toMatch(/^\S{44}$/);
    expect((await ses.send(new ListIdentitiesCommand({}))).Identities).toEqual(['evil.example']);
    const attrs = await ses.send(new GetIdentityVerificationAttributesCommand({ Identities: ['evil.example'] }));
    expect(attrs.VerificationAttributes?.['evil.example']?.VerificationStatus).toBe('Pending');
    expect((await recorded('VerifyDomainIdentity', 'eu-west-1')).record).toMatchObject({
      eventSource: 'ses.amazonaws.com',
      requestParameters: { domain: 'evil.example' },
      responseElements: { verificationToken: verified.VerificationToken },
    });
    expect((await recorded('UpdateAccountSendingEnabled', 'eu-west-1')).record.requestParameters).toEqual({ enabled: false });
  });

  it('serves SES v2 under the same signing name: account, production-access request, identities', async () => {
    const v2 = new SESv2Client(region('us-east-1'));
    expect(await v2.send(new GetAccountCommand({}))).toMatchObject({
      ProductionAccessEnabled: true,
      SendingEnabled: true,
      SendQuota: { Max24HourSend: 50000 },
    });
    await v2.send(
      new PutAccountDetailsCommand({ MailType: 'MARKETING', WebsiteURL: 'https://evil.example', UseCaseDescription: 'newsletters', ContactLanguage: 'EN' }),
    );
    await v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'billing@evil.example' }));
    expect((await v2.send(new ListEmailIdentitiesCommand({}))).EmailIdentities?.map((i) => [i.IdentityName, i.IdentityType])).toEqual([
      ['fixture.example', 'DOMAIN'],
      ['billing@evil.example', 'EMAIL_ADDRESS'],
    ]);
    expect((await recorded('PutAccountDetails')).record.requestParameters).toMatchObject({ mailType: 'MARKETING', websiteURL: 'https://evil.example' });
    const duplicate = await failure(v2.send(new CreateEmailIdentityCommand({ EmailIdentity: 'fixture.example' })));
    expect(duplicate.name).toBe('AlreadyExistsException');
  });
});

describe('GuardDuty and Config', () => {
  it('trusts an IP set, leaves the administrator and deletes the detector, each recorded', async () => {
    const gd = new GuardDutyClient(region('us-east-1'));
    const [detectorId] = (await gd.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
    expect(detectorId).toMatch(/^[0-9a-f]{32}$/);
    const ipSet = await gd.send(
      new CreateIPSetCommand({ DetectorId: detectorId, Name: 'trusted', Format: 'TXT', Location: 'https://s3.amazonaws.com/evil/ips.txt', Activate: true }),
    );
    expect(ipSet.IpSetId).toMatch(/^[0-9a-f]{32}$/);
    expect((await gd.send(new GetAdministratorAccountCommand({ DetectorId: detectorId }))).Administrator?.AccountId).toBe('999900001111');
    await gd.send(new DisassociateFromAdministratorAccountCommand({ DetectorId: detectorId }));
    await gd.send(new DeleteDetectorCommand({ DetectorId: detectorId }));
    expect((await gd.send(new ListDetectorsCommand({}))).DetectorIds).toEqual([]);
    const { event, record } = await recorded('DeleteDetector');
    expect(event.Resources).toEqual([{ ResourceType: 'AWS::GuardDuty::Detector', ResourceName: detectorId }]);
    expect(record.requestParameters).toEqual({ detectorId });
    const gone = await failure(gd.send(new DeleteDetectorCommand({ DetectorId: detectorId })));
    expect(gone.name).toBe('BadRequestException');
  });

  it('stops the recorder, refuses to delete the channel of a running recorder', async () => {
    const config = new ConfigServiceClient(region('us-east-1'));
    expect((await config.send(new DescribeConfigurationRecordersCommand({}))).ConfigurationRecorders?.[0]).toMatchObject({
      name: 'default',
      recordingGroup: { allSupported: true },
    });
    const running = await failure(config.send(new DeleteDeliveryChannelCommand({ DeliveryChannelName: 'default' })));
    expect(running.name).toBe('LastDeliveryChannelDeleteFailedException');
    clock += 60_000;
    await config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
    const status = await config.send(new DescribeConfigurationRecorderStatusCommand({}));
    expect(status.ConfigurationRecordersStatus?.[0]).toMatchObject({ recording: false, lastStopTime: new Date(clock) });
    await config.send(new DeleteDeliveryChannelCommand({ DeliveryChannelName: 'default' }));
    expect((await recorded('StopConfigurationRecorder')).record.requestParameters).toEqual({ configurationRecorderName: 'default' });
    const unknown = await failure(config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: 'nope' })));
    expect(unknown.name).toBe('NoSuchConfigurationRecorderException');
  });
});

describe('Lambda, CloudTrail and Account', () => {
  it("grants an outside account the function, opens a public URL, under Lambda's versioned event names", async () => {
    const lambda = new LambdaClient(region('us-east-1'));
    await lambda.send(new AddPermissionCommand({ FunctionName: 'thumbnailer', StatementId: 'backdoor', Action: 'lambda:InvokeFunction', Principal: OUTSIDE }));
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'thumbnailer' }))).Policy ?? '{}');
    expect(policy.Statement.map((s: { Sid: string; Principal: unknown }) => [s.Sid, s.Principal])).toEqual([
      ['s3-invoke', { Service: 's3.amazonaws.com' }],
      ['backdoor', { AWS: `arn:aws:iam::${OUTSIDE}:root` }],
    ]);
    const url = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'thumbnailer', AuthType: 'NONE' }));
    expect(url.FunctionUrl).toMatch(/^https:\/\/[a-z0-9]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);
    expect((await recorded('AddPermission20150331v2')).record).toMatchObject({
      requestParameters: { functionName: 'thumbnailer', principal: OUTSIDE, statementId: 'backdoor' },
    });
    expect((await recorded('CreateFunctionUrlConfig20211031')).record.requestParameters).toEqual({ functionName: 'thumbnailer', authType: 'NONE' });
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'thumbnailer', StatementId: 'backdoor' }));
    expect((await failure(lambda.send(new RemovePermissionCommand({ FunctionName: 'thumbnailer', StatementId: 'backdoor' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });

  it('stops logging and empties the event selectors from the home region only, then deletes the trail', async () => {
    const home = new CloudTrailClient(region('us-east-1'));
    const shadow = new CloudTrailClient(region('eu-west-1'));
    expect((await failure(shadow.send(new StopLoggingCommand({ Name: 'org-trail' })))).name).toBe('InvalidHomeRegionException');
    clock += 5_000;
    await home.send(new StopLoggingCommand({ Name: 'org-trail' }));
    const status = await home.send(new GetTrailStatusCommand({ Name: 'org-trail' }));
    expect(status).toMatchObject({ IsLogging: false, StopLoggingTime: new Date(clock) });
    await home.send(new PutEventSelectorsCommand({ TrailName: 'org-trail', EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: false }] }));
    expect((await home.send(new GetEventSelectorsCommand({ TrailName: 'org-trail' }))).EventSelectors?.[0]).toMatchObject({ IncludeManagementEvents: false });
    await home.send(new DeleteTrailCommand({ Name: 'org-trail' }));
    expect(sb.state.regions.every((r) => r.trails.length === 0)).toBe(true);
    const { event, record } = await recorded('StopLogging');
    expect(event.Resources).toEqual([{ ResourceType: 'AWS::CloudTrail::Trail', ResourceName: 'org-trail' }]);
    expect(record).toMatchObject({ requestParameters: { name: 'org-trail' }, userIdentity: { type: 'IAMUser', userName: 'sandbox-admin' } });
  });

  it('enables an opt-in region and keeps the history of the security contact', async () => {
    const account = new AccountClient(region('us-east-1'));
    expect((await account.send(new GetRegionOptStatusCommand({ RegionName: 'af-south-1' }))).RegionOptStatus).toBe('DISABLED');
    await account.send(new EnableRegionCommand({ RegionName: 'af-south-1' }));
    expect((await account.send(new GetRegionOptStatusCommand({ RegionName: 'af-south-1' }))).RegionOptStatus).toBe('ENABLED');
    await account.send(
      new PutAlternateContactCommand({
        AlternateContactType: 'SECURITY',
        Name: 'Mallory',
        Title: 'CISO',
        EmailAddress: 'mallory@evil.example',
        PhoneNumber: '+1-555-0199',
      }),
    );
    expect(sb.state.alternateContactHistory.map((h) => [h.type, h.contact?.emailAddress, h.by])).toEqual([
      ['SECURITY', 'security@fixture.example', 'arn:aws:iam::444455556666:user/admin'],
      ['SECURITY', 'mallory@evil.example', 'arn:aws:iam::444455556666:user/sandbox-admin'],
    ]);
    expect((await recorded('EnableRegion')).record.requestParameters).toEqual({ regionName: 'af-south-1' });
  });
});

describe('the injected clock', () => {
  it('completes a snapshot when the clock passes its completion time, with no sleep', async () => {
    const ec2 = new EC2Client(region('us-east-1'));
    const volumeId = sb.state.regions[0]!.volumes[0]?.volumeId;
    if (!volumeId) {
      // The fixture has no instance volumes: take one from a scenario snapshot's volume instead.
      sb.state.regions[0]!.volumes.push({
        volumeId: 'vol-0aaaaaaaaaaaaaaaa',
        sizeGiB: 8,
        availabilityZone: 'us-east-1a',
        state: 'available',
        createTime: new Date(clock),
        tags: [],
      });
    }
    const created = await ec2.send(new CreateSnapshotCommand({ VolumeId: volumeId ?? 'vol-0aaaaaaaaaaaaaaaa' }));
    const state = async () => (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [created.SnapshotId!] }))).Snapshots?.[0]?.State;
    expect(await state()).toBe('pending');
    clock += 2_000;
    expect(await state()).toBe('completed');
  });
});
