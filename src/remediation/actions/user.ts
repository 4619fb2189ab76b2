/**
 * R2: IAM users. Deactivate all keys, quarantine with a deny-all inline policy (undo removes it),
 * disable the console password. Deletion lives in user-delete.ts.
 */
import {
  DeleteLoginProfileCommand,
  DeleteUserPolicyCommand,
  GetLoginProfileCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients';
import type { ActionTarget } from '../action-ids';
import { targetAs, type ActionDefinition, type ActionDescription } from '../types';
import { listKeys } from './access-key';
import { readIfExists } from './iam-reads';

export const QUARANTINE_POLICY_NAME = 'AWSIRQuarantine';

export const QUARANTINE_POLICY_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AWSIRQuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
});

export function userDescription(target: ActionTarget, account: string, effect: string): ActionDescription {
  return { account, region: 'global', resource: target.kind === 'user' ? `IAM user ${target.userName}` : 'IAM user', effect };
}

export async function userExists(clients: AwsClients, userName: string): Promise<boolean> {
  return (await readIfExists(() => clients.iam().send(new GetUserCommand({ UserName: userName })))) !== undefined;
}

export async function hasLoginProfile(clients: AwsClients, userName: string): Promise<boolean> {
  return (await readIfExists(() => clients.iam().send(new GetLoginProfileCommand({ UserName: userName })))) !== undefined;
}

async function hasQuarantinePolicy(clients: AwsClients, userName: string): Promise<boolean> {
  return (await readIfExists(() => clients.iam().send(new GetUserPolicyCommand({ UserName: userName, PolicyName: QUARANTINE_POLICY_NAME })))) !== undefined;
}

export const deactivateUserKeys: ActionDefinition = {
  id: 'user.deactivate-keys',
  step: 'R2',
  targetKind: 'user',
  reversible: true,
  label: 'Deactivate all access keys',
  describe: (target, account) =>
    userDescription(
      target,
      account,
      'Sets every active access key of the user to Inactive. Each key can be reactivated one by one; the owner creates replacement keys.',
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'user');
    if (!(await userExists(ctx.clients, t.userName))) return { ok: false, reason: `IAM user ${t.userName} no longer exists.` };
    const keys = await listKeys(ctx.clients, t.userName);
    const active = keys.filter((k) => k.Status === 'Active');
    if (active.length === 0) return { ok: false, reason: `IAM user ${t.userName} has no active access key.` };
    return { ok: true, before: { keys: keys.map((k) => ({ accessKeyId: k.AccessKeyId, status: k.Status })) } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'user');
    const keys = await listKeys(ctx.clients, t.userName);
    const changed: string[] = [];
    for (const k of keys.filter((key) => key.Status === 'Active')) {
      const input = { UserName: t.userName, AccessKeyId: k.AccessKeyId!, Status: 'Inactive' as const };
      await ctx.write('IAM:UpdateAccessKey', input, () => ctx.clients.iam().send(new UpdateAccessKeyCommand(input)));
      changed.push(k.AccessKeyId!);
    }
    return { details: { deactivated: changed } };
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'user');
    const keys = await listKeys(ctx.clients, t.userName);
    const after = { keys: keys.map((k) => ({ accessKeyId: k.AccessKeyId, status: k.Status })) };
    const stillActive = keys.filter((k) => k.Status === 'Active').map((k) => k.AccessKeyId);
    return stillActive.length ? { ok: false, after, problem: `Still active after the change: ${stillActive.join(', ')}.` } : { ok: true, after };
  },
};

export const quarantineUser: ActionDefinition = {
  id: 'user.quarantine',
  step: 'R2',
  targetKind: 'user',
  reversible: true,
  undo: 'user.unquarantine',
  label: 'Quarantine user',
  describe: (target, account) =>
    userDescription(
      target,
      account,
      `Adds the inline policy ${QUARANTINE_POLICY_NAME} that denies every action: the user's keys, password and sessions can do nothing in this account. Undo removes the policy.`,
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'user');
    if (!(await userExists(ctx.clients, t.userName))) return { ok: false, reason: `IAM user ${t.userName} no longer exists.` };
    if (await hasQuarantinePolicy(ctx.clients, t.userName))
      return { ok: false, reason: `IAM user ${t.userName} is already quarantined (${QUARANTINE_POLICY_NAME} is attached).` };
    return { ok: true, before: { quarantinePolicy: 'absent' } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'user');
    const input = { UserName: t.userName, PolicyName: QUARANTINE_POLICY_NAME, PolicyDocument: QUARANTINE_POLICY_DOCUMENT };
    await ctx.write('IAM:PutUserPolicy', input, () => ctx.clients.iam().send(new PutUserPolicyCommand(input)));
    return {};
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'user');
    return (await hasQuarantinePolicy(ctx.clients, t.userName))
      ? { ok: true, after: { quarantinePolicy: 'present' } }
      : { ok: false, after: { quarantinePolicy: 'absent' }, problem: 'The quarantine policy is not on the user after the change.' };
  },
};

export const unquarantineUser: ActionDefinition = {
  id: 'user.unquarantine',
  step: 'R2',
  targetKind: 'user',
  reversible: true,
  undo: 'user.quarantine',
  label: 'Remove quarantine',
  describe: (target, account) =>
    userDescription(target, account, `Removes the inline deny-all policy ${QUARANTINE_POLICY_NAME}: the user's other permissions apply again.`),
  async precheck(ctx) {
    const t = targetAs(ctx, 'user');
    if (!(await hasQuarantinePolicy(ctx.clients, t.userName))) return { ok: false, reason: `IAM user ${t.userName} does not carry ${QUARANTINE_POLICY_NAME}.` };
    return { ok: true, before: { quarantinePolicy: 'present' } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'user');
    const input = { UserName: t.userName, PolicyName: QUARANTINE_POLICY_NAME };
    await ctx.write('IAM:DeleteUserPolicy', input, () => ctx.clients.iam().send(new DeleteUserPolicyCommand(input)));
    return {};
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'user');
    return (await hasQuarantinePolicy(ctx.clients, t.userName))
      ? { ok: false, after: { quarantinePolicy: 'present' }, problem: 'The quarantine policy is still on the user.' }
      : { ok: true, after: { quarantinePolicy: 'absent' } };
  },
};

export const disableUserPassword: ActionDefinition = {
  id: 'user.disable-password',
  step: 'R2',
  targetKind: 'user',
  reversible: false,
  label: 'Disable console password',
  describe: (target, account) =>
    userDescription(
      target,
      account,
      "Deletes the user's login profile: the console password stops working at once. A new password must be set by an administrator to restore console access.",
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'user');
    if (!(await hasLoginProfile(ctx.clients, t.userName))) return { ok: false, reason: `IAM user ${t.userName} has no console password.` };
    return { ok: true, before: { consolePassword: 'enabled' } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'user');
    const input = { UserName: t.userName };
    await ctx.write('IAM:DeleteLoginProfile', input, () => ctx.clients.iam().send(new DeleteLoginProfileCommand(input)));
    return {};
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'user');
    return (await hasLoginProfile(ctx.clients, t.userName))
      ? { ok: false, after: { consolePassword: 'enabled' }, problem: 'The login profile still exists.' }
      : { ok: true, after: { consolePassword: 'disabled' } };
  },
};
