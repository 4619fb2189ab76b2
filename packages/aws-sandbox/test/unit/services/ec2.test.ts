import { handlers, SNAPSHOT_COMPLETION_MS } from '../../../src/services/ec2';
import type { Ec2Instance, SandboxState } from '../../../src/model';
import { baseState, ctx, errorOf, NOW } from './fixtures';

interface WireInstance {
  instanceId: string;
  instanceState: unknown;
  blockDeviceMapping: unknown;
  networkInterfaceSet: { networkInterfaceId: string }[];
}
interface WireSnapshot {
  snapshotId: string;
  status: string;
  progress: string;
  tagSet: unknown;
}
interface WireSecurityGroup {
  ipPermissions: unknown[];
  ipPermissionsEgress: unknown[];
}
interface StateChanges {
  instancesSet: { currentState: unknown }[];
}
interface RulesAdded {
  return: boolean;
  securityGroupRuleSet: unknown[];
}
interface RulesRevoked {
  return: boolean;
  /** The requested rules the group did not have. */
  unknownIpPermissionSet?: unknown[];
}
/** The parts of EC2's wire output (its XML element names) these tests read; the handlers return `unknown`. */
interface Outputs {
  DescribeRegions: { regionInfo: { regionName: string }[] };
  DescribeInstances: { reservationSet: { instancesSet: WireInstance[] }[]; nextToken?: string };
  DescribeVolumes: { volumeSet: { volumeId: string; attachmentSet: unknown }[] };
  CreateSnapshots: { snapshotSet: WireSnapshot[] };
  DescribeSnapshots: { snapshotSet: WireSnapshot[] };
  CreateSnapshot: WireSnapshot;
  CreateSecurityGroup: { groupId: string };
  DescribeSecurityGroups: { securityGroupInfo: WireSecurityGroup[] };
  AuthorizeSecurityGroupIngress: RulesAdded;
  AuthorizeSecurityGroupEgress: RulesAdded;
  RevokeSecurityGroupIngress: RulesRevoked;
  RevokeSecurityGroupEgress: RulesRevoked;
  ModifyInstanceAttribute: unknown;
  ModifyNetworkInterfaceAttribute: unknown;
  CreateTags: unknown;
  StopInstances: StateChanges;
  TerminateInstances: StateChanges;
}

function instance(id: string, overrides: Partial<Ec2Instance> = {}): Ec2Instance {
  return {
    instanceId: id,
    instanceType: 'p3.16xlarge',
    imageId: 'ami-0123456789abcdef0',
    state: 'running',
    launchTime: new Date('2026-03-14T03:00:00Z'),
    availabilityZone: 'us-east-1a',
    vpcId: 'vpc-1',
    subnetId: 'subnet-1',
    privateIpAddress: '10.0.0.10',
    publicIpAddress: '54.1.2.3',
    securityGroupIds: ['sg-default'],
    volumeIds: [],
    tags: [],
    ...overrides,
  };
}

function ec2State(): SandboxState {
  const state = baseState();
  const r = state.regions[0]!;
  r.vpcs.push({ vpcId: 'vpc-1', cidrBlock: '10.0.0.0/16', isDefault: true });
  r.securityGroups.push({
    groupId: 'sg-default',
    groupName: 'default',
    description: 'default VPC security group',
    vpcId: 'vpc-1',
    ingress: [],
    egress: [{ ipProtocol: '-1', cidrs: ['0.0.0.0/0'] }],
    tags: [],
  });
  r.instances.push(instance('i-0000000000000000a', { volumeIds: ['vol-root', 'vol-data'], tags: [{ Key: 'Name', Value: 'miner' }] }));
  r.instances.push(instance('i-0000000000000000b', { instanceType: 't3.micro', state: 'stopped' }));
  for (let i = 0; i < 10; i++) r.instances.push(instance(`i-1${String(i).padStart(16, '0')}`, { instanceType: 't3.small' }));
  r.volumes.push({
    volumeId: 'vol-root',
    sizeGiB: 100,
    availabilityZone: 'us-east-1a',
    state: 'in-use',
    attachedTo: { instanceId: 'i-0000000000000000a', device: '/dev/xvda' },
    createTime: new Date('2026-03-14T03:00:00Z'),
    tags: [{ Key: 'role', Value: 'root' }],
  });
  r.volumes.push({
    volumeId: 'vol-data',
    sizeGiB: 500,
    availabilityZone: 'us-east-1a',
    state: 'in-use',
    attachedTo: { instanceId: 'i-0000000000000000a', device: '/dev/sdf' },
    createTime: new Date('2026-03-14T03:00:00Z'),
    tags: [],
  });
  r.volumes.push({
    volumeId: 'vol-spare',
    sizeGiB: 8,
    availabilityZone: 'us-east-1a',
    state: 'available',
    createTime: new Date('2026-03-01T00:00:00Z'),
    tags: [],
  });
  return state;
}

const call = <Op extends keyof Outputs>(
  state: SandboxState,
  op: Op,
  params: Record<string, unknown> = {},
  opts: { region?: string; now?: Date } = {},
): Outputs[Op] => handlers[op]!(ctx(state, op, params, opts)) as Outputs[Op];

describe('EC2 DescribeRegions', () => {
  it('lists enabled regions by default and every region with AllRegions, with opt-in status and endpoint', () => {
    const state = ec2State();
    const enabled = call(state, 'DescribeRegions').regionInfo.map((r) => r.regionName);
    expect(enabled).toEqual(['us-east-1', 'eu-west-1', 'me-south-1']);
    const all = call(state, 'DescribeRegions', { AllRegions: 'true' }).regionInfo;
    expect(all).toContainEqual({ regionName: 'ap-east-1', regionEndpoint: 'ec2.ap-east-1.amazonaws.com', optInStatus: 'not-opted-in' });
    const filtered = call(state, 'DescribeRegions', { AllRegions: 'true', Filter: [{ Name: 'opt-in-status', Value: ['opted-in'] }] }).regionInfo;
    expect(filtered.map((r) => r.regionName)).toEqual(['me-south-1']);
  });

  it('fails in a region the account cannot use, as EC2 does', () => {
    const state = ec2State();
    expect(errorOf(() => call(state, 'DescribeInstances', {}, { region: 'ap-east-1' }))).toMatchObject({ code: 'OptInRequired', status: 401 });
    expect(errorOf(() => call(state, 'DescribeInstances', {}, { region: 'xx-nowhere-1' }))).toMatchObject({ code: 'AuthFailure', status: 401 });
  });
});

describe('EC2 DescribeInstances', () => {
  it('renders EC2 element names: reservationSet/instancesSet/instanceState/groupSet/blockDeviceMapping', () => {
    const out = call(ec2State(), 'DescribeInstances', { InstanceId: ['i-0000000000000000a'] });
    expect(out.reservationSet).toHaveLength(1);
    const inst = out.reservationSet[0].instancesSet[0];
    expect(inst).toMatchObject({
      instanceId: 'i-0000000000000000a',
      instanceType: 'p3.16xlarge',
      instanceState: { code: 16, name: 'running' },
      placement: { availabilityZone: 'us-east-1a' },
      ipAddress: '54.1.2.3',
      groupSet: [{ groupId: 'sg-default', groupName: 'default' }],
      tagSet: [{ key: 'Name', value: 'miner' }],
    });
    expect(inst.blockDeviceMapping).toEqual([
      { deviceName: '/dev/xvda', ebs: expect.objectContaining({ volumeId: 'vol-root', deleteOnTermination: true }) },
      { deviceName: '/dev/sdf', ebs: expect.objectContaining({ volumeId: 'vol-data', deleteOnTermination: false }) },
    ]);
  });

  it('filters by instance-state-name, instance-type (wildcards) and tag', () => {
    const state = ec2State();
    const ids = (params: Record<string, unknown>) => call(state, 'DescribeInstances', params).reservationSet.map((r) => r.instancesSet[0].instanceId);
    expect(ids({ Filter: [{ Name: 'instance-state-name', Value: ['stopped'] }] })).toEqual(['i-0000000000000000b']);
    expect(ids({ Filter: [{ Name: 'instance-type', Value: ['p3.*', 'g5.*'] }] })).toEqual(['i-0000000000000000a']);
    expect(
      ids({
        Filter: [
          { Name: 'tag:Name', Value: ['miner'] },
          { Name: 'instance-state-name', Value: ['running'] },
        ],
      }),
    ).toEqual(['i-0000000000000000a']);
    expect(errorOf(() => ids({ Filter: [{ Name: 'bogus', Value: ['x'] }] })).code).toBe('InvalidParameterValue');
  });

  it('pages with MaxResults/NextToken and rejects MaxResults with instance ids', () => {
    const state = ec2State();
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = call(state, 'DescribeInstances', { MaxResults: '5', NextToken: token });
      seen.push(...out.reservationSet.map((r) => r.instancesSet[0].instanceId));
      token = out.nextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(12);
    expect(errorOf(() => call(state, 'DescribeInstances', { MaxResults: '2' })).code).toBe('InvalidParameterValue');
    expect(errorOf(() => call(state, 'DescribeInstances', { MaxResults: '5', InstanceId: ['i-0000000000000000a'] })).code).toBe('InvalidParameterCombination');
    expect(errorOf(() => call(state, 'DescribeInstances', { InstanceId: ['i-nope'] })).code).toBe('InvalidInstanceID.NotFound');
  });
});

describe('EC2 volumes and snapshots', () => {
  it('DescribeVolumes filters by attachment.instance-id and volume-id', () => {
    const state = ec2State();
    const out = call(state, 'DescribeVolumes', { Filter: [{ Name: 'attachment.instance-id', Value: ['i-0000000000000000a'] }] });
    expect(out.volumeSet.map((v) => v.volumeId)).toEqual(['vol-root', 'vol-data']);
    expect(out.volumeSet[0]).toMatchObject({
      status: 'in-use',
      size: 100,
      attachmentSet: [{ instanceId: 'i-0000000000000000a', device: '/dev/xvda', status: 'attached', deleteOnTermination: true }],
    });
    expect(call(state, 'DescribeVolumes', { Filter: [{ Name: 'volume-id', Value: ['vol-spare'] }] }).volumeSet[0].attachmentSet).toEqual([]);
    expect(errorOf(() => call(state, 'DescribeVolumes', { VolumeId: ['vol-x'] })).code).toBe('InvalidVolume.NotFound');
  });

  it('CreateSnapshots snapshots every attached volume, pending until the simulated delay passes', () => {
    const state = ec2State();
    const out = call(state, 'CreateSnapshots', {
      InstanceSpecification: { InstanceId: 'i-0000000000000000a' },
      Description: 'evidence INC-1',
      CopyTagsFromSource: 'volume',
      TagSpecification: [{ ResourceType: 'snapshot', Tag: [{ Key: 'incident', Value: 'INC-1' }] }],
    });
    expect(out.snapshotSet).toHaveLength(2);
    expect(out.snapshotSet[0]).toMatchObject({ volumeId: 'vol-root', state: 'pending', description: 'evidence INC-1' });
    expect(out.snapshotSet[0].tagSet).toEqual([
      { key: 'role', value: 'root' },
      { key: 'incident', value: 'INC-1' },
    ]);
    const ids = out.snapshotSet.map((s) => s.snapshotId);
    const soon = call(state, 'DescribeSnapshots', { SnapshotId: ids }, { now: new Date(NOW.getTime() + 500) });
    expect(soon.snapshotSet.map((s) => s.status)).toEqual(['pending', 'pending']);
    const later = call(
      state,
      'DescribeSnapshots',
      { Filter: [{ Name: 'tag:incident', Value: ['INC-1'] }] },
      { now: new Date(NOW.getTime() + SNAPSHOT_COMPLETION_MS) },
    );
    expect(later.snapshotSet.map((s) => [s.snapshotId, s.status, s.progress])).toEqual(ids.map((id) => [id, 'completed', '100%']));
  });

  it('CreateSnapshot snapshots one volume and returns the snapshot fields at top level', () => {
    const state = ec2State();
    const out = call(state, 'CreateSnapshot', { VolumeId: 'vol-data', TagSpecification: [{ ResourceType: 'snapshot', Tag: [{ Key: 'k', Value: 'v' }] }] });
    expect(out).toMatchObject({ volumeId: 'vol-data', status: 'pending', volumeSize: 500, tagSet: [{ key: 'k', value: 'v' }] });
    expect(out.snapshotId).toMatch(/^snap-[0-9a-f]{17}$/);
    expect(state.regions[0]!.snapshots).toHaveLength(1);
  });
});

describe('EC2 security groups and isolation', () => {
  it('creates a group with the default allow-all egress, then revoking it leaves no rules', () => {
    const state = ec2State();
    const created = call(state, 'CreateSecurityGroup', { GroupName: 'aws-ir-isolation', GroupDescription: 'isolation', VpcId: 'vpc-1' });
    expect(created.groupId).toMatch(/^sg-/);
    const describe = () => call(state, 'DescribeSecurityGroups', { GroupId: [created.groupId] }).securityGroupInfo[0];
    expect(describe().ipPermissionsEgress).toEqual([{ ipProtocol: '-1', groups: [], ipRanges: [{ cidrIp: '0.0.0.0/0' }], ipv6Ranges: [], prefixListIds: [] }]);
    const revoked = call(state, 'RevokeSecurityGroupEgress', {
      GroupId: created.groupId,
      IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
    expect(revoked.return).toBe(true);
    expect(revoked.unknownIpPermissionSet).toBeUndefined();
    expect(describe().ipPermissionsEgress).toEqual([]);
    // Revoking again is not an error; the rule comes back as unknown.
    expect(
      call(state, 'RevokeSecurityGroupEgress', { GroupId: created.groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })
        .unknownIpPermissionSet,
    ).toHaveLength(1);
    // Undo path: authorize brings it back; a second authorize is a duplicate.
    call(state, 'AuthorizeSecurityGroupEgress', { GroupId: created.groupId, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] });
    expect(describe().ipPermissionsEgress).toHaveLength(1);
    expect(
      errorOf(() =>
        call(state, 'AuthorizeSecurityGroupEgress', { GroupId: created.groupId, IpPermissions: [{ IpProtocol: 'all', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
      ).code,
    ).toBe('InvalidPermission.Duplicate');
  });

  it('rejects duplicate names and unknown VPCs; defaults to the default VPC', () => {
    const state = ec2State();
    expect(errorOf(() => call(state, 'CreateSecurityGroup', { GroupName: 'default', GroupDescription: 'x' })).code).toBe('InvalidGroup.Duplicate');
    expect(errorOf(() => call(state, 'CreateSecurityGroup', { GroupName: 'n', GroupDescription: 'x', VpcId: 'vpc-x' })).code).toBe('InvalidVpcID.NotFound');
    const created = call(state, 'CreateSecurityGroup', {
      GroupName: 'n',
      GroupDescription: 'x',
      TagSpecification: [{ ResourceType: 'security-group', Tag: [{ Key: 'incident', Value: 'I' }] }],
    });
    expect(state.regions[0]!.securityGroups.find((g) => g.groupId === created.groupId)).toMatchObject({
      vpcId: 'vpc-1',
      tags: [{ Key: 'incident', Value: 'I' }],
    });
  });

  it('ModifyInstanceAttribute replaces the instance security groups (GroupId.N)', () => {
    const state = ec2State();
    const { groupId } = call(state, 'CreateSecurityGroup', { GroupName: 'iso', GroupDescription: 'x' });
    expect(call(state, 'ModifyInstanceAttribute', { InstanceId: 'i-0000000000000000a', GroupId: [groupId] })).toEqual({ return: true });
    expect(state.regions[0]!.instances[0]!.securityGroupIds).toEqual([groupId]);
    expect(errorOf(() => call(state, 'ModifyInstanceAttribute', { InstanceId: 'i-0000000000000000a', GroupId: ['sg-nope'] })).code).toBe(
      'InvalidGroup.NotFound',
    );
    expect(errorOf(() => call(state, 'ModifyInstanceAttribute', { InstanceId: 'i-nope', GroupId: [groupId] })).code).toBe('InvalidInstanceID.NotFound');
  });
});

describe('EC2 ingress rules and network interfaces', () => {
  it('authorizes and revokes ingress rules with port ranges', () => {
    const state = ec2State();
    const https = { IpProtocol: 'tcp', FromPort: '443', ToPort: '443', IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
    const added = call(state, 'AuthorizeSecurityGroupIngress', { GroupId: 'sg-default', IpPermissions: [https] });
    expect(added.securityGroupRuleSet[0]).toMatchObject({ isEgress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' });
    const group = () => call(state, 'DescribeSecurityGroups', { GroupId: ['sg-default'] }).securityGroupInfo[0];
    expect(group().ipPermissions).toEqual([
      { ipProtocol: 'tcp', fromPort: 443, toPort: 443, groups: [], ipRanges: [{ cidrIp: '0.0.0.0/0' }], ipv6Ranges: [], prefixListIds: [] },
    ]);
    // A different port range is a different rule: revoking it leaves 443 alone.
    expect(
      call(state, 'RevokeSecurityGroupIngress', { GroupId: 'sg-default', IpPermissions: [{ ...https, FromPort: '22', ToPort: '22' }] }).unknownIpPermissionSet,
    ).toHaveLength(1);
    call(state, 'RevokeSecurityGroupIngress', { GroupId: 'sg-default', IpPermissions: [https] });
    expect(group().ipPermissions).toEqual([]);
    expect(group().ipPermissionsEgress).toHaveLength(1);
  });

  it('describes one primary network interface per instance and changes its groups with ModifyNetworkInterfaceAttribute', () => {
    const state = ec2State();
    const inst = call(state, 'DescribeInstances', { InstanceId: ['i-0000000000000000a'] }).reservationSet[0].instancesSet[0];
    expect(inst.networkInterfaceSet).toHaveLength(1);
    const eni = inst.networkInterfaceSet[0];
    expect(eni).toMatchObject({ attachment: { deviceIndex: 0 }, groupSet: [{ groupId: 'sg-default', groupName: 'default' }], vpcId: 'vpc-1' });
    const { groupId } = call(state, 'CreateSecurityGroup', { GroupName: 'iso', GroupDescription: 'x' });
    call(state, 'ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: eni.networkInterfaceId, SecurityGroupId: [groupId] });
    expect(state.regions[0]!.instances[0]!.securityGroupIds).toEqual([groupId]);
    expect(errorOf(() => call(state, 'ModifyNetworkInterfaceAttribute', { NetworkInterfaceId: 'eni-nope', SecurityGroupId: [groupId] })).code).toBe(
      'InvalidNetworkInterfaceID.NotFound',
    );
  });
});

describe('EC2 tags and state changes', () => {
  it('CreateTags tags instances, volumes and snapshots and overwrites existing keys', () => {
    const state = ec2State();
    call(state, 'CreateTags', {
      ResourceId: ['i-0000000000000000a', 'vol-root'],
      Tag: [
        { Key: 'Name', Value: 'quarantined' },
        { Key: 'incident', Value: 'INC-9' },
      ],
    });
    expect(state.regions[0]!.instances[0]!.tags).toEqual([
      { Key: 'Name', Value: 'quarantined' },
      { Key: 'incident', Value: 'INC-9' },
    ]);
    expect(state.regions[0]!.volumes[0]!.tags).toContainEqual({ Key: 'incident', Value: 'INC-9' });
    expect(errorOf(() => call(state, 'CreateTags', { ResourceId: ['vol-nope'], Tag: [{ Key: 'a', Value: 'b' }] })).code).toBe('InvalidVolume.NotFound');
  });

  it('StopInstances reports stopping and leaves the instance stopped', () => {
    const state = ec2State();
    const out = call(state, 'StopInstances', { InstanceId: ['i-0000000000000000a'] });
    expect(out.instancesSet).toEqual([
      { instanceId: 'i-0000000000000000a', currentState: { code: 64, name: 'stopping' }, previousState: { code: 16, name: 'running' } },
    ]);
    expect(state.regions[0]!.instances[0]!.state).toBe('stopped');
  });

  it('TerminateInstances deletes the root volume, detaches the others, and is idempotent', () => {
    const state = ec2State();
    const out = call(state, 'TerminateInstances', { InstanceId: ['i-0000000000000000a'] });
    expect(out.instancesSet[0]).toMatchObject({ currentState: { code: 32, name: 'shutting-down' }, previousState: { code: 16, name: 'running' } });
    const r = state.regions[0]!;
    expect(r.volumes.map((v) => v.volumeId)).toEqual(['vol-data', 'vol-spare']);
    expect(r.volumes[0]).toMatchObject({ state: 'available' });
    expect(r.volumes[0]!.attachedTo).toBeUndefined();
    const again = call(state, 'TerminateInstances', { InstanceId: ['i-0000000000000000a'] });
    expect(again.instancesSet[0].currentState).toEqual({ code: 48, name: 'terminated' });
    const described = call(state, 'DescribeInstances', { InstanceId: ['i-0000000000000000a'] }).reservationSet[0].instancesSet[0];
    expect(described.instanceState).toEqual({ code: 48, name: 'terminated' });
    expect(errorOf(() => call(state, 'StopInstances', { InstanceId: ['i-0000000000000000a'] })).code).toBe('IncorrectInstanceState');
  });
});
