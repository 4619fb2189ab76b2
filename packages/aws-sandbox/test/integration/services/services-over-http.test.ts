/**
 * The six services through unchanged SDK v3 clients against the sandbox over HTTP: the SDK's own
 * serialisation, parsing, pagination and error classes must all work against what the handlers return.
 */
import {
  AccountClient,
  GetAlternateContactCommand,
  GetContactInformationCommand,
  PutAlternateContactCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-account';
import {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  InvalidLookupAttributesException,
  LookupEventsCommand,
  paginateLookupEvents,
} from '@aws-sdk/client-cloudtrail';
import { CostExplorerClient, GetAnomaliesCommand, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import {
  CreateSecurityGroupCommand,
  CreateSnapshotsCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupEgressCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { LambdaClient, paginateListFunctions } from '@aws-sdk/client-lambda';
import {
  AWSOrganizationsNotInUseException,
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { startSandbox, type RunningSandbox } from '../../../src';

let sandbox: RunningSandbox;
const config = (region: string) => ({ endpoint: sandbox.endpoint, region, credentials: sandbox.adminCredentials, maxAttempts: 1 });

// The account's clock: the test moves it instead of waiting for a snapshot to complete.
let now = Date.now();

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'clean', rateLimits: false, now: () => new Date(now) });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => sandbox.reset());

async function errorName(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { name: string }).name;
  }
  throw new Error('expected the call to fail');
}

describe('EC2 over the EC2 query protocol', () => {
  it('DescribeRegions, DescribeInstances (paginated, filtered) and DescribeVolumes parse into SDK shapes', async () => {
    const ec2 = new EC2Client(config('eu-west-1'));
    const regions = await ec2.send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(regions.Regions?.length).toBe(sandbox.state.regions.length);
    expect(regions.Regions?.find((r) => r.RegionName === 'eu-west-1')).toMatchObject({
      Endpoint: 'ec2.eu-west-1.amazonaws.com',
      OptInStatus: expect.any(String),
    });

    const ids: string[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, { Filters: [{ Name: 'instance-state-name', Values: ['running'] }] })) {
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) ids.push(i.InstanceId!);
    }
    const expected = sandbox.state.regions
      .find((r) => r.name === 'eu-west-1')!
      .instances.filter((i) => i.state === 'running')
      .map((i) => i.instanceId);
    expect(ids.sort()).toEqual([...expected].sort());

    const one = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]!] }));
    const inst = one.Reservations![0]!.Instances![0]!;
    expect(inst.State).toEqual({ Code: 16, Name: 'running' });
    expect(inst.LaunchTime).toBeInstanceOf(Date);
    expect(inst.SecurityGroups?.[0]?.GroupId).toMatch(/^sg-/);
    expect(inst.BlockDeviceMappings?.[0]?.Ebs?.VolumeId).toMatch(/^vol-/);

    const vols = await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [ids[0]!] }] }));
    expect(vols.Volumes?.[0]?.Attachments?.[0]).toMatchObject({ InstanceId: ids[0], State: 'attached', DeleteOnTermination: true });

    expect(await errorName(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0000000000000dead'] })))).toBe('InvalidInstanceID.NotFound');
  });

  it('isolates an instance, snapshots its volumes (pending, completed a minute later), then terminates it', async () => {
    const ec2 = new EC2Client(config('eu-west-1'));
    const region = sandbox.state.regions.find((r) => r.name === 'eu-west-1')!;
    const instance = region.instances.find((i) => i.state === 'running')!;

    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'aws-ir-isolation', Description: 'no traffic', VpcId: instance.vpcId }));
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }));
    expect(described.SecurityGroups?.[0]).toMatchObject({ GroupName: 'aws-ir-isolation', IpPermissionsEgress: [], IpPermissions: [] });
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instance.instanceId, Groups: [GroupId!] }));
    expect(instance.securityGroupIds).toEqual([GroupId]);

    const snaps = await ec2.send(
      new CreateSnapshotsCommand({
        InstanceSpecification: { InstanceId: instance.instanceId },
        TagSpecifications: [{ ResourceType: 'snapshot', Tags: [{ Key: 'aws-ir:incident', Value: 'INC-1' }] }],
      }),
    );
    const snapshotIds = snaps.Snapshots!.map((s) => s.SnapshotId!);
    expect(snaps.Snapshots![0]).toMatchObject({ State: 'pending', VolumeId: instance.volumeIds[0] });
    const states = async () => (await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: snapshotIds }))).Snapshots!.map((s) => s.State!);
    expect(new Set(await states())).toEqual(new Set(['pending']));
    now += 60_000; // a minute later on the account's clock
    expect(new Set(await states())).toEqual(new Set(['completed']));

    await ec2.send(new CreateTagsCommand({ Resources: [instance.instanceId], Tags: [{ Key: 'aws-ir:incident', Value: 'INC-1' }] }));
    const stopped = await ec2.send(new StopInstancesCommand({ InstanceIds: [instance.instanceId] }));
    expect(stopped.StoppingInstances?.[0]?.CurrentState).toEqual({ Code: 64, Name: 'stopping' });
    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance.instanceId] }));
    expect(terminated.TerminatingInstances?.[0]?.PreviousState?.Name).toBe('stopped');
    expect(instance.state).toBe('terminated');
    expect(region.volumes.some((v) => v.volumeId === instance.volumeIds[0])).toBe(false);
  });

  it('answers OptInRequired from a region the account has not enabled', async () => {
    const disabled = sandbox.state.regions.find((r) => r.optInStatus === 'not-opted-in');
    expect(disabled).toBeDefined();
    const ec2 = new EC2Client(config(disabled!.name));
    expect(await errorName(ec2.send(new DescribeInstancesCommand({})))).toBe('OptInRequired');
  });
});

describe('CloudTrail over JSON 1.1', () => {
  it('pages LookupEvents and shows the sandbox recording a write as an event', async () => {
    const ct = new CloudTrailClient(config('eu-west-1'));
    const ec2 = new EC2Client(config('eu-west-1'));
    const instance = sandbox.state.regions.find((r) => r.name === 'eu-west-1')!.instances[0]!;
    await ec2.send(new CreateTagsCommand({ Resources: [instance.instanceId], Tags: [{ Key: 'checked', Value: 'yes' }] }));

    const found = await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateTags' }] }));
    expect(found.Events?.[0]).toMatchObject({ EventName: 'CreateTags', EventSource: 'ec2.amazonaws.com', ReadOnly: 'false' });
    expect(found.Events?.[0]?.EventTime).toBeInstanceOf(Date);
    expect(JSON.parse(found.Events![0]!.CloudTrailEvent!)).toMatchObject({ eventName: 'CreateTags', awsRegion: 'eu-west-1' });

    const regionEvents = sandbox.state.events.filter((e) => e.region === 'eu-west-1' && e.eventTime.getTime() > Date.now() - 90 * 86_400_000).length;
    let seen = 0;
    let pages = 0;
    for await (const page of paginateLookupEvents({ client: ct, pageSize: 7 }, {})) {
      seen += page.Events?.length ?? 0;
      pages++;
    }
    expect(seen).toBe(regionEvents);
    expect(pages).toBe(Math.max(1, Math.ceil(regionEvents / 7)));

    await expect(
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'A' },
            { AttributeKey: 'Username', AttributeValue: 'b' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidLookupAttributesException);
  });

  it('describes trails and their status', async () => {
    const ct = new CloudTrailClient(config('eu-west-1'));
    const trails = await ct.send(new DescribeTrailsCommand({}));
    expect(trails.trailList?.length).toBeGreaterThan(0);
    const status = await ct.send(new GetTrailStatusCommand({ Name: trails.trailList![0]!.TrailARN }));
    expect(typeof status.IsLogging).toBe('boolean');
  });
});

describe('Cost Explorer, Organizations, Account and Lambda', () => {
  it('GetCostAndUsage groups the scenario costs and GetAnomalies answers', async () => {
    const ce = new CostExplorerClient(config('us-east-1'));
    const today = new Date();
    const end = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1)).toISOString().slice(0, 10);
    const start = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 13)).toISOString().slice(0, 10);
    const out = await ce.send(
      new GetCostAndUsageCommand({
        TimePeriod: { Start: start, End: end },
        Granularity: 'DAILY',
        Metrics: ['UnblendedCost'],
        GroupBy: [
          { Type: 'DIMENSION', Key: 'SERVICE' },
          { Type: 'DIMENSION', Key: 'REGION' },
        ],
      }),
    );
    expect(out.ResultsByTime).toHaveLength(14);
    const sum = out.ResultsByTime!.flatMap((r) => r.Groups ?? []).reduce((n, g) => n + Number(g.Metrics!.UnblendedCost!.Amount), 0);
    const expected = sandbox.state.costs.filter((c) => c.date >= start && c.date < end).reduce((n, c) => n + c.amount, 0);
    expect(sum).toBeCloseTo(expected, 4);
    expect(expected).toBeGreaterThan(0);
    const anomalies = await ce.send(new GetAnomaliesCommand({ DateInterval: { StartDate: start } }));
    expect(Array.isArray(anomalies.Anomalies)).toBe(true);
  });

  it('Organizations: not in use for the clean account; lists accounts when an organization exists', async () => {
    const org = new OrganizationsClient(config('us-east-1'));
    await expect(org.send(new DescribeOrganizationCommand({}))).rejects.toBeInstanceOf(AWSOrganizationsNotInUseException);
    sandbox.state.organization = {
      id: 'o-test',
      arn: `arn:aws:organizations::${sandbox.accountId}:organization/o-test`,
      masterAccountId: sandbox.accountId,
      masterAccountEmail: 'root@example.com',
      featureSet: 'ALL',
      handshakes: [],
      accounts: Array.from({ length: 23 }, (_, i) => ({
        id: String(300000000000 + i),
        arn: `arn:aws:organizations::${sandbox.accountId}:account/o-test/${300000000000 + i}`,
        name: `a${i}`,
        email: `a${i}@example.com`,
        status: 'ACTIVE' as const,
        joinedMethod: 'CREATED' as const,
        joinedTimestamp: new Date('2026-01-01T00:00:00Z'),
      })),
    };
    const ids: string[] = [];
    for await (const page of paginateListAccounts({ client: org }, {})) ids.push(...(page.Accounts ?? []).map((a) => a.Id!));
    expect(ids).toHaveLength(23);
    const first = await org.send(new ListAccountsCommand({ MaxResults: 1 }));
    expect(first.Accounts![0]).toMatchObject({ JoinedMethod: 'CREATED', JoinedTimestamp: new Date('2026-01-01T00:00:00Z') });
  });

  it('Account: contact information, and alternate contacts with ResourceNotFoundException when missing', async () => {
    const account = new AccountClient(config('us-east-1'));
    const contact = await account.send(new GetContactInformationCommand({}));
    expect(contact.ContactInformation?.FullName).toBe(sandbox.state.contact.fullName);
    sandbox.state.alternateContacts = sandbox.state.alternateContacts.filter((c) => c.type !== 'OPERATIONS');
    await expect(account.send(new GetAlternateContactCommand({ AlternateContactType: 'OPERATIONS' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await account.send(
      new PutAlternateContactCommand({
        AlternateContactType: 'OPERATIONS',
        Name: 'Ops',
        Title: 'On call',
        EmailAddress: 'ops@example.com',
        PhoneNumber: '+1-555-0101',
      }),
    );
    const got = await account.send(new GetAlternateContactCommand({ AlternateContactType: 'OPERATIONS' }));
    expect(got.AlternateContact).toMatchObject({ AlternateContactType: 'OPERATIONS', Name: 'Ops' });
  });

  it('Lambda: ListFunctions pages with Marker/MaxItems', async () => {
    const lambda = new LambdaClient(config('eu-west-1'));
    const names: string[] = [];
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 1 }, {})) names.push(...(page.Functions ?? []).map((f) => f.FunctionName!));
    expect(names).toEqual(sandbox.state.regions.find((r) => r.name === 'eu-west-1')!.lambdaFunctions.map((f) => f.functionName));
    expect(names.length).toBeGreaterThan(0);
  });
});
