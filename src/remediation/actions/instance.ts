/**
 * R5/R6: EC2 instances in any region. Isolate (undo restores the previous security groups), snapshot
 * every attached volume as evidence, and terminate only once every volume has a completed aws-ir
 * snapshot.
 */
import {
  CreateSecurityGroupCommand,
  CreateSnapshotCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  ModifyInstanceAttributeCommand,
  ModifyNetworkInterfaceAttributeCommand,
  paginateDescribeSnapshots,
  RevokeSecurityGroupEgressCommand,
  RevokeSecurityGroupIngressCommand,
  TerminateInstancesCommand,
  type Instance,
  type IpPermission,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import type { AwsClients } from '../../aws/clients';
import { collect } from '../../aws/collect-pages';
import type { ActionTarget } from '../action-ids';
import { awsErrorCode } from '../aws-errors';
import { targetAs, type ActionContext, type ActionDefinition, type ActionDescription } from '../types';

export const ISOLATION_GROUP_NAME = 'aws-ir-isolation';
export const TAG_REQUEST = 'aws-ir:request-id';
export const TAG_CHANNEL = 'aws-ir:incident-channel';
const DRY_RUN_GROUP_ID = 'sg-(created on approval)';

function instanceDescription(target: ActionTarget, account: string, effect: string): ActionDescription {
  return target.kind === 'instance'
    ? { account, region: target.region, resource: `EC2 instance ${target.instanceId}`, effect }
    : { account, region: '?', resource: 'EC2 instance', effect };
}

export async function describeInstance(clients: AwsClients, region: string, instanceId: string): Promise<Instance | undefined> {
  try {
    const out = await clients.ec2(region).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  } catch (err) {
    if (awsErrorCode(err) === 'InvalidInstanceID.NotFound') return undefined;
    throw err;
  }
}

/** Security groups per network interface; the primary interface (device 0) first. */
function groupsByInterface(instance: Instance): { eniId: string; primary: boolean; groups: string[] }[] {
  if (!instance.NetworkInterfaces?.length) {
    // Some responses (and emulators) list only the instance's groups: treat them as the primary interface's.
    return [{ eniId: 'primary', primary: true, groups: (instance.SecurityGroups ?? []).map((g) => g.GroupId!).sort() }];
  }
  const enis = instance.NetworkInterfaces.map((n) => ({
    eniId: n.NetworkInterfaceId!,
    primary: (n.Attachment?.DeviceIndex ?? 0) === 0,
    groups: (n.Groups ?? []).map((g) => g.GroupId!).sort(),
  }));
  return enis.sort((a, b) => Number(b.primary) - Number(a.primary));
}

function volumesOf(instance: Instance): { volumeId: string; device: string }[] {
  return (instance.BlockDeviceMappings ?? []).filter((m) => m.Ebs?.VolumeId).map((m) => ({ volumeId: m.Ebs!.VolumeId!, device: m.DeviceName ?? '?' }));
}

function isGone(instance: Instance | undefined): boolean {
  return !instance || instance.State?.Name === 'terminated' || instance.State?.Name === 'shutting-down';
}

/** Finds this VPC's isolation group or creates it; either way leaves it with no rule at all. */
async function isolationGroup(ctx: ActionContext, region: string, vpcId: string): Promise<string> {
  const ec2 = ctx.clients.ec2(region);
  const found = await ec2.send(
    new DescribeSecurityGroupsCommand({
      Filters: [
        { Name: 'vpc-id', Values: [vpcId] },
        { Name: 'group-name', Values: [ISOLATION_GROUP_NAME] },
      ],
    }),
  );
  let group = found.SecurityGroups?.[0];
  let groupId = group?.GroupId;
  let egress: IpPermission[] = group?.IpPermissionsEgress ?? [];
  let ingress: IpPermission[] = group?.IpPermissions ?? [];
  if (!groupId) {
    const input = {
      GroupName: ISOLATION_GROUP_NAME,
      Description: 'aws-ir isolation: no inbound and no outbound traffic',
      VpcId: vpcId,
      TagSpecifications: [{ ResourceType: 'security-group' as const, Tags: [{ Key: 'aws-ir:purpose', Value: 'isolation' }] }],
    };
    const created = await ctx.write('EC2:CreateSecurityGroup', input, () => ec2.send(new CreateSecurityGroupCommand(input)));
    if (!created) {
      // Dry run: a new group comes with AWS's default allow-all egress rule, which would be revoked.
      const revoke = { GroupId: DRY_RUN_GROUP_ID, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] };
      await ctx.write('EC2:RevokeSecurityGroupEgress', revoke, async () => undefined);
      return DRY_RUN_GROUP_ID;
    }
    groupId = created.GroupId!;
    group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }))).SecurityGroups?.[0];
    egress = group?.IpPermissionsEgress ?? [];
    ingress = group?.IpPermissions ?? [];
  }
  if (egress.length) {
    const input = { GroupId: groupId, IpPermissions: egress };
    await ctx.write('EC2:RevokeSecurityGroupEgress', input, () => ec2.send(new RevokeSecurityGroupEgressCommand(input)));
  }
  if (ingress.length) {
    const input = { GroupId: groupId, IpPermissions: ingress };
    await ctx.write('EC2:RevokeSecurityGroupIngress', input, () => ec2.send(new RevokeSecurityGroupIngressCommand(input)));
  }
  return groupId;
}

async function setGroups(ctx: ActionContext, region: string, instanceId: string, eni: { eniId: string; primary: boolean }, groups: string[]): Promise<void> {
  const ec2 = ctx.clients.ec2(region);
  if (eni.primary) {
    const input = { InstanceId: instanceId, Groups: groups };
    await ctx.write('EC2:ModifyInstanceAttribute', input, () => ec2.send(new ModifyInstanceAttributeCommand(input)));
  } else {
    // ModifyInstanceAttribute only reaches the primary interface; the others are changed one by one.
    const input = { NetworkInterfaceId: eni.eniId, Groups: groups };
    await ctx.write('EC2:ModifyNetworkInterfaceAttribute', input, () => ec2.send(new ModifyNetworkInterfaceAttributeCommand(input)));
  }
}

export const isolateInstance: ActionDefinition = {
  id: 'instance.isolate',
  step: 'R5',
  targetKind: 'instance',
  reversible: true,
  undo: 'instance.unisolate',
  label: 'Isolate instance',
  describe: (target, account) =>
    instanceDescription(
      target,
      account,
      `Replaces the instance's security groups with "${ISOLATION_GROUP_NAME}" (created in its VPC if needed, with no inbound and no outbound rule). The instance keeps running for investigation; connections already open may persist until they close. Undo restores the previous groups.`,
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'instance');
    const instance = await describeInstance(ctx.clients, t.region, t.instanceId);
    if (isGone(instance)) return { ok: false, reason: `EC2 instance ${t.instanceId} in ${t.region} no longer exists or is terminating.` };
    if (!instance!.VpcId) return { ok: false, reason: `EC2 instance ${t.instanceId} is not in a VPC; it cannot be isolated with security groups.` };
    return { ok: true, before: { securityGroups: groupsByInterface(instance!) } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'instance');
    const instance = (await describeInstance(ctx.clients, t.region, t.instanceId))!;
    const groupId = await isolationGroup(ctx, t.region, instance.VpcId!);
    const enis = groupsByInterface(instance);
    for (const eni of enis) await setGroups(ctx, t.region, t.instanceId, eni, [groupId]);
    return { details: { isolationGroupId: groupId, previousGroups: enis } };
  },
  async verify(ctx, executed) {
    const t = targetAs(ctx, 'instance');
    const instance = await describeInstance(ctx.clients, t.region, t.instanceId);
    const enis = instance ? groupsByInterface(instance) : [];
    const groupId = executed.details?.isolationGroupId;
    const ok = enis.length > 0 && enis.every((e) => e.groups.length === 1 && e.groups[0] === groupId);
    return ok
      ? { ok: true, after: { securityGroups: enis } }
      : { ok: false, after: { securityGroups: enis }, problem: 'The instance is not in the isolation group alone after the change.' };
  },
};

type EniGroups = { eniId: string; primary: boolean; groups: string[] };

/** The groups to restore: from the isolate request being undone, else aws-ir's latest isolation of it. */
async function previousGroups(ctx: ActionContext, instanceId: string): Promise<EniGroups[] | undefined> {
  const source =
    ctx.undoOf?.action === 'instance.isolate'
      ? ctx.undoOf
      : (await ctx.store.listRequests({ status: 'succeeded' }))
          .filter((r) => r.action === 'instance.isolate' && !r.dryRun && r.target.kind === 'instance' && r.target.instanceId === instanceId)
          .pop();
  const details = source?.outcome?.details as { previousGroups?: EniGroups[] } | undefined;
  return details?.previousGroups;
}

export const unisolateInstance: ActionDefinition = {
  id: 'instance.unisolate',
  step: 'R5',
  targetKind: 'instance',
  reversible: true,
  undo: 'instance.isolate',
  label: 'Restore security groups',
  describe: (target, account) =>
    instanceDescription(target, account, 'Puts back the security groups the instance had before aws-ir isolated it; its traffic is allowed again as before.'),
  async precheck(ctx) {
    const t = targetAs(ctx, 'instance');
    const previous = await previousGroups(ctx, t.instanceId);
    if (!previous?.length) return { ok: false, reason: `aws-ir has no record of the security groups ${t.instanceId} had before isolation.` };
    const instance = await describeInstance(ctx.clients, t.region, t.instanceId);
    if (isGone(instance)) return { ok: false, reason: `EC2 instance ${t.instanceId} in ${t.region} no longer exists or is terminating.` };
    return { ok: true, before: { securityGroups: groupsByInterface(instance!) } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'instance');
    const previous = (await previousGroups(ctx, t.instanceId))!;
    for (const eni of previous) await setGroups(ctx, t.region, t.instanceId, eni, eni.groups);
    return { details: { restoredGroups: previous } };
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'instance');
    const previous = (await previousGroups(ctx, t.instanceId)) ?? [];
    const instance = await describeInstance(ctx.clients, t.region, t.instanceId);
    const now = instance ? groupsByInterface(instance) : [];
    const same = previous.every((p) => {
      const cur = now.find((n) => n.eniId === p.eniId);
      return cur && [...cur.groups].sort().join(',') === [...p.groups].sort().join(',');
    });
    return same
      ? { ok: true, after: { securityGroups: now } }
      : { ok: false, after: { securityGroups: now }, problem: 'The instance does not have its previous security groups after the change.' };
  },
};

export const snapshotInstance: ActionDefinition = {
  id: 'instance.snapshot',
  step: 'R6',
  targetKind: 'instance',
  // Creates evidence and changes nothing on the instance: nothing to undo.
  reversible: true,
  label: 'Snapshot volumes',
  describe: (target, account) =>
    instanceDescription(
      target,
      account,
      'Creates an EBS snapshot of every attached volume, tagged with this incident and request, and records them in the evidence manifest. The instance is not changed.',
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'instance');
    const instance = await describeInstance(ctx.clients, t.region, t.instanceId);
    if (!instance || instance.State?.Name === 'terminated') return { ok: false, reason: `EC2 instance ${t.instanceId} in ${t.region} no longer exists.` };
    const volumes = volumesOf(instance);
    if (!volumes.length) return { ok: false, reason: `EC2 instance ${t.instanceId} has no EBS volume to snapshot.` };
    return { ok: true, before: { volumes } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'instance');
    const instance = (await describeInstance(ctx.clients, t.region, t.instanceId))!;
    const ec2 = ctx.clients.ec2(t.region);
    const snapshots: { volumeId: string; device: string; snapshotId: string }[] = [];
    for (const v of volumesOf(instance)) {
      const input = {
        VolumeId: v.volumeId,
        Description: `aws-ir evidence: ${t.instanceId} ${v.device} (request ${ctx.request.id})`,
        TagSpecifications: [
          {
            ResourceType: 'snapshot' as const,
            Tags: [
              { Key: TAG_REQUEST, Value: ctx.request.id },
              { Key: TAG_CHANNEL, Value: ctx.request.channel },
              { Key: 'aws-ir:instance-id', Value: t.instanceId },
              { Key: 'aws-ir:device', Value: v.device },
            ],
          },
        ],
      };
      const out = await ctx.write('EC2:CreateSnapshot', input, () => ec2.send(new CreateSnapshotCommand(input)));
      snapshots.push({ ...v, snapshotId: out?.SnapshotId ?? '(dry run)' });
    }
    if (!ctx.dryRun) await ctx.recordEvidence('evidence manifest', { instanceId: t.instanceId, region: t.region, account: ctx.account, snapshots });
    return { details: { snapshots } };
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'instance');
    const snaps = await awsIrSnapshots(ctx.clients, t.region, volumesOf((await describeInstance(ctx.clients, t.region, t.instanceId)) ?? {}), ctx.request.id);
    const after = { snapshots: snaps.map((s) => ({ snapshotId: s.SnapshotId, volumeId: s.VolumeId, state: s.State })) };
    const bad = snaps.filter((s) => s.State === 'error');
    if (!snaps.length) return { ok: false, after, problem: 'No snapshot tagged with this request was found.' };
    if (bad.length) return { ok: false, after, problem: `Snapshot(s) failed: ${bad.map((s) => s.SnapshotId).join(', ')}.` };
    return { ok: true, after };
  },
};

/** Snapshots aws-ir took of these volumes (tagged with a request id; only `requestId`'s if given). */
async function awsIrSnapshots(clients: AwsClients, region: string, volumes: { volumeId: string }[], requestId?: string): Promise<Snapshot[]> {
  if (!volumes.length) return [];
  const pages = paginateDescribeSnapshots(
    { client: clients.ec2(region) },
    { OwnerIds: ['self'], Filters: [{ Name: 'volume-id', Values: volumes.map((v) => v.volumeId) }] },
  );
  return (await collect(pages, (p) => p.Snapshots)).filter((s) =>
    s.Tags?.some((tag) => tag.Key === TAG_REQUEST && (requestId === undefined || tag.Value === requestId)),
  );
}

function instanceConfiguration(instance: Instance): Record<string, unknown> {
  return {
    instanceId: instance.InstanceId,
    instanceType: instance.InstanceType,
    imageId: instance.ImageId,
    launchTime: instance.LaunchTime?.toISOString(),
    keyName: instance.KeyName,
    iamInstanceProfile: instance.IamInstanceProfile?.Arn,
    vpcId: instance.VpcId,
    subnetId: instance.SubnetId,
    privateIpAddress: instance.PrivateIpAddress,
    publicIpAddress: instance.PublicIpAddress,
    securityGroups: groupsByInterface(instance),
    volumes: volumesOf(instance),
    tags: instance.Tags ?? [],
    state: instance.State?.Name,
  };
}

export const terminateInstance: ActionDefinition = {
  id: 'instance.terminate',
  step: 'R5',
  targetKind: 'instance',
  reversible: false,
  label: 'Terminate instance',
  describe: (target, account) =>
    instanceDescription(
      target,
      account,
      'Terminates the instance. Cannot be undone; allowed only once every attached volume has a completed aws-ir snapshot, and the instance configuration is saved to the audit record first.',
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'instance');
    const instance = await describeInstance(ctx.clients, t.region, t.instanceId);
    if (isGone(instance)) return { ok: false, reason: `EC2 instance ${t.instanceId} in ${t.region} no longer exists or is already terminating.` };
    const volumes = volumesOf(instance!);
    const snaps = await awsIrSnapshots(ctx.clients, t.region, volumes);
    const missing = volumes.filter((v) => !snaps.some((s) => s.VolumeId === v.volumeId && s.State === 'completed'));
    if (missing.length) {
      return {
        ok: false,
        reason: `Not every volume has a completed aws-ir snapshot yet (${missing.map((v) => `${v.volumeId} ${v.device}`).join(', ')}). Request "Snapshot volumes" first and wait for the snapshots to complete.`,
      };
    }
    return { ok: true, before: { state: instance!.State?.Name, snapshots: snaps.map((s) => ({ volumeId: s.VolumeId, snapshotId: s.SnapshotId })) } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'instance');
    const instance = (await describeInstance(ctx.clients, t.region, t.instanceId))!;
    await ctx.recordEvidence(`configuration of EC2 instance ${t.instanceId}`, instanceConfiguration(instance));
    const input = { InstanceIds: [t.instanceId] };
    await ctx.write('EC2:TerminateInstances', input, () => ctx.clients.ec2(t.region).send(new TerminateInstancesCommand(input)));
    return {};
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'instance');
    const instance = await describeInstance(ctx.clients, t.region, t.instanceId);
    const state = instance?.State?.Name ?? 'gone';
    return isGone(instance) ? { ok: true, after: { state } } : { ok: false, after: { state }, problem: `The instance is ${state} after the terminate call.` };
  },
};
