/**
 * R3/R4: IAM roles. Revoke sessions issued before the approval (the same inline policy the IAM
 * console's "Revoke active sessions" writes) and delete an unauthorized role.
 */
import {
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  paginateListAttachedRolePolicies,
  paginateListInstanceProfilesForRole,
  paginateListRolePolicies,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  type Role,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients';
import { isNoSuchEntity } from '../aws-errors';
import { removalLog } from './removal-log';
import type { ActionTarget } from '../action-ids';
import { targetAs, type ActionDefinition, type ActionDescription } from '../types';
import { collect } from '../../aws/collect-pages';
import { decodePolicyDocument, readIfExists } from './iam-reads';

export const REVOKE_POLICY_NAME = 'AWSRevokeOlderSessions';

/** The document the IAM console attaches: deny everything to sessions issued before `cutoff`. */
export function revokeSessionsDocument(cutoff: Date): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Deny',
        Action: ['*'],
        Resource: ['*'],
        Condition: { DateLessThan: { 'aws:TokenIssueTime': cutoff.toISOString() } },
      },
    ],
  });
}

async function getRole(clients: AwsClients, roleName: string): Promise<Role | undefined> {
  return (await readIfExists(() => clients.iam().send(new GetRoleCommand({ RoleName: roleName }))))?.Role;
}

async function revokePolicyCutoff(clients: AwsClients, roleName: string): Promise<string | undefined> {
  try {
    const doc = (await clients.iam().send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: REVOKE_POLICY_NAME }))).PolicyDocument;
    if (!doc) return undefined;
    const parsed = JSON.parse(decodeURIComponent(doc)) as { Statement?: unknown };
    const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
    for (const s of statements) {
      const time = (s as { Condition?: { DateLessThan?: Record<string, unknown> } })?.Condition?.DateLessThan?.['aws:TokenIssueTime'];
      if (typeof time === 'string') return time;
    }
    return 'unknown';
  } catch (err) {
    if (isNoSuchEntity(err)) return undefined;
    if (err instanceof SyntaxError || err instanceof URIError) return 'unreadable';
    throw err;
  }
}

function roleDescription(target: ActionTarget, account: string, effect: string): ActionDescription {
  return { account, region: 'global', resource: target.kind === 'role' ? `IAM role ${target.roleName}` : 'IAM role', effect };
}

function isServiceLinked(role: Role): boolean {
  return (role.Path ?? '').startsWith('/aws-service-role/');
}

export const revokeRoleSessions: ActionDefinition = {
  id: 'role.revoke-sessions',
  step: 'R3',
  targetKind: 'role',
  // Removing the policy later does not bring the revoked sessions back, but it can be removed by hand.
  reversible: false,
  label: 'Revoke active sessions',
  describe: (target, account) =>
    roleDescription(
      target,
      account,
      `Adds the inline policy ${REVOKE_POLICY_NAME} denying every action to credentials issued for this role before the approval time. Anyone using the role must assume it again; new sessions are unaffected.`,
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'role');
    const role = await getRole(ctx.clients, t.roleName);
    if (!role) return { ok: false, reason: `IAM role ${t.roleName} no longer exists.` };
    if (isServiceLinked(role)) return { ok: false, reason: `${t.roleName} is a service-linked role: AWS does not allow revoking its sessions.` };
    return { ok: true, before: { revokedBefore: (await revokePolicyCutoff(ctx.clients, t.roleName)) ?? null } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'role');
    const input = { RoleName: t.roleName, PolicyName: REVOKE_POLICY_NAME, PolicyDocument: revokeSessionsDocument(ctx.approvedAt) };
    await ctx.write('IAM:PutRolePolicy', input, () => ctx.clients.iam().send(new PutRolePolicyCommand(input)));
    return { details: { cutoff: ctx.approvedAt.toISOString() } };
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'role');
    const cutoff = await revokePolicyCutoff(ctx.clients, t.roleName);
    const expected = ctx.approvedAt.toISOString();
    return cutoff === expected
      ? { ok: true, after: { revokedBefore: cutoff } }
      : {
          ok: false,
          after: { revokedBefore: cutoff ?? null },
          problem: `The role's ${REVOKE_POLICY_NAME} policy reads ${cutoff ?? 'absent'}, not ${expected}.`,
        };
  },
};

export async function readRoleConfiguration(clients: AwsClients, roleName: string): Promise<Record<string, unknown>> {
  const iam = clients.iam();
  const role = await getRole(clients, roleName);
  const inlineNames = await collect(paginateListRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.PolicyNames);
  const inlinePolicies: Record<string, string> = {};
  for (const name of inlineNames) {
    const doc = (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }))).PolicyDocument;
    inlinePolicies[name] = doc ? decodePolicyDocument(doc) : '';
  }
  return {
    role: {
      roleName: role?.RoleName,
      arn: role?.Arn,
      path: role?.Path,
      createDate: role?.CreateDate?.toISOString(),
      assumeRolePolicyDocument: role?.AssumeRolePolicyDocument ? decodePolicyDocument(role.AssumeRolePolicyDocument) : undefined,
      tags: role?.Tags ?? [],
    },
    instanceProfiles: (await collect(paginateListInstanceProfilesForRole({ client: iam }, { RoleName: roleName }), (p) => p.InstanceProfiles)).map(
      (p) => p.InstanceProfileName,
    ),
    inlinePolicies,
    attachedPolicies: (await collect(paginateListAttachedRolePolicies({ client: iam }, { RoleName: roleName }), (p) => p.AttachedPolicies)).map(
      (p) => p.PolicyArn,
    ),
  };
}

export const deleteRole: ActionDefinition = {
  id: 'role.delete',
  step: 'R4',
  targetKind: 'role',
  reversible: false,
  label: 'Delete role',
  describe: (target, account) =>
    roleDescription(
      target,
      account,
      'Removes the role from its instance profiles, deletes its inline policies, detaches its managed policies and deletes the role. Cannot be undone; its configuration (trust policy included) is saved to the audit record first.',
    ),
  async precheck(ctx) {
    const t = targetAs(ctx, 'role');
    const role = await getRole(ctx.clients, t.roleName);
    if (!role) return { ok: false, reason: `IAM role ${t.roleName} no longer exists.` };
    if (isServiceLinked(role)) return { ok: false, reason: `${t.roleName} is a service-linked role: delete it through the service that created it.` };
    return { ok: true, before: { exists: true, arn: role.Arn } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'role');
    const iam = ctx.clients.iam();
    await ctx.recordEvidence(`configuration of IAM role ${t.roleName}`, await readRoleConfiguration(ctx.clients, t.roleName));
    const log = removalLog(ctx);
    for (const p of await collect(paginateListInstanceProfilesForRole({ client: iam }, { RoleName: t.roleName }), (page) => page.InstanceProfiles)) {
      const input = { InstanceProfileName: p.InstanceProfileName!, RoleName: t.roleName };
      await log.remove(
        'IAM:RemoveRoleFromInstanceProfile',
        input,
        () => iam.send(new RemoveRoleFromInstanceProfileCommand(input)),
        `instance profile ${p.InstanceProfileName}`,
      );
    }
    for (const name of await collect(paginateListRolePolicies({ client: iam }, { RoleName: t.roleName }), (p) => p.PolicyNames)) {
      const input = { RoleName: t.roleName, PolicyName: name };
      await log.remove('IAM:DeleteRolePolicy', input, () => iam.send(new DeleteRolePolicyCommand(input)), `inline policy ${name}`);
    }
    for (const p of await collect(paginateListAttachedRolePolicies({ client: iam }, { RoleName: t.roleName }), (page) => page.AttachedPolicies)) {
      const input = { RoleName: t.roleName, PolicyArn: p.PolicyArn! };
      await log.remove('IAM:DetachRolePolicy', input, () => iam.send(new DetachRolePolicyCommand(input)), `attached policy ${p.PolicyArn}`);
    }
    const input = { RoleName: t.roleName };
    await log.remove('IAM:DeleteRole', input, () => iam.send(new DeleteRoleCommand(input)), 'role');
    return { details: { removed: log.removed } };
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'role');
    return (await getRole(ctx.clients, t.roleName))
      ? { ok: false, after: { exists: true }, problem: `IAM role ${t.roleName} still exists.` }
      : { ok: true, after: { exists: false } };
  },
};
