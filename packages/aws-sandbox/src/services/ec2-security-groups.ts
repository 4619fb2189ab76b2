/**
 * VPC security groups: describe, create (with EC2's default allow-all egress rule), and egress rule
 * authorize/revoke — what the isolate-instance action needs to build a group with no traffic at all.
 */
import { SandboxError, type OperationContext, type RegionState, type SecurityGroup, type SecurityGroupRule } from '../model';
import { applyFilters, ec2Region, filtersOf, maxResults, tagSet, tagSpecificationTags } from './ec2-common';
import { fingerprint, pageByOffset } from './page-token';
import { int, list, record, str, strings } from './service-input';
import { nextId } from './region-guard';

/** One permission: protocol, port range and a single peer CIDR, the unit EC2 matches rules by. */
interface Permission {
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidr: string;
}

function normaliseProtocol(protocol: string): string {
  const p = protocol.toLowerCase();
  if (p === 'all' || p === '-1') return '-1';
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (p === '1') return 'icmp';
  return p;
}

function permissionsOf(params: Record<string, unknown>): Permission[] {
  const out: Permission[] = [];
  const add = (raw: Record<string, unknown>, cidrs: string[]) => {
    const protocol = str(raw.IpProtocol);
    if (!protocol) throw new SandboxError('MissingParameter', 'The request must contain the parameter ipProtocol');
    const ipProtocol = normaliseProtocol(protocol);
    const ports = ipProtocol === '-1' ? {} : { fromPort: int(raw.FromPort, 'FromPort'), toPort: int(raw.ToPort, 'ToPort') };
    if (list(raw.Groups).length > 0 || list(raw.PrefixListIds).length > 0 || list(raw.Ipv6Ranges).length > 0) {
      throw new SandboxError('InvalidParameterValue', 'The sandbox supports IPv4 CIDR rules only (IpRanges).');
    }
    for (const cidr of cidrs) {
      const p: Permission = { ipProtocol, cidr };
      if (ports.fromPort !== undefined) p.fromPort = ports.fromPort;
      if (ports.toPort !== undefined) p.toPort = ports.toPort;
      out.push(p);
    }
  };
  for (const raw of list(params.IpPermissions)) {
    const r = record(raw);
    add(
      r,
      list(r.IpRanges)
        .map((range) => str(record(range).CidrIp))
        .filter((c): c is string => c !== undefined),
    );
  }
  const legacyCidr = str(params.CidrIp);
  if (legacyCidr) add(params, [legacyCidr]);
  if (out.length === 0) throw new SandboxError('MissingParameter', 'No rules specified: the request must contain IpPermissions with at least one CIDR range.');
  return out;
}

function sameRange(rule: SecurityGroupRule, p: Permission): boolean {
  return normaliseProtocol(rule.ipProtocol) === p.ipProtocol && (p.ipProtocol === '-1' || (rule.fromPort === p.fromPort && rule.toPort === p.toPort));
}

function describeRule(p: Permission): string {
  const ports = p.ipProtocol === '-1' ? 'ALL' : `${p.ipProtocol} ${p.fromPort ?? ''}-${p.toPort ?? ''}`;
  return `peer: ${p.cidr}, ${ports}, ALLOW`;
}

function renderRule(rule: SecurityGroupRule) {
  const isAll = normaliseProtocol(rule.ipProtocol) === '-1';
  return {
    ipProtocol: normaliseProtocol(rule.ipProtocol),
    fromPort: isAll ? undefined : rule.fromPort,
    toPort: isAll ? undefined : rule.toPort,
    groups: [],
    ipRanges: rule.cidrs.map((cidrIp) => ({ cidrIp })),
    ipv6Ranges: [],
    prefixListIds: [],
  };
}

function groupArn(ctx: OperationContext, groupId: string): string {
  return `arn:aws:ec2:${ctx.region}:${ctx.state.accountId}:security-group/${groupId}`;
}

function findGroup(region: RegionState, groupId: string | undefined): SecurityGroup {
  if (!groupId) throw new SandboxError('MissingParameter', 'The request must contain the parameter GroupId');
  const group = region.securityGroups.find((g) => g.groupId === groupId);
  if (!group) throw new SandboxError('InvalidGroup.NotFound', `The security group '${groupId}' does not exist`);
  return group;
}

export function describeSecurityGroups(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const ids = strings(ctx.params.GroupId);
  const names = strings(ctx.params.GroupName);
  const limit = maxResults(ctx.params, 5, 1000);
  for (const id of ids) findGroup(region, id);
  for (const name of names) {
    if (!region.securityGroups.some((g) => g.groupName === name)) {
      throw new SandboxError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC`);
    }
  }
  const candidates = region.securityGroups.filter((g) => (ids.length === 0 || ids.includes(g.groupId)) && (names.length === 0 || names.includes(g.groupName)));
  const filters = filtersOf(ctx.params);
  const kept = applyFilters(candidates, filters, {
    'group-id': (g) => [g.groupId],
    'group-name': (g) => [g.groupName],
    'vpc-id': (g) => [g.vpcId],
    description: (g) => [g.description],
    'owner-id': () => [ctx.state.accountId],
    'ip-permission.cidr': (g) => g.ingress.flatMap((r) => r.cidrs),
    'egress.ip-permission.cidr': (g) => g.egress.flatMap((r) => r.cidrs),
  });
  const { page, next } = pageByOffset(
    kept,
    str(ctx.params.NextToken),
    limit ?? Number.MAX_SAFE_INTEGER,
    fingerprint(['DescribeSecurityGroups', ctx.region, ids, names, filters, limit]),
    'InvalidParameterValue',
  );
  return {
    securityGroupInfo: page.map((g) => ({
      ownerId: ctx.state.accountId,
      groupId: g.groupId,
      groupName: g.groupName,
      groupDescription: g.description,
      vpcId: g.vpcId,
      ipPermissions: g.ingress.map(renderRule),
      ipPermissionsEgress: g.egress.map(renderRule),
      tagSet: tagSet(g.tags),
      securityGroupArn: groupArn(ctx, g.groupId),
    })),
    nextToken: next,
  };
}

export function createSecurityGroup(ctx: OperationContext): unknown {
  const region = ec2Region(ctx);
  const groupName = str(ctx.params.GroupName);
  const description = str(ctx.params.GroupDescription);
  if (!groupName) throw new SandboxError('MissingParameter', 'The request must contain the parameter groupName');
  if (!description) throw new SandboxError('MissingParameter', 'The request must contain the parameter groupDescription');
  if (groupName.startsWith('sg-')) throw new SandboxError('InvalidParameterValue', 'Group names may not be in the format sg-*');
  const vpcId = str(ctx.params.VpcId) ?? region.vpcs.find((v) => v.isDefault)?.vpcId;
  if (!vpcId) throw new SandboxError('VPCIdNotSpecified', 'No default VPC for this user');
  if (!region.vpcs.some((v) => v.vpcId === vpcId)) throw new SandboxError('InvalidVpcID.NotFound', `The vpc ID '${vpcId}' does not exist`);
  if (region.securityGroups.some((g) => g.vpcId === vpcId && g.groupName === groupName)) {
    throw new SandboxError('InvalidGroup.Duplicate', `The security group '${groupName}' already exists for VPC '${vpcId}'`);
  }
  const group: SecurityGroup = {
    groupId: nextId(ctx, 'sg'),
    groupName,
    description,
    vpcId,
    ingress: [],
    egress: [{ ipProtocol: '-1', cidrs: ['0.0.0.0/0'] }],
    tags: tagSpecificationTags(ctx.params, 'security-group'),
  };
  region.securityGroups.push(group);
  return { groupId: group.groupId, tagSet: group.tags.length > 0 ? tagSet(group.tags) : undefined, securityGroupArn: groupArn(ctx, group.groupId) };
}

type Direction = 'ingress' | 'egress';

function authorize(ctx: OperationContext, direction: Direction): unknown {
  const region = ec2Region(ctx);
  const group = findGroup(region, str(ctx.params.GroupId));
  const permissions = permissionsOf(ctx.params);
  const rules = group[direction];
  for (const p of permissions) {
    if (rules.some((r) => sameRange(r, p) && r.cidrs.includes(p.cidr))) {
      throw new SandboxError('InvalidPermission.Duplicate', `the specified rule "${describeRule(p)}" already exists`);
    }
  }
  const added = permissions.map((p) => {
    const rule = rules.find((r) => sameRange(r, p));
    if (rule) rule.cidrs.push(p.cidr);
    else {
      const fresh: SecurityGroupRule = { ipProtocol: p.ipProtocol, cidrs: [p.cidr] };
      if (p.fromPort !== undefined) fresh.fromPort = p.fromPort;
      if (p.toPort !== undefined) fresh.toPort = p.toPort;
      rules.push(fresh);
    }
    return {
      securityGroupRuleId: nextId(ctx, 'sgr'),
      groupId: group.groupId,
      groupOwnerId: ctx.state.accountId,
      isEgress: direction === 'egress',
      ipProtocol: p.ipProtocol,
      fromPort: p.fromPort ?? -1,
      toPort: p.toPort ?? -1,
      cidrIpv4: p.cidr,
    };
  });
  return { return: true, securityGroupRuleSet: added };
}

/** Like EC2 for VPC groups: revoking a rule that does not exist is not an error; it comes back as unknown. */
function revoke(ctx: OperationContext, direction: Direction): unknown {
  const region = ec2Region(ctx);
  const group = findGroup(region, str(ctx.params.GroupId));
  if (strings(ctx.params.SecurityGroupRuleId).length > 0) {
    throw new SandboxError('InvalidParameterValue', 'The sandbox revokes rules by IpPermissions, not by SecurityGroupRuleId.');
  }
  const unknown: Permission[] = [];
  for (const p of permissionsOf(ctx.params)) {
    const rule = group[direction].find((r) => sameRange(r, p) && r.cidrs.includes(p.cidr));
    if (!rule) {
      unknown.push(p);
      continue;
    }
    rule.cidrs = rule.cidrs.filter((c) => c !== p.cidr);
  }
  group[direction] = group[direction].filter((r) => r.cidrs.length > 0);
  return {
    return: true,
    unknownIpPermissionSet:
      unknown.length > 0 ? unknown.map((p) => renderRule({ ipProtocol: p.ipProtocol, fromPort: p.fromPort, toPort: p.toPort, cidrs: [p.cidr] })) : undefined,
  };
}

export const authorizeSecurityGroupEgress = (ctx: OperationContext): unknown => authorize(ctx, 'egress');
export const revokeSecurityGroupEgress = (ctx: OperationContext): unknown => revoke(ctx, 'egress');
export const authorizeSecurityGroupIngress = (ctx: OperationContext): unknown => authorize(ctx, 'ingress');
export const revokeSecurityGroupIngress = (ctx: OperationContext): unknown => revoke(ctx, 'ingress');
