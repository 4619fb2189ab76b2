/** IAM roles, their policies and instance profiles. */
import { nextId } from '../ids';
import { SandboxError, type IamRole, type OperationContext, type ServiceHandlers } from '../model';
import { findRole, optionalString, paginate, pathPrefixFilter, policyDocumentParam, requiredString, roleShape, validName } from './iam-common';
import { principalPolicyHandlers } from './iam-principal-policies';

function listRoles(ctx: OperationContext) {
  const { page, ...more } = paginate(ctx, pathPrefixFilter(ctx, ctx.state.roles));
  return { Roles: page.map((r) => roleShape(r)), ...more };
}

function getRole(ctx: OperationContext) {
  return { Role: roleShape(findRole(ctx), true) };
}

function createRole(ctx: OperationContext) {
  const roleName = validName(requiredString(ctx, 'RoleName'), 'RoleName');
  if (ctx.state.roles.some((r) => r.roleName.toLowerCase() === roleName.toLowerCase())) {
    throw new SandboxError('EntityAlreadyExists', `Role with name ${roleName} already exists.`, 409);
  }
  const path = optionalString(ctx, 'Path') ?? '/';
  const role: IamRole = {
    roleName,
    roleId: nextId(ctx.state, 'AROA', 17),
    arn: `arn:aws:iam::${ctx.state.accountId}:role${path}${roleName}`,
    path,
    createDate: ctx.now,
    assumeRolePolicyDocument: policyDocumentParam(ctx, 'AssumeRolePolicyDocument'),
    description: optionalString(ctx, 'Description'),
    maxSessionDuration: Number(ctx.params.MaxSessionDuration ?? 3600),
    inlinePolicies: [],
    attachedPolicyArns: [],
  };
  ctx.state.roles.push(role);
  return { Role: roleShape(role) };
}

function updateAssumeRolePolicy(ctx: OperationContext) {
  findRole(ctx).assumeRolePolicyDocument = policyDocumentParam(ctx, 'PolicyDocument');
  return undefined;
}

function deleteRole(ctx: OperationContext) {
  const role = findRole(ctx);
  const conflict = (what: string) => new SandboxError('DeleteConflict', `Cannot delete entity, must ${what} first.`, 409);
  if (ctx.state.instanceProfiles.some((p) => p.roleNames.includes(role.roleName))) throw conflict('remove roles from instance profile');
  if (role.inlinePolicies.length > 0) throw conflict('delete policies');
  if (role.attachedPolicyArns.length > 0) throw conflict('detach all policies');
  ctx.state.roles.splice(ctx.state.roles.indexOf(role), 1);
  return undefined;
}

function instanceProfileShape(ctx: OperationContext, p: OperationContext['state']['instanceProfiles'][number]) {
  return {
    Path: p.path,
    InstanceProfileName: p.instanceProfileName,
    InstanceProfileId: p.instanceProfileId,
    Arn: p.arn,
    CreateDate: p.createDate,
    Roles: ctx.state.roles.filter((r) => p.roleNames.includes(r.roleName)).map((r) => roleShape(r)),
  };
}

function listInstanceProfilesForRole(ctx: OperationContext) {
  const role = findRole(ctx);
  const { page, ...more } = paginate(
    ctx,
    ctx.state.instanceProfiles.filter((p) => p.roleNames.includes(role.roleName)),
  );
  return { InstanceProfiles: page.map((p) => instanceProfileShape(ctx, p)), ...more };
}

function listInstanceProfiles(ctx: OperationContext) {
  const { page, ...more } = paginate(ctx, pathPrefixFilter(ctx, ctx.state.instanceProfiles));
  return { InstanceProfiles: page.map((p) => instanceProfileShape(ctx, p)), ...more };
}

function findProfile(ctx: OperationContext) {
  const name = requiredString(ctx, 'InstanceProfileName');
  const profile = ctx.state.instanceProfiles.find((p) => p.instanceProfileName === name);
  if (!profile) throw new SandboxError('NoSuchEntity', `Instance Profile ${name} cannot be found.`, 404);
  return profile;
}

function getInstanceProfile(ctx: OperationContext) {
  return { InstanceProfile: instanceProfileShape(ctx, findProfile(ctx)) };
}

function removeRoleFromInstanceProfile(ctx: OperationContext) {
  const profile = findProfile(ctx);
  const role = findRole(ctx);
  const i = profile.roleNames.indexOf(role.roleName);
  if (i < 0)
    throw new SandboxError('NoSuchEntity', `The role with name ${role.roleName} cannot be found in instance profile ${profile.instanceProfileName}.`, 404);
  profile.roleNames.splice(i, 1);
  return undefined;
}

function addRoleToInstanceProfile(ctx: OperationContext) {
  const profile = findProfile(ctx);
  const role = findRole(ctx);
  if (profile.roleNames.length >= 1) throw new SandboxError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
  profile.roleNames.push(role.roleName);
  return undefined;
}

const rolePolicies = principalPolicyHandlers(
  'role',
  (ctx) => findRole(ctx),
  (r) => ({ RoleName: r.roleName }),
);

export const roleHandlers: ServiceHandlers = {
  ListRoles: listRoles,
  GetRole: getRole,
  CreateRole: createRole,
  UpdateAssumeRolePolicy: updateAssumeRolePolicy,
  DeleteRole: deleteRole,
  ListRolePolicies: rolePolicies.listInline,
  GetRolePolicy: rolePolicies.getInline,
  PutRolePolicy: rolePolicies.putInline,
  DeleteRolePolicy: rolePolicies.deleteInline,
  ListAttachedRolePolicies: rolePolicies.listAttached,
  AttachRolePolicy: rolePolicies.attach,
  DetachRolePolicy: rolePolicies.detach,
  ListInstanceProfilesForRole: listInstanceProfilesForRole,
  ListInstanceProfiles: listInstanceProfiles,
  GetInstanceProfile: getInstanceProfile,
  RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
  AddRoleToInstanceProfile: addRoleToInstanceProfile,
};
