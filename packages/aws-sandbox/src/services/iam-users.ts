/** IAM users and everything hanging off them: keys, passwords, MFA, certificates, SSH keys, policies, groups. */
import { randomBytes } from 'node:crypto';
import { nextId, stableId } from '../ids';
import { SandboxError, type IamUser, type OperationContext, type ServiceHandlers } from '../model';
import { findGroup, findUser, groupShape, optionalString, paginate, pathPrefixFilter, requiredString, userShape, validName } from './iam-common';
import { principalPolicyHandlers } from './iam-principal-policies';

const MAX_KEYS_PER_USER = 2;

function listUsers(ctx: OperationContext) {
  const { page, ...more } = paginate(ctx, pathPrefixFilter(ctx, ctx.state.users));
  return { Users: page.map((u) => userShape(u)), ...more };
}

function getUser(ctx: OperationContext) {
  if (!optionalString(ctx, 'UserName') && ctx.caller.type !== 'user') {
    // Root and the sandbox administrator have no IAM user of the account; AWS answers for root with its ARN.
    return { User: { UserId: ctx.caller.principalId, Arn: ctx.caller.arn, CreateDate: ctx.state.root.createDate, Path: '/', UserName: ctx.caller.userName } };
  }
  return { User: userShape(findUser(ctx), true) };
}

function createUser(ctx: OperationContext) {
  const userName = validName(requiredString(ctx, 'UserName'), 'UserName');
  if (ctx.state.users.some((u) => u.userName.toLowerCase() === userName.toLowerCase())) {
    throw new SandboxError('EntityAlreadyExists', `User with name ${userName} already exists.`, 409);
  }
  const path = optionalString(ctx, 'Path') ?? '/';
  const tags = Array.isArray(ctx.params.Tags) ? (ctx.params.Tags as { Key: string; Value: string }[]) : [];
  const user: IamUser = {
    userName,
    userId: nextId(ctx.state, 'AIDA', 17),
    arn: `arn:aws:iam::${ctx.state.accountId}:user${path}${userName}`,
    path,
    createDate: ctx.now,
    accessKeys: [],
    mfaDevices: [],
    signingCertificates: [],
    sshPublicKeys: [],
    serviceSpecificCredentials: [],
    inlinePolicies: [],
    attachedPolicyArns: [],
    groups: [],
    tags,
  };
  ctx.state.users.push(user);
  return { User: userShape(user, true) };
}

/** AWS refuses to delete a user until every dependent is gone, naming the first one it finds. */
function deleteUser(ctx: OperationContext) {
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  const conflict = (what: string) => new SandboxError('DeleteConflict', `Cannot delete entity, must ${what} first.`, 409);
  if (user.loginProfile) throw conflict('delete login profile');
  if (user.accessKeys.length > 0) throw conflict('delete access keys');
  if (user.signingCertificates.length > 0) throw conflict('delete signing certificates');
  if (user.sshPublicKeys.length > 0) throw conflict('delete SSH public keys');
  if (user.serviceSpecificCredentials.length > 0) throw conflict('delete service-specific credentials');
  if (user.mfaDevices.length > 0) throw conflict('delete MFA devices');
  if (user.inlinePolicies.length > 0) throw conflict('delete policies');
  if (user.attachedPolicyArns.length > 0) throw conflict('detach all policies');
  if (user.groups.length > 0) throw conflict('remove users from group');
  ctx.state.users.splice(ctx.state.users.indexOf(user), 1);
  return undefined;
}

function listAccessKeys(ctx: OperationContext) {
  if (!optionalString(ctx, 'UserName') && ctx.caller.type !== 'user') {
    const keys = ctx.caller.type === 'root' ? ctx.state.root.accessKeys : [];
    return { AccessKeyMetadata: keys.map((k) => ({ AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate })), IsTruncated: false };
  }
  const user = findUser(ctx);
  const { page, ...more } = paginate(ctx, user.accessKeys);
  return {
    AccessKeyMetadata: page.map((k) => ({ UserName: user.userName, AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate })),
    ...more,
  };
}

function findKey(ctx: OperationContext, user: IamUser) {
  const id = requiredString(ctx, 'AccessKeyId');
  const key = user.accessKeys.find((k) => k.accessKeyId === id);
  if (!key) throw new SandboxError('NoSuchEntity', `The Access Key with id ${id} cannot be found.`, 404);
  return key;
}

function createAccessKey(ctx: OperationContext) {
  const user = findUser(ctx);
  if (user.accessKeys.length >= MAX_KEYS_PER_USER) {
    throw new SandboxError('LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`, 409);
  }
  const key = {
    accessKeyId: nextId(ctx.state, 'AKIA', 16),
    secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
    status: 'Active' as const,
    createDate: ctx.now,
  };
  user.accessKeys.push(key);
  return {
    AccessKey: { UserName: user.userName, AccessKeyId: key.accessKeyId, Status: key.status, SecretAccessKey: key.secretAccessKey, CreateDate: key.createDate },
  };
}

function updateAccessKey(ctx: OperationContext) {
  const key = findKey(ctx, findUser(ctx));
  const status = requiredString(ctx, 'Status');
  if (status !== 'Active' && status !== 'Inactive') {
    throw new SandboxError(
      'ValidationError',
      `1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`,
    );
  }
  key.status = status;
  return undefined;
}

function deleteAccessKey(ctx: OperationContext) {
  const user = findUser(ctx);
  const key = findKey(ctx, user);
  user.accessKeys.splice(user.accessKeys.indexOf(key), 1);
  return undefined;
}

function getAccessKeyLastUsed(ctx: OperationContext) {
  const id = requiredString(ctx, 'AccessKeyId');
  const owner = ctx.state.users.find((u) => u.accessKeys.some((k) => k.accessKeyId === id));
  const key = owner?.accessKeys.find((k) => k.accessKeyId === id) ?? ctx.state.root.accessKeys.find((k) => k.accessKeyId === id);
  if (!key)
    throw new SandboxError('AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: access key ${id}`, 403);
  return {
    UserName: owner?.userName ?? 'root',
    AccessKeyLastUsed: key.lastUsedDate
      ? { LastUsedDate: key.lastUsedDate, ServiceName: key.lastUsedService ?? 'N/A', Region: key.lastUsedRegion ?? 'N/A' }
      : { ServiceName: 'N/A', Region: 'N/A' },
  };
}

function loginProfileOf(user: IamUser) {
  if (!user.loginProfile) throw new SandboxError('NoSuchEntity', `Login Profile for User ${user.userName} cannot be found.`, 404);
  return user.loginProfile;
}

function getLoginProfile(ctx: OperationContext) {
  const user = findUser(ctx);
  const lp = loginProfileOf(user);
  return { LoginProfile: { UserName: user.userName, CreateDate: lp.createDate, PasswordResetRequired: lp.passwordResetRequired } };
}

function createLoginProfile(ctx: OperationContext) {
  const user = findUser(ctx);
  if (user.loginProfile) throw new SandboxError('EntityAlreadyExists', `Login Profile for user ${user.userName} already exists.`, 409);
  requiredString(ctx, 'Password');
  const reset = String(ctx.params.PasswordResetRequired ?? 'false') === 'true';
  user.loginProfile = { createDate: ctx.now, passwordLastChanged: ctx.now, passwordResetRequired: reset };
  return { LoginProfile: { UserName: user.userName, CreateDate: ctx.now, PasswordResetRequired: reset } };
}

function updateLoginProfile(ctx: OperationContext) {
  const lp = loginProfileOf(findUser(ctx));
  if (optionalString(ctx, 'Password')) lp.passwordLastChanged = ctx.now;
  if (ctx.params.PasswordResetRequired !== undefined) lp.passwordResetRequired = String(ctx.params.PasswordResetRequired) === 'true';
  return undefined;
}

function deleteLoginProfile(ctx: OperationContext) {
  const user = findUser(ctx);
  loginProfileOf(user);
  user.loginProfile = undefined;
  return undefined;
}

function listMfaDevices(ctx: OperationContext) {
  const user = findUser(ctx);
  const { page, ...more } = paginate(ctx, user.mfaDevices);
  return { MFADevices: page.map((d) => ({ UserName: user.userName, SerialNumber: d.serialNumber, EnableDate: d.enableDate })), ...more };
}

function listVirtualMfaDevices(ctx: OperationContext) {
  const status = optionalString(ctx, 'AssignmentStatus') ?? 'Any';
  const assigned = ctx.state.users.flatMap((u) => u.mfaDevices.filter((d) => d.virtual).map((d) => ({ d, u })));
  const unassigned = (ctx.state.unassignedVirtualMfaDevices ?? []).map((d) => ({ d, u: undefined }));
  const all = status === 'Assigned' ? assigned : status === 'Unassigned' ? unassigned : [...assigned, ...unassigned];
  const { page, ...more } = paginate(ctx, all);
  return {
    VirtualMFADevices: page.map(({ d, u }) => ({ SerialNumber: d.serialNumber, User: u ? userShape(u) : undefined, EnableDate: u ? d.enableDate : undefined })),
    ...more,
  };
}

function deactivateMfaDevice(ctx: OperationContext) {
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  const serial = requiredString(ctx, 'SerialNumber');
  const device = user.mfaDevices.find((d) => d.serialNumber === serial);
  if (!device) throw new SandboxError('NoSuchEntity', `MFA Device with serial number ${serial} does not exist.`, 404);
  user.mfaDevices.splice(user.mfaDevices.indexOf(device), 1);
  // A virtual device outlives its assignment until DeleteVirtualMFADevice, as in IAM.
  if (device.virtual) {
    ctx.state.unassignedVirtualMfaDevices ??= [];
    ctx.state.unassignedVirtualMfaDevices.push(device);
  }
  return undefined;
}

function deleteVirtualMfaDevice(ctx: OperationContext) {
  const serial = requiredString(ctx, 'SerialNumber');
  if (ctx.state.users.some((u) => u.mfaDevices.some((d) => d.serialNumber === serial))) {
    throw new SandboxError('DeleteConflict', 'MFA Device is still in use.', 409);
  }
  const list = ctx.state.unassignedVirtualMfaDevices ?? [];
  const i = list.findIndex((d) => d.serialNumber === serial);
  if (i < 0) throw new SandboxError('NoSuchEntity', `VirtualMFADevice with serial number ${serial} doesn't exist.`, 404);
  list.splice(i, 1);
  return undefined;
}

const FAKE_CERT = '-----BEGIN CERTIFICATE-----\nMIIBsandboxcertificatebody\n-----END CERTIFICATE-----';

function listSigningCertificates(ctx: OperationContext) {
  const user = findUser(ctx);
  const { page, ...more } = paginate(ctx, user.signingCertificates);
  return {
    Certificates: page.map((c) => ({
      UserName: user.userName,
      CertificateId: c.certificateId,
      CertificateBody: FAKE_CERT,
      Status: c.status,
      UploadDate: c.uploadDate,
    })),
    ...more,
  };
}

function deleteSigningCertificate(ctx: OperationContext) {
  const user = findUser(ctx);
  const id = requiredString(ctx, 'CertificateId');
  const i = user.signingCertificates.findIndex((c) => c.certificateId === id);
  if (i < 0) throw new SandboxError('NoSuchEntity', `The Certificate with id ${id} cannot be found.`, 404);
  user.signingCertificates.splice(i, 1);
  return undefined;
}

function listSshPublicKeys(ctx: OperationContext) {
  const user = findUser(ctx);
  const { page, ...more } = paginate(ctx, user.sshPublicKeys);
  return {
    SSHPublicKeys: page.map((k) => ({ UserName: user.userName, SSHPublicKeyId: k.sshPublicKeyId, Status: k.status, UploadDate: k.uploadDate })),
    ...more,
  };
}

function deleteSshPublicKey(ctx: OperationContext) {
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  const id = requiredString(ctx, 'SSHPublicKeyId');
  const i = user.sshPublicKeys.findIndex((k) => k.sshPublicKeyId === id);
  if (i < 0) throw new SandboxError('NoSuchEntity', `The Public Key with id ${id} cannot be found.`, 404);
  user.sshPublicKeys.splice(i, 1);
  return undefined;
}

function listServiceSpecificCredentials(ctx: OperationContext) {
  const user = findUser(ctx);
  const service = optionalString(ctx, 'ServiceName');
  return {
    ServiceSpecificCredentials: user.serviceSpecificCredentials
      .filter((c) => !service || c.serviceName === service)
      .map((c) => ({
        UserName: user.userName,
        Status: c.status,
        ServiceUserName: `${user.userName}-at-${ctx.state.accountId}`,
        CreateDate: c.createDate,
        ServiceSpecificCredentialId: c.serviceSpecificCredentialId,
        ServiceName: c.serviceName,
      })),
  };
}

function deleteServiceSpecificCredential(ctx: OperationContext) {
  const user = findUser(ctx);
  const id = requiredString(ctx, 'ServiceSpecificCredentialId');
  const i = user.serviceSpecificCredentials.findIndex((c) => c.serviceSpecificCredentialId === id);
  if (i < 0) throw new SandboxError('NoSuchEntity', `No such credential ${id} exists for user ${user.userName}.`, 404);
  user.serviceSpecificCredentials.splice(i, 1);
  return undefined;
}

function listGroupsForUser(ctx: OperationContext) {
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  const groups = ctx.state.groups.filter((g) => user.groups.includes(g.groupName));
  const { page, ...more } = paginate(ctx, groups);
  return { Groups: page.map(groupShape), ...more };
}

function addUserToGroup(ctx: OperationContext) {
  const group = findGroup(ctx);
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  if (!user.groups.includes(group.groupName)) user.groups.push(group.groupName);
  return undefined;
}

function removeUserFromGroup(ctx: OperationContext) {
  const group = findGroup(ctx);
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  const i = user.groups.indexOf(group.groupName);
  if (i < 0) throw new SandboxError('NoSuchEntity', `User ${user.userName} is not in group ${group.groupName}.`, 404);
  user.groups.splice(i, 1);
  return undefined;
}

function tagUser(ctx: OperationContext) {
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  const tags = Array.isArray(ctx.params.Tags) ? (ctx.params.Tags as { Key: string; Value: string }[]) : [];
  for (const t of tags) {
    const existing = user.tags.find((x) => x.Key === t.Key);
    if (existing) existing.Value = t.Value;
    else user.tags.push({ Key: t.Key, Value: t.Value });
  }
  return undefined;
}

function listUserTags(ctx: OperationContext) {
  const user = findUser(ctx, requiredString(ctx, 'UserName'));
  return { Tags: user.tags, IsTruncated: false };
}

function createVirtualMfaDevice(ctx: OperationContext) {
  const name = validName(requiredString(ctx, 'VirtualMFADeviceName'), 'VirtualMFADeviceName');
  const serialNumber = `arn:aws:iam::${ctx.state.accountId}:mfa/${name}`;
  ctx.state.unassignedVirtualMfaDevices ??= [];
  ctx.state.unassignedVirtualMfaDevices.push({ serialNumber, virtual: true, enableDate: ctx.now });
  return { VirtualMFADevice: { SerialNumber: serialNumber, Base32StringSeed: stableId('', serialNumber, 32) } };
}

const userPolicies = principalPolicyHandlers(
  'user',
  (ctx) => findUser(ctx, requiredString(ctx, 'UserName')),
  (u) => ({ UserName: u.userName }),
);

export const userHandlers: ServiceHandlers = {
  ListUsers: listUsers,
  GetUser: getUser,
  CreateUser: createUser,
  DeleteUser: deleteUser,
  TagUser: tagUser,
  ListUserTags: listUserTags,
  ListAccessKeys: listAccessKeys,
  CreateAccessKey: createAccessKey,
  UpdateAccessKey: updateAccessKey,
  DeleteAccessKey: deleteAccessKey,
  GetAccessKeyLastUsed: getAccessKeyLastUsed,
  GetLoginProfile: getLoginProfile,
  CreateLoginProfile: createLoginProfile,
  UpdateLoginProfile: updateLoginProfile,
  DeleteLoginProfile: deleteLoginProfile,
  ListMFADevices: listMfaDevices,
  ListVirtualMFADevices: listVirtualMfaDevices,
  CreateVirtualMFADevice: createVirtualMfaDevice,
  DeactivateMFADevice: deactivateMfaDevice,
  DeleteVirtualMFADevice: deleteVirtualMfaDevice,
  ListSigningCertificates: listSigningCertificates,
  DeleteSigningCertificate: deleteSigningCertificate,
  ListSSHPublicKeys: listSshPublicKeys,
  DeleteSSHPublicKey: deleteSshPublicKey,
  ListServiceSpecificCredentials: listServiceSpecificCredentials,
  DeleteServiceSpecificCredential: deleteServiceSpecificCredential,
  ListUserPolicies: userPolicies.listInline,
  GetUserPolicy: userPolicies.getInline,
  PutUserPolicy: userPolicies.putInline,
  DeleteUserPolicy: userPolicies.deleteInline,
  ListAttachedUserPolicies: userPolicies.listAttached,
  AttachUserPolicy: userPolicies.attach,
  DetachUserPolicy: userPolicies.detach,
  ListGroupsForUser: listGroupsForUser,
  AddUserToGroup: addUserToGroup,
  RemoveUserFromGroup: removeUserFromGroup,
};
