/** EC2 CreateTags over every taggable resource the sandbox models in the region. */
import { SandboxError, type OperationContext } from '../model';
import { ec2Region, mergeTags, tagsOf, type Tag } from './ec2-common';
import { strings } from './service-input';

const NOT_FOUND: Record<string, [code: string, noun: string]> = {
  i: ['InvalidInstanceID.NotFound', 'instance ID'],
  vol: ['InvalidVolume.NotFound', 'volume'],
  snap: ['InvalidSnapshot.NotFound', 'snapshot'],
  sg: ['InvalidGroup.NotFound', 'security group'],
};

export function createTags(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const ids = strings(ctx.params.ResourceId);
  if (ids.length === 0) throw new SandboxError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  const tags = tagsOf(ctx.params, 'Tag');
  if (tags.length === 0) throw new SandboxError('MissingParameter', 'The request must contain the parameter tagSet');
  const targets: Tag[][] = ids.map((id) => {
    const found =
      region.instances.find((r) => r.instanceId === id) ??
      region.volumes.find((r) => r.volumeId === id) ??
      region.snapshots.find((r) => r.snapshotId === id) ??
      region.securityGroups.find((r) => r.groupId === id);
    if (found) return found.tags;
    const [code, noun] = NOT_FOUND[id.split('-')[0] ?? ''] ?? ['InvalidID', 'ID'];
    throw new SandboxError(code, `The ${noun} '${id}' does not exist`);
  });
  for (const target of targets) mergeTags(target, tags);
  return { return: true };
}
