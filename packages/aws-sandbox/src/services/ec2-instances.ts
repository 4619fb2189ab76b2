/**
 * EC2 instance operations: DescribeInstances (filters, paging), ModifyInstanceAttribute (security
 * groups), StopInstances and TerminateInstances with EC2's state codes.
 */
import { SandboxError, type Ec2Instance, type OperationContext, type RegionState } from '../model';
import { applyFilters, ec2Region, filtersOf, maxResults, tagSet } from './ec2-common';
import { fingerprint, pageByOffset } from './page-token';
import { str, strings } from './service-input';

const STATE_CODES: Record<Ec2Instance['state'], number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

function stateOf(name: Ec2Instance['state']): { code: number; name: string } {
  return { code: STATE_CODES[name], name };
}

/** The scenario model has no per-volume flag: as in a default launch, the root volume goes with the instance. */
export function deletesOnTermination(instance: Ec2Instance, volumeId: string): boolean {
  return instance.volumeIds[0] === volumeId;
}

export function deviceName(instance: Ec2Instance, volumeId: string, recorded?: string): string {
  if (recorded) return recorded;
  const index = instance.volumeIds.indexOf(volumeId);
  return index <= 0 ? '/dev/xvda' : `/dev/sd${String.fromCharCode('f'.charCodeAt(0) + index - 1)}`;
}

function notFound(ids: string[]): SandboxError {
  return ids.length === 1
    ? new SandboxError('InvalidInstanceID.NotFound', `The instance ID '${ids[0]}' does not exist`)
    : new SandboxError('InvalidInstanceID.NotFound', `The instance IDs '${ids.join(', ')}' do not exist`);
}

function findInstances(region: RegionState, ids: string[]): Ec2Instance[] {
  const missing = ids.filter((id) => !region.instances.some((i) => i.instanceId === id));
  if (missing.length > 0) throw notFound(missing);
  return ids.map((id) => region.instances.find((i) => i.instanceId === id)!);
}

/** Each sandbox instance has one network interface, its primary (device index 0). */
export function primaryInterfaceId(instance: Ec2Instance): string {
  return `eni-${instance.instanceId.slice(2)}`;
}

function groupIdentifiers(region: RegionState, instance: Ec2Instance) {
  return instance.securityGroupIds.map((groupId) => ({
    groupId,
    groupName: region.securityGroups.find((g) => g.groupId === groupId)?.groupName ?? groupId,
  }));
}

function primaryInterface(ctx: OperationContext, region: RegionState, instance: Ec2Instance) {
  return {
    networkInterfaceId: primaryInterfaceId(instance),
    subnetId: instance.subnetId,
    vpcId: instance.vpcId,
    description: '',
    ownerId: ctx.state.accountId,
    status: 'in-use',
    privateIpAddress: instance.privateIpAddress,
    sourceDestCheck: true,
    interfaceType: 'interface',
    groupSet: groupIdentifiers(region, instance),
    attachment: {
      attachmentId: `eni-attach-${instance.instanceId.slice(2)}`,
      deviceIndex: 0,
      networkCardIndex: 0,
      status: 'attached',
      attachTime: instance.launchTime,
      deleteOnTermination: true,
    },
    association: instance.publicIpAddress && instance.state === 'running' ? { publicIp: instance.publicIpAddress, ipOwnerId: 'amazon' } : undefined,
    privateIpAddressesSet: [{ privateIpAddress: instance.privateIpAddress, primary: true }],
  };
}

function renderInstance(ctx: OperationContext, region: RegionState, instance: Ec2Instance): Record<string, unknown> {
  const live = instance.state !== 'terminated';
  return {
    instanceId: instance.instanceId,
    imageId: instance.imageId,
    instanceState: stateOf(instance.state),
    privateDnsName: live ? `ip-${instance.privateIpAddress.replace(/\./g, '-')}.${region.name}.compute.internal` : '',
    dnsName: live && instance.publicIpAddress ? `ec2-${instance.publicIpAddress.replace(/\./g, '-')}.${region.name}.compute.amazonaws.com` : '',
    reason: instance.state === 'terminated' || instance.state === 'stopped' ? 'User initiated' : '',
    keyName: instance.keyName,
    amiLaunchIndex: 0,
    instanceType: instance.instanceType,
    launchTime: instance.launchTime,
    placement: { availabilityZone: instance.availabilityZone, groupName: '', tenancy: 'default' },
    monitoring: { state: 'disabled' },
    subnetId: live ? instance.subnetId : undefined,
    vpcId: live ? instance.vpcId : undefined,
    privateIpAddress: live ? instance.privateIpAddress : undefined,
    ipAddress: instance.state === 'running' ? instance.publicIpAddress : undefined,
    architecture: 'x86_64',
    rootDeviceType: 'ebs',
    rootDeviceName: '/dev/xvda',
    blockDeviceMapping: instance.volumeIds.map((volumeId) => {
      const volume = region.volumes.find((v) => v.volumeId === volumeId);
      return {
        deviceName: deviceName(instance, volumeId, volume?.attachedTo?.device),
        ebs: {
          volumeId,
          status: 'attached',
          attachTime: instance.launchTime,
          deleteOnTermination: deletesOnTermination(instance, volumeId),
        },
      };
    }),
    iamInstanceProfile: instance.iamInstanceProfileArn
      ? { arn: instance.iamInstanceProfileArn, id: `AIPA${instance.instanceId.slice(2, 19).toUpperCase()}` }
      : undefined,
    groupSet: groupIdentifiers(region, instance),
    networkInterfaceSet: live ? [primaryInterface(ctx, region, instance)] : [],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    tagSet: tagSet(instance.tags),
    ownerId: ctx.state.accountId,
  };
}

export function describeInstances(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const ids = strings(ctx.params.InstanceId);
  const limit = maxResults(ctx.params, 5, 1000);
  if (ids.length > 0 && limit !== undefined) {
    throw new SandboxError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const filters = filtersOf(ctx.params);
  const candidates = ids.length > 0 ? findInstances(region, ids) : region.instances;
  const kept = applyFilters(candidates, filters, {
    'instance-id': (i) => [i.instanceId],
    'instance-state-name': (i) => [i.state],
    'instance-state-code': (i) => [String(STATE_CODES[i.state])],
    'instance-type': (i) => [i.instanceType],
    'availability-zone': (i) => [i.availabilityZone],
    'image-id': (i) => [i.imageId],
    'key-name': (i) => [i.keyName],
    'vpc-id': (i) => [i.vpcId],
    'subnet-id': (i) => [i.subnetId],
    'private-ip-address': (i) => [i.privateIpAddress],
    'ip-address': (i) => [i.publicIpAddress],
    'instance.group-id': (i) => i.securityGroupIds,
    'iam-instance-profile.arn': (i) => [i.iamInstanceProfileArn],
  });
  const { page, next } = pageByOffset(
    kept,
    str(ctx.params.NextToken),
    limit ?? Number.MAX_SAFE_INTEGER,
    fingerprint(['DescribeInstances', ctx.region, ids, filters, limit]),
    'InvalidParameterValue',
  );
  return {
    reservationSet: page.map((instance) => ({
      reservationId: `r-${instance.instanceId.slice(2)}`,
      ownerId: ctx.state.accountId,
      groupSet: [],
      instancesSet: [renderInstance(ctx, region, instance)],
    })),
    nextToken: next,
  };
}

/** Replaces an instance's security groups, with EC2's checks (groups exist, same VPC, instance alive). */
function setSecurityGroups(region: RegionState, instance: Ec2Instance, groupIds: string[]): void {
  if (instance.state === 'terminated') {
    throw new SandboxError('IncorrectInstanceState', `The instance '${instance.instanceId}' is not in a state from which it can be modified.`);
  }
  for (const groupId of groupIds) {
    const group = region.securityGroups.find((g) => g.groupId === groupId);
    if (!group) throw new SandboxError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
    if (group.vpcId !== instance.vpcId) {
      throw new SandboxError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist in VPC '${instance.vpcId}'`);
    }
  }
  instance.securityGroupIds = [...new Set(groupIds)];
}

export function modifyInstanceAttribute(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const instanceId = str(ctx.params.InstanceId);
  if (!instanceId) throw new SandboxError('MissingParameter', 'The request must contain the parameter InstanceId');
  const [instance] = findInstances(region, [instanceId]);
  const groupIds = strings(ctx.params.GroupId);
  if (groupIds.length === 0) {
    throw new SandboxError('InvalidParameterCombination', 'The sandbox supports ModifyInstanceAttribute only for security groups (GroupId.N).');
  }
  setSecurityGroups(region, instance!, groupIds);
  return { return: true };
}

export function modifyNetworkInterfaceAttribute(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const eniId = str(ctx.params.NetworkInterfaceId);
  if (!eniId) throw new SandboxError('MissingParameter', 'The request must contain the parameter NetworkInterfaceId');
  const instance = region.instances.find((i) => i.state !== 'terminated' && primaryInterfaceId(i) === eniId);
  if (!instance) throw new SandboxError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eniId}' does not exist`);
  const groupIds = strings(ctx.params.SecurityGroupId);
  if (groupIds.length === 0) {
    throw new SandboxError('InvalidParameterCombination', 'The sandbox supports ModifyNetworkInterfaceAttribute only for security groups (SecurityGroupId.N).');
  }
  setSecurityGroups(region, instance, groupIds);
  return { return: true };
}

function transition(
  ctx: OperationContext,
  apply: (instance: Ec2Instance, region: RegionState) => { previous: Ec2Instance['state']; reported: Ec2Instance['state'] },
): { instanceId: string; currentState: unknown; previousState: unknown }[] {
  const region = ec2Region(ctx);
  const ids = strings(ctx.params.InstanceId);
  if (ids.length === 0) throw new SandboxError('MissingParameter', 'The request must contain the parameter InstanceId');
  const instances = findInstances(region, ids);
  return instances.map((instance) => {
    const { previous, reported } = apply(instance, region);
    return { instanceId: instance.instanceId, currentState: stateOf(reported), previousState: stateOf(previous) };
  });
}

/** Stops at once but reports `stopping`, as the API does; the next describe shows `stopped`. */
export function stopInstances(ctx: OperationContext): unknown {
  return {
    instancesSet: transition(ctx, (instance) => {
      const previous = instance.state;
      if (previous === 'terminated' || previous === 'shutting-down') {
        throw new SandboxError('IncorrectInstanceState', `This instance '${instance.instanceId}' is not in a state from which it can be stopped.`);
      }
      if (previous === 'stopped') return { previous, reported: 'stopped' };
      instance.state = 'stopped';
      return { previous, reported: 'stopping' };
    }),
  };
}

/** Terminates at once (reporting `shutting-down`); volumes that delete on termination go away, the rest detach. */
export function terminateInstances(ctx: OperationContext): unknown {
  return {
    instancesSet: transition(ctx, (instance, region) => {
      const previous = instance.state;
      if (previous === 'terminated') return { previous, reported: 'terminated' };
      for (const volumeId of instance.volumeIds) {
        const index = region.volumes.findIndex((v) => v.volumeId === volumeId);
        if (index < 0) continue;
        if (deletesOnTermination(instance, volumeId)) region.volumes.splice(index, 1);
        else {
          region.volumes[index]!.state = 'available';
          delete region.volumes[index]!.attachedTo;
        }
      }
      instance.volumeIds = [];
      instance.state = 'terminated';
      return { previous, reported: 'shutting-down' };
    }),
  };
}
