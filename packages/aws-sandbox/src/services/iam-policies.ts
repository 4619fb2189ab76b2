/** Managed policies (customer and AWS), their versions and attachments, and groups. */
import { nextId } from '../ids';
import { SandboxError, type ManagedPolicy, type OperationContext, type ServiceHandlers } from '../model';
import {
  attachmentCount,
  encodeDocument,
  findGroup,
  findPolicy,
  groupShape,
  optionalString,
  paginate,
  pathPrefixFilter,
  policyDocumentParam,
  policyShape,
  requiredString,
  userShape,
  validName,
} from './iam-common';
import { principalPolicyHandlers } from './iam-principal-policies';

const MAX_VERSIONS = 5;

function listPolicies(ctx: OperationContext) {
  const scope = optionalString(ctx, 'Scope') ?? 'All';
  if (!['All', 'AWS', 'Local'].includes(scope)) {
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value '${scope}' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]`,
    );
  }
  const onlyAttached = String(ctx.params.OnlyAttached ?? 'false') === 'true';
  const policies = pathPrefixFilter(ctx, ctx.state.policies).filter(
    (p) => (scope === 'All' || p.scope === scope) && (!onlyAttached || attachmentCount(ctx, p.arn) > 0),
  );
  const { page, ...more } = paginate(ctx, policies);
  return { Policies: page.map((p) => policyShape(ctx, p)), ...more };
}

function getPolicy(ctx: OperationContext) {
  return { Policy: policyShape(ctx, findPolicy(ctx), true) };
}

function createPolicy(ctx: OperationContext) {
  const name = validName(requiredString(ctx, 'PolicyName'), 'PolicyName');
  const path = optionalString(ctx, 'Path') ?? '/';
  const arn = `arn:aws:iam::${ctx.state.accountId}:policy${path}${name}`;
  if (ctx.state.policies.some((p) => p.arn === arn)) {
    throw new SandboxError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`, 409);
  }
  const policy: ManagedPolicy = {
    policyName: name,
    policyId: nextId(ctx.state, 'ANPA', 17),
    arn,
    path,
    scope: 'Local',
    createDate: ctx.now,
    updateDate: ctx.now,
    description: optionalString(ctx, 'Description'),
    versions: [{ versionId: 'v1', document: policyDocumentParam(ctx, 'PolicyDocument'), isDefaultVersion: true, createDate: ctx.now }],
  };
  ctx.state.policies.push(policy);
  return { Policy: policyShape(ctx, policy) };
}

function localPolicy(ctx: OperationContext): ManagedPolicy {
  const policy = findPolicy(ctx);
  if (policy.scope === 'AWS') {
    throw new SandboxError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to modify the AWS managed policy ${policy.arn}`, 403);
  }
  return policy;
}

function deletePolicy(ctx: OperationContext) {
  const policy = localPolicy(ctx);
  if (attachmentCount(ctx, policy.arn) > 0) throw new SandboxError('DeleteConflict', 'Cannot delete a policy attached to entities.', 409);
  if (policy.versions.length > 1)
    throw new SandboxError(
      'DeleteConflict',
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      409,
    );
  ctx.state.policies.splice(ctx.state.policies.indexOf(policy), 1);
  return undefined;
}

function findVersion(ctx: OperationContext, policy: ManagedPolicy) {
  const id = requiredString(ctx, 'VersionId');
  const version = policy.versions.find((v) => v.versionId === id);
  if (!version) throw new SandboxError('NoSuchEntity', `Policy ${policy.arn} version ${id} does not exist or is not attachable.`, 404);
  return version;
}

function getPolicyVersion(ctx: OperationContext) {
  const v = findVersion(ctx, findPolicy(ctx));
  return { PolicyVersion: { Document: encodeDocument(v.document), VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: v.createDate } };
}

function listPolicyVersions(ctx: OperationContext) {
  const policy = findPolicy(ctx);
  const newestFirst = [...policy.versions].sort((a, b) => Number(b.versionId.slice(1)) - Number(a.versionId.slice(1)));
  const { page, ...more } = paginate(ctx, newestFirst);
  return { Versions: page.map((v) => ({ VersionId: v.versionId, IsDefaultVersion: v.isDefaultVersion, CreateDate: v.createDate })), ...more };
}

function createPolicyVersion(ctx: OperationContext) {
  const policy = localPolicy(ctx);
  if (policy.versions.length >= MAX_VERSIONS) {
    throw new SandboxError(
      'LimitExceeded',
      `A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
      409,
    );
  }
  const next = Math.max(...policy.versions.map((v) => Number(v.versionId.slice(1)))) + 1;
  const setDefault = String(ctx.params.SetAsDefault ?? 'false') === 'true';
  if (setDefault) for (const v of policy.versions) v.isDefaultVersion = false;
  const version = { versionId: `v${next}`, document: policyDocumentParam(ctx, 'PolicyDocument'), isDefaultVersion: setDefault, createDate: ctx.now };
  policy.versions.push(version);
  policy.updateDate = ctx.now;
  return { PolicyVersion: { VersionId: version.versionId, IsDefaultVersion: version.isDefaultVersion, CreateDate: version.createDate } };
}

function setDefaultPolicyVersion(ctx: OperationContext) {
  const policy = localPolicy(ctx);
  const version = findVersion(ctx, policy);
  for (const v of policy.versions) v.isDefaultVersion = v === version;
  policy.updateDate = ctx.now;
  return undefined;
}

function deletePolicyVersion(ctx: OperationContext) {
  const policy = localPolicy(ctx);
  const version = findVersion(ctx, policy);
  if (version.isDefaultVersion) throw new SandboxError('DeleteConflict', 'Cannot delete the default version of a policy.', 409);
  policy.versions.splice(policy.versions.indexOf(version), 1);
  return undefined;
}

function listEntitiesForPolicy(ctx: OperationContext) {
  const arn = findPolicy(ctx).arn;
  const filter = optionalString(ctx, 'EntityFilter');
  const s = ctx.state;
  const want = (kind: string) => !filter || filter === kind;
  return {
    PolicyGroups: want('Group') ? s.groups.filter((g) => g.attachedPolicyArns.includes(arn)).map((g) => ({ GroupName: g.groupName, GroupId: g.groupId })) : [],
    PolicyUsers: want('User') ? s.users.filter((u) => u.attachedPolicyArns.includes(arn)).map((u) => ({ UserName: u.userName, UserId: u.userId })) : [],
    PolicyRoles: want('Role') ? s.roles.filter((r) => r.attachedPolicyArns.includes(arn)).map((r) => ({ RoleName: r.roleName, RoleId: r.roleId })) : [],
    IsTruncated: false,
  };
}

function listGroups(ctx: OperationContext) {
  const { page, ...more } = paginate(ctx, pathPrefixFilter(ctx, ctx.state.groups));
  return { Groups: page.map(groupShape), ...more };
}

function getGroup(ctx: OperationContext) {
  const group = findGroup(ctx);
  const { page, ...more } = paginate(
    ctx,
    ctx.state.users.filter((u) => u.groups.includes(group.groupName)),
  );
  return { Group: groupShape(group), Users: page.map((u) => userShape(u)), ...more };
}

const groupPolicies = principalPolicyHandlers(
  'group',
  (ctx) => findGroup(ctx),
  (g) => ({ GroupName: g.groupName }),
);

export const policyHandlers: ServiceHandlers = {
  ListPolicies: listPolicies,
  GetPolicy: getPolicy,
  CreatePolicy: createPolicy,
  DeletePolicy: deletePolicy,
  GetPolicyVersion: getPolicyVersion,
  ListPolicyVersions: listPolicyVersions,
  CreatePolicyVersion: createPolicyVersion,
  SetDefaultPolicyVersion: setDefaultPolicyVersion,
  DeletePolicyVersion: deletePolicyVersion,
  ListEntitiesForPolicy: listEntitiesForPolicy,
  ListGroups: listGroups,
  GetGroup: getGroup,
  ListAttachedGroupPolicies: groupPolicies.listAttached,
  AttachGroupPolicy: groupPolicies.attach,
  DetachGroupPolicy: groupPolicies.detach,
  ListGroupPolicies: groupPolicies.listInline,
  GetGroupPolicy: groupPolicies.getInline,
  PutGroupPolicy: groupPolicies.putInline,
  DeleteGroupPolicy: groupPolicies.deleteInline,
};
