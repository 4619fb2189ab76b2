/**
 * R2: delete an IAM user the team did not create. DeleteUser fails with DeleteConflict until every
 * dependent is gone, so they are removed first in AWS's documented order. Every step lists what is
 * there now and treats NoSuchEntity as done, so a deletion that stopped halfway resumes where it was.
 */
import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteServiceSpecificCredentialCommand,
  DeleteSigningCertificateCommand,
  DeleteSSHPublicKeyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  DeleteVirtualMFADeviceCommand,
  DetachUserPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  ListServiceSpecificCredentialsCommand,
  paginateListAttachedUserPolicies,
  paginateListGroupsForUser,
  paginateListMFADevices,
  paginateListSigningCertificates,
  paginateListSSHPublicKeys,
  paginateListUserPolicies,
  RemoveUserFromGroupCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients';
import { removalLog } from './removal-log';
import { targetAs, type ActionContext, type ActionDefinition } from '../types';
import { listKeys } from './access-key';
import { hasLoginProfile, userDescription, userExists } from './user';
import { collect } from '../../aws/collect-pages';
import { decodePolicyDocument, readIfExists } from './iam-reads';

/** Everything attached to a user: what the audit keeps before deletion, and what must go first. */
export async function readUserConfiguration(clients: AwsClients, userName: string): Promise<Record<string, unknown>> {
  const iam = clients.iam();
  const user = (await iam.send(new GetUserCommand({ UserName: userName }))).User;
  const profile = await readIfExists(() => iam.send(new GetLoginProfileCommand({ UserName: userName })));
  const lp = profile?.LoginProfile;
  const loginProfile = profile ? { createDate: lp?.CreateDate?.toISOString(), passwordResetRequired: lp?.PasswordResetRequired } : null;
  const inlineNames = await collect(paginateListUserPolicies({ client: iam }, { UserName: userName }), (p) => p.PolicyNames);
  const inlinePolicies: Record<string, string> = {};
  for (const name of inlineNames) {
    const doc = (await iam.send(new GetUserPolicyCommand({ UserName: userName, PolicyName: name }))).PolicyDocument;
    inlinePolicies[name] = doc ? decodePolicyDocument(doc) : '';
  }
  return {
    user: {
      userName: user?.UserName,
      arn: user?.Arn,
      userId: user?.UserId,
      path: user?.Path,
      createDate: user?.CreateDate?.toISOString(),
      tags: user?.Tags ?? [],
    },
    loginProfile,
    accessKeys: (await listKeys(clients, userName)).map((k) => ({ accessKeyId: k.AccessKeyId, status: k.Status, createDate: k.CreateDate?.toISOString() })),
    signingCertificates: (await collect(paginateListSigningCertificates({ client: iam }, { UserName: userName }), (p) => p.Certificates)).map((c) => ({
      certificateId: c.CertificateId,
      status: c.Status,
    })),
    sshPublicKeys: (await collect(paginateListSSHPublicKeys({ client: iam }, { UserName: userName }), (p) => p.SSHPublicKeys)).map((k) => ({
      sshPublicKeyId: k.SSHPublicKeyId,
      status: k.Status,
    })),
    serviceSpecificCredentials: ((await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: userName }))).ServiceSpecificCredentials ?? []).map(
      (c) => ({ id: c.ServiceSpecificCredentialId, serviceName: c.ServiceName, status: c.Status }),
    ),
    mfaDevices: (await collect(paginateListMFADevices({ client: iam }, { UserName: userName }), (p) => p.MFADevices)).map((d) => ({
      serialNumber: d.SerialNumber,
    })),
    inlinePolicies,
    attachedPolicies: (await collect(paginateListAttachedUserPolicies({ client: iam }, { UserName: userName }), (p) => p.AttachedPolicies)).map(
      (p) => p.PolicyArn,
    ),
    groups: (await collect(paginateListGroupsForUser({ client: iam }, { UserName: userName }), (p) => p.Groups)).map((g) => g.GroupName),
  };
}

/** Virtual MFA devices have an ARN serial (arn:aws:iam::123:mfa/name); hardware ones do not. */
function isVirtualMfa(serial: string): boolean {
  return serial.startsWith('arn:') && serial.includes(':mfa/');
}

async function removeDependents(ctx: ActionContext, userName: string): Promise<string[]> {
  const iam = ctx.clients.iam();
  const log = removalLog(ctx);

  // 1. Console password.
  if (await hasLoginProfile(ctx.clients, userName)) {
    const input = { UserName: userName };
    await log.remove('IAM:DeleteLoginProfile', input, () => iam.send(new DeleteLoginProfileCommand(input)), 'login profile');
  }
  // 2. Access keys.
  for (const k of await listKeys(ctx.clients, userName)) {
    const input = { UserName: userName, AccessKeyId: k.AccessKeyId! };
    await log.remove('IAM:DeleteAccessKey', input, () => iam.send(new DeleteAccessKeyCommand(input)), `access key ${k.AccessKeyId}`);
  }
  // 3. Signing certificates.
  for (const c of await collect(paginateListSigningCertificates({ client: iam }, { UserName: userName }), (p) => p.Certificates)) {
    const input = { UserName: userName, CertificateId: c.CertificateId! };
    await log.remove(
      'IAM:DeleteSigningCertificate',
      input,
      () => iam.send(new DeleteSigningCertificateCommand(input)),
      `signing certificate ${c.CertificateId}`,
    );
  }
  // 4. SSH public keys.
  for (const k of await collect(paginateListSSHPublicKeys({ client: iam }, { UserName: userName }), (p) => p.SSHPublicKeys)) {
    const input = { UserName: userName, SSHPublicKeyId: k.SSHPublicKeyId! };
    await log.remove('IAM:DeleteSSHPublicKey', input, () => iam.send(new DeleteSSHPublicKeyCommand(input)), `SSH key ${k.SSHPublicKeyId}`);
  }
  // 5. Service-specific credentials (CodeCommit, Keyspaces…).
  for (const c of (await iam.send(new ListServiceSpecificCredentialsCommand({ UserName: userName }))).ServiceSpecificCredentials ?? []) {
    const input = { UserName: userName, ServiceSpecificCredentialId: c.ServiceSpecificCredentialId! };
    await log.remove(
      'IAM:DeleteServiceSpecificCredential',
      input,
      () => iam.send(new DeleteServiceSpecificCredentialCommand(input)),
      `service credential ${c.ServiceSpecificCredentialId}`,
    );
  }
  // 6. MFA devices: deactivate, and delete the virtual ones.
  for (const d of await collect(paginateListMFADevices({ client: iam }, { UserName: userName }), (p) => p.MFADevices)) {
    const serial = d.SerialNumber!;
    const input = { UserName: userName, SerialNumber: serial };
    await log.remove('IAM:DeactivateMFADevice', input, () => iam.send(new DeactivateMFADeviceCommand(input)), `MFA device ${serial} deactivated`);
    if (isVirtualMfa(serial)) {
      const del = { SerialNumber: serial };
      await log.remove('IAM:DeleteVirtualMFADevice', del, () => iam.send(new DeleteVirtualMFADeviceCommand(del)), `virtual MFA device ${serial} deleted`);
    }
  }
  // 7. Inline policies.
  for (const name of await collect(paginateListUserPolicies({ client: iam }, { UserName: userName }), (p) => p.PolicyNames)) {
    const input = { UserName: userName, PolicyName: name };
    await log.remove('IAM:DeleteUserPolicy', input, () => iam.send(new DeleteUserPolicyCommand(input)), `inline policy ${name}`);
  }
  // 8. Attached managed policies.
  for (const p of await collect(paginateListAttachedUserPolicies({ client: iam }, { UserName: userName }), (page) => page.AttachedPolicies)) {
    const input = { UserName: userName, PolicyArn: p.PolicyArn! };
    await log.remove('IAM:DetachUserPolicy', input, () => iam.send(new DetachUserPolicyCommand(input)), `attached policy ${p.PolicyArn}`);
  }
  // 9. Group memberships.
  for (const g of await collect(paginateListGroupsForUser({ client: iam }, { UserName: userName }), (p) => p.Groups)) {
    const input = { UserName: userName, GroupName: g.GroupName! };
    await log.remove('IAM:RemoveUserFromGroup', input, () => iam.send(new RemoveUserFromGroupCommand(input)), `group ${g.GroupName}`);
  }
  // 10. The user.
  const input = { UserName: userName };
  await log.remove('IAM:DeleteUser', input, () => iam.send(new DeleteUserCommand(input)), 'user');
  return log.removed;
}

export const deleteUser: ActionDefinition = {
  id: 'user.delete',
  step: 'R2',
  targetKind: 'user',
  reversible: false,
  label: 'Delete user',
  describe: (target, account) =>
    userDescription(
      target,
      account,
      'Deletes the user and everything attached to it (password, access keys, certificates, SSH keys, service credentials, MFA devices, inline and attached policies, group memberships). Cannot be undone; the full configuration is saved to the audit record first.',
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'user');
    if (!(await userExists(ctx.clients, t.userName))) return { ok: false, reason: `IAM user ${t.userName} no longer exists.` };
    const config = await readUserConfiguration(ctx.clients, t.userName);
    return { ok: true, before: { exists: true, accessKeys: (config.accessKeys as unknown[]).length, groups: config.groups } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'user');
    // The configuration is in the audit before the first write, so the user can be rebuilt if needed.
    await ctx.recordEvidence(`configuration of IAM user ${t.userName}`, await readUserConfiguration(ctx.clients, t.userName));
    return { details: { removed: await removeDependents(ctx, t.userName) } };
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'user');
    return (await userExists(ctx.clients, t.userName))
      ? { ok: false, after: { exists: true }, problem: `IAM user ${t.userName} still exists.` }
      : { ok: true, after: { exists: false } };
  },
};
