/**
 * R4: delete an unauthorized customer-managed policy: detach it from every user, group and role,
 * delete its non-default versions, then the policy (the order DeletePolicy requires).
 */
import {
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachGroupPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  paginateListEntitiesForPolicy,
  paginateListPolicyVersions,
  type ListEntitiesForPolicyCommandOutput,
  type Policy,
} from '@aws-sdk/client-iam';
import type { AwsClients } from '../../aws/clients';
import { removalLog } from './removal-log';
import { targetAs, type ActionDefinition } from '../types';
import { collect } from '../../aws/collect-pages';
import { decodePolicyDocument, readIfExists } from './iam-reads';

async function getPolicy(clients: AwsClients, policyArn: string): Promise<Policy | undefined> {
  return (await readIfExists(() => clients.iam().send(new GetPolicyCommand({ PolicyArn: policyArn }))))?.Policy;
}

async function entitiesFor(clients: AwsClients, policyArn: string) {
  const pages: ListEntitiesForPolicyCommandOutput[] = await collect(paginateListEntitiesForPolicy({ client: clients.iam() }, { PolicyArn: policyArn }), (p) => [
    p,
  ]);
  return {
    users: pages.flatMap((p) => p.PolicyUsers ?? []).map((u) => u.UserName!),
    groups: pages.flatMap((p) => p.PolicyGroups ?? []).map((g) => g.GroupName!),
    roles: pages.flatMap((p) => p.PolicyRoles ?? []).map((r) => r.RoleName!),
  };
}

export const deletePolicy: ActionDefinition = {
  id: 'policy.delete',
  step: 'R4',
  targetKind: 'policy',
  reversible: false,
  label: 'Delete policy',
  describe: (target, account) => ({
    account,
    region: 'global',
    resource: target.kind === 'policy' ? `managed policy ${target.policyArn}` : 'managed policy',
    effect:
      'Detaches the policy from every user, group and role, deletes its older versions and deletes it. Cannot be undone; every version document is saved to the audit record first.',
  }),
  async precheck(ctx) {
    const t = targetAs(ctx, 'policy');
    if (/^arn:aws[a-z-]*:iam::aws:policy\//.test(t.policyArn))
      return { ok: false, reason: `${t.policyArn} is an AWS managed policy; only customer-managed policies can be deleted.` };
    const policy = await getPolicy(ctx.clients, t.policyArn);
    if (!policy) return { ok: false, reason: `Policy ${t.policyArn} no longer exists.` };
    return { ok: true, before: { exists: true, attachments: await entitiesFor(ctx.clients, t.policyArn) } };
  },
  async execute(ctx) {
    const t = targetAs(ctx, 'policy');
    const iam = ctx.clients.iam();
    const versions = await collect(paginateListPolicyVersions({ client: iam }, { PolicyArn: t.policyArn }), (p) => p.Versions);
    const documents: Record<string, string> = {};
    for (const v of versions) {
      const doc = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: t.policyArn, VersionId: v.VersionId! }))).PolicyVersion?.Document;
      documents[`${v.VersionId}${v.IsDefaultVersion ? ' (default)' : ''}`] = doc ? decodePolicyDocument(doc) : '';
    }
    const attachments = await entitiesFor(ctx.clients, t.policyArn);
    await ctx.recordEvidence(`managed policy ${t.policyArn}`, { policy: await getPolicy(ctx.clients, t.policyArn), versions: documents, attachments });

    const log = removalLog(ctx);
    for (const UserName of attachments.users) {
      const input = { UserName, PolicyArn: t.policyArn };
      await log.remove('IAM:DetachUserPolicy', input, () => iam.send(new DetachUserPolicyCommand(input)), `detached from user ${UserName}`);
    }
    for (const GroupName of attachments.groups) {
      const input = { GroupName, PolicyArn: t.policyArn };
      await log.remove('IAM:DetachGroupPolicy', input, () => iam.send(new DetachGroupPolicyCommand(input)), `detached from group ${GroupName}`);
    }
    for (const RoleName of attachments.roles) {
      const input = { RoleName, PolicyArn: t.policyArn };
      await log.remove('IAM:DetachRolePolicy', input, () => iam.send(new DetachRolePolicyCommand(input)), `detached from role ${RoleName}`);
    }
    for (const v of versions.filter((version) => !version.IsDefaultVersion)) {
      const input = { PolicyArn: t.policyArn, VersionId: v.VersionId! };
      await log.remove('IAM:DeletePolicyVersion', input, () => iam.send(new DeletePolicyVersionCommand(input)), `version ${v.VersionId}`);
    }
    const input = { PolicyArn: t.policyArn };
    await log.remove('IAM:DeletePolicy', input, () => iam.send(new DeletePolicyCommand(input)), 'policy');
    return { details: { removed: log.removed } };
  },
  async verify(ctx) {
    const t = targetAs(ctx, 'policy');
    return (await getPolicy(ctx.clients, t.policyArn))
      ? { ok: false, after: { exists: true }, problem: `Policy ${t.policyArn} still exists.` }
      : { ok: true, after: { exists: false } };
  },
};
