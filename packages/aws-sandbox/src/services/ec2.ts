/**
 * EC2 (query protocol, EC2 flavour): the operations the scan's inventory and the instance response
 * actions use. Handlers return EC2's camelCase element names; the serializer writes arrays as <item>.
 */
import type { ServiceHandlers } from '../model';
import { describeInstances, modifyInstanceAttribute, modifyNetworkInterfaceAttribute, stopInstances, terminateInstances } from './ec2-instances';
import { describeRegions } from './ec2-regions';
import {
  authorizeSecurityGroupEgress,
  authorizeSecurityGroupIngress,
  createSecurityGroup,
  describeSecurityGroups,
  revokeSecurityGroupEgress,
  revokeSecurityGroupIngress,
} from './ec2-security-groups';
import { createTags } from './ec2-tags';
import { createSnapshot, createSnapshots, describeSnapshotAttribute, describeSnapshots, describeVolumes, modifySnapshotAttribute } from './ec2-volumes';

export { SNAPSHOT_COMPLETION_MS } from './ec2-volumes';

export const handlers: ServiceHandlers = {
  DescribeRegions: describeRegions,
  DescribeInstances: describeInstances,
  DescribeVolumes: describeVolumes,
  DescribeSnapshots: describeSnapshots,
  DescribeSnapshotAttribute: describeSnapshotAttribute,
  ModifySnapshotAttribute: modifySnapshotAttribute,
  DescribeSecurityGroups: describeSecurityGroups,
  CreateSecurityGroup: createSecurityGroup,
  AuthorizeSecurityGroupEgress: authorizeSecurityGroupEgress,
  RevokeSecurityGroupEgress: revokeSecurityGroupEgress,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  ModifyInstanceAttribute: modifyInstanceAttribute,
  ModifyNetworkInterfaceAttribute: modifyNetworkInterfaceAttribute,
  CreateSnapshot: createSnapshot,
  CreateSnapshots: createSnapshots,
  CreateTags: createTags,
  StopInstances: stopInstances,
  TerminateInstances: terminateInstances,
};
