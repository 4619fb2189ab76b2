/**
 * EBS volumes and snapshots. Snapshots start `pending` and complete SNAPSHOT_COMPLETION_MS later
 * (checked whenever they are read), so callers must poll as they would against EC2.
 */
import { SandboxError, type Ec2Snapshot, type Ec2Volume, type OperationContext, type RegionState } from '../model';
import { applyFilters, ec2Region, filtersOf, maxResults, mergeTags, tagSet, tagSpecificationTags, type Tag } from './ec2-common';
import { deletesOnTermination, deviceName } from './ec2-instances';
import { fingerprint, pageByOffset } from './page-token';
import { bool, list, record, str, strings } from './service-input';
import { nextId } from './region-guard';

export const SNAPSHOT_COMPLETION_MS = 2000;

function volumeNotFound(ids: string[]): SandboxError {
  return new SandboxError('InvalidVolume.NotFound', `The volume${ids.length > 1 ? 's' : ''} '${ids.join(', ')}' ${ids.length > 1 ? 'do' : 'does'} not exist.`);
}

function attachment(region: RegionState, volume: Ec2Volume) {
  if (!volume.attachedTo) return undefined;
  const instance = region.instances.find((i) => i.instanceId === volume.attachedTo!.instanceId);
  return {
    volumeId: volume.volumeId,
    instanceId: volume.attachedTo.instanceId,
    device: instance ? deviceName(instance, volume.volumeId, volume.attachedTo.device) : volume.attachedTo.device,
    status: 'attached',
    attachTime: instance?.launchTime ?? volume.createTime,
    deleteOnTermination: instance ? deletesOnTermination(instance, volume.volumeId) : false,
  };
}

export function describeVolumes(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const ids = strings(ctx.params.VolumeId);
  const limit = maxResults(ctx.params, 5, 500);
  const missing = ids.filter((id) => !region.volumes.some((v) => v.volumeId === id));
  if (missing.length > 0) throw volumeNotFound(missing);
  const candidates = ids.length > 0 ? region.volumes.filter((v) => ids.includes(v.volumeId)) : region.volumes;
  const filters = filtersOf(ctx.params);
  const kept = applyFilters(candidates, filters, {
    'volume-id': (v) => [v.volumeId],
    status: (v) => [v.state],
    size: (v) => [String(v.sizeGiB)],
    'availability-zone': (v) => [v.availabilityZone],
    'volume-type': () => ['gp3'],
    'attachment.instance-id': (v) => [v.attachedTo?.instanceId],
    'attachment.device': (v) => [attachment(region, v)?.device],
    'attachment.status': (v) => [v.attachedTo ? 'attached' : undefined],
    'attachment.delete-on-termination': (v) => {
      const a = attachment(region, v);
      return a ? [String(a.deleteOnTermination)] : [];
    },
  });
  const { page, next } = pageByOffset(
    kept,
    str(ctx.params.NextToken),
    limit ?? Number.MAX_SAFE_INTEGER,
    fingerprint(['DescribeVolumes', ctx.region, ids, filters, limit]),
    'InvalidParameterValue',
  );
  return {
    volumeSet: page.map((v) => {
      const a = attachment(region, v);
      return {
        volumeId: v.volumeId,
        size: v.sizeGiB,
        snapshotId: '',
        availabilityZone: v.availabilityZone,
        status: v.state,
        createTime: v.createTime,
        attachmentSet: a ? [a] : [],
        volumeType: 'gp3',
        iops: 3000,
        throughput: 125,
        encrypted: false,
        multiAttachEnabled: false,
        tagSet: tagSet(v.tags),
      };
    }),
    nextToken: next,
  };
}

function settle(snapshot: Ec2Snapshot, now: Date): Ec2Snapshot {
  if (snapshot.state === 'pending' && now.getTime() >= snapshot.completesAt.getTime()) snapshot.state = 'completed';
  return snapshot;
}

function snapshotFields(ctx: OperationContext, region: RegionState, s: Ec2Snapshot) {
  const volume = region.volumes.find((v) => v.volumeId === s.volumeId);
  return {
    snapshotId: s.snapshotId,
    volumeId: s.volumeId,
    startTime: s.startTime,
    progress: s.state === 'completed' ? '100%' : '0%',
    ownerId: ctx.state.accountId,
    volumeSize: volume?.sizeGiB ?? s.volumeSize ?? 8,
    description: s.description ?? '',
    encrypted: s.encrypted ?? false,
    tagSet: tagSet(s.tags),
  };
}

function takeSnapshot(ctx: OperationContext, region: RegionState, volume: Ec2Volume, description: string | undefined, tags: Tag[]): Ec2Snapshot {
  const snapshot: Ec2Snapshot = {
    snapshotId: nextId(ctx, 'snap'),
    volumeId: volume.volumeId,
    state: 'pending',
    startTime: ctx.now,
    tags: [],
    completesAt: new Date(ctx.now.getTime() + SNAPSHOT_COMPLETION_MS),
    volumeSize: volume.sizeGiB,
    sharedWith: [],
  };
  if (description !== undefined) snapshot.description = description;
  mergeTags(snapshot.tags, tags);
  region.snapshots.push(snapshot);
  return snapshot;
}

export function createSnapshot(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const volumeId = str(ctx.params.VolumeId);
  if (!volumeId) throw new SandboxError('MissingParameter', 'The request must contain the parameter VolumeId');
  const volume = region.volumes.find((v) => v.volumeId === volumeId);
  if (!volume) throw volumeNotFound([volumeId]);
  const snapshot = takeSnapshot(ctx, region, volume, str(ctx.params.Description), tagSpecificationTags(ctx.params, 'snapshot'));
  return { ...snapshotFields(ctx, region, snapshot), status: snapshot.state };
}

/** Crash-consistent snapshots of every EBS volume attached to an instance (CreateSnapshots). */
export function createSnapshots(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const spec = record(ctx.params.InstanceSpecification);
  const instanceId = str(spec.InstanceId);
  if (!instanceId) throw new SandboxError('MissingParameter', 'The request must contain the parameter InstanceSpecification.InstanceId');
  const instance = region.instances.find((i) => i.instanceId === instanceId);
  if (!instance) throw new SandboxError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  const excludeBoot = bool(spec.ExcludeBootVolume) ?? false;
  const excluded = new Set(strings(spec.ExcludeDataVolumeId));
  const copyTags = str(ctx.params.CopyTagsFromSource) === 'volume';
  const tags = tagSpecificationTags(ctx.params, 'snapshot');
  const description = str(ctx.params.Description);
  const snapshots = instance.volumeIds
    .filter((id, index) => !(index === 0 && excludeBoot) && !excluded.has(id))
    .map((id) => region.volumes.find((v) => v.volumeId === id))
    .filter((v): v is Ec2Volume => v !== undefined)
    .map((volume) => {
      const fromVolume = copyTags ? volume.tags : [];
      return takeSnapshot(ctx, region, volume, description, [...fromVolume, ...tags]);
    });
  return {
    snapshotSet: snapshots.map((s) => ({ ...snapshotFields(ctx, region, s), state: s.state, availabilityZone: instance.availabilityZone })),
  };
}

export function describeSnapshots(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  for (const s of region.snapshots) settle(s, ctx.now);
  const ids = strings(ctx.params.SnapshotId);
  const owners = strings(ctx.params.Owner);
  const limit = maxResults(ctx.params, 5, 1000);
  const missing = ids.filter((id) => !region.snapshots.some((s) => s.snapshotId === id));
  if (missing.length > 0) {
    throw new SandboxError(
      'InvalidSnapshot.NotFound',
      `The snapshot${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' ${missing.length > 1 ? 'do' : 'does'} not exist.`,
    );
  }
  const ownedBySelf = owners.length === 0 || owners.some((o) => o === 'self' || o === ctx.state.accountId);
  let candidates = ownedBySelf ? region.snapshots : [];
  const restorableBy = strings(ctx.params.RestorableBy);
  if (restorableBy.length > 0) {
    candidates = candidates.filter((s) =>
      restorableBy.some((who) => who === 'self' || who === ctx.state.accountId || s.sharedWith.includes(who) || s.sharedWith.includes('all')),
    );
  }
  if (ids.length > 0) candidates = candidates.filter((s) => ids.includes(s.snapshotId));
  const filters = filtersOf(ctx.params);
  const kept = applyFilters(candidates, filters, {
    'snapshot-id': (s) => [s.snapshotId],
    'volume-id': (s) => [s.volumeId],
    status: (s) => [s.state],
    description: (s) => [s.description],
    'owner-id': () => [ctx.state.accountId],
    progress: (s) => [s.state === 'completed' ? '100%' : '0%'],
  });
  const { page, next } = pageByOffset(
    kept,
    str(ctx.params.NextToken),
    limit ?? Number.MAX_SAFE_INTEGER,
    fingerprint(['DescribeSnapshots', ctx.region, ids, owners, filters, limit]),
    'InvalidParameterValue',
  );
  return {
    snapshotSet: page.map((s) => ({
      ...snapshotFields(ctx, region, s),
      status: s.state,
      completionTime: s.state === 'completed' ? s.completesAt : undefined,
    })),
    nextToken: next,
  };
}

function snapshotOf(ctx: OperationContext, region: RegionState): Ec2Snapshot {
  const id = str(ctx.params.SnapshotId);
  if (!id) throw new SandboxError('MissingParameter', 'The request must contain the parameter SnapshotId');
  const snapshot = region.snapshots.find((s) => s.snapshotId === id);
  if (!snapshot) throw new SandboxError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`);
  return snapshot;
}

function checkAttribute(ctx: OperationContext): void {
  const attribute = str(ctx.params.Attribute);
  if (attribute === 'createVolumePermission') return;
  if (attribute === 'productCodes') throw new SandboxError('InvalidParameterCombination', 'The sandbox models only the createVolumePermission attribute.');
  throw new SandboxError('InvalidParameterValue', `Value (${attribute ?? 'null'}) for parameter attribute is invalid. Unknown attribute.`);
}

/** Who may create volumes from a snapshot: account ids and the `all` group (public). */
export function describeSnapshotAttribute(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  checkAttribute(ctx);
  const snapshot = snapshotOf(ctx, region);
  return {
    snapshotId: snapshot.snapshotId,
    createVolumePermission: snapshot.sharedWith.map((who) => (who === 'all' ? { group: 'all' } : { userId: who })),
  };
}

/**
 * Shares or unshares a snapshot: `OperationType=add|remove` with `UserId.N` / `UserGroup.N=all`, or
 * `CreateVolumePermission.Add.N.UserId` / `.Remove.N.Group`, recorded as CloudTrail writes it.
 */
export function modifySnapshotAttribute(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const p = ctx.params;
  const snapshot = snapshotOf(ctx, region);
  const permission = record(p.CreateVolumePermission);
  let add: string[] = [];
  let remove: string[] = [];
  if (Object.keys(permission).length > 0) {
    const who = (items: unknown) => list(items).map((i) => str(record(i).UserId) ?? (str(record(i).Group) === 'all' ? 'all' : undefined));
    add = who(permission.Add).filter((v): v is string => v !== undefined);
    remove = who(permission.Remove).filter((v): v is string => v !== undefined);
  } else {
    checkAttribute(ctx);
    const op = str(p.OperationType);
    if (op !== 'add' && op !== 'remove') throw new SandboxError('MissingParameter', 'The request must contain the parameter OperationType');
    const who = [...strings(p.UserId), ...strings(p.UserGroup).filter((g) => g === 'all')];
    if (strings(p.UserGroup).some((g) => g !== 'all')) throw new SandboxError('InvalidParameterValue', 'The only valid group is all.');
    if (op === 'add') add = who;
    else remove = who;
  }
  const bad = [...add, ...remove].find((v) => v !== 'all' && !/^\d{12}$/.test(v));
  if (bad) throw new SandboxError('InvalidParameterValue', `Value (${bad}) for parameter userId is invalid. Expected a 12-digit account id.`);
  if (add.length === 0 && remove.length === 0) throw new SandboxError('MissingParameter', 'The request must contain the parameter userId or group');
  if (add.includes('all') && snapshot.encrypted) throw new SandboxError('InvalidParameter', 'Encrypted snapshots with EBS default key cannot be shared');
  snapshot.sharedWith = [...snapshot.sharedWith.filter((v) => !remove.includes(v)), ...add.filter((v) => !snapshot.sharedWith.includes(v))];
  const items = (values: string[]) => ({ items: values.map((v) => (v === 'all' ? { group: 'all' } : { userId: v })) });
  ctx.trail = {
    requestParameters: {
      snapshotId: snapshot.snapshotId,
      createVolumePermission: { ...(add.length > 0 ? { add: items(add) } : {}), ...(remove.length > 0 ? { remove: items(remove) } : {}) },
      attributeType: 'CREATE_VOLUME_PERMISSION',
    },
    responseElements: { requestId: ctx.requestId, _return: true },
    resources: [{ resourceType: 'AWS::EC2::Snapshot', resourceName: snapshot.snapshotId }],
  };
  return { return: true };
}
