/**
 * Runbook D5: IAM resources created in the window (roles, customer-managed policies) and role trust
 * policies that admit principals outside the account. Users and access keys created in the window come
 * from the credential report (credential-report check), which already lists them without more calls.
 */
import { paginateListPolicies, paginateListRoles, type Policy, type Role } from '@aws-sdk/client-iam';
import type { Check } from '../context';
import { inWindow, makeFinding } from '../context';
import { gapFrom, step } from '../errors';
import type { Finding, Gap } from '../model';
import { outsidePrincipals } from '../trust-policy';

const CHECK = 'iam-changes' as const;

export const iamChangesCheck: Check = async (ctx) => {
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  const iam = ctx.clients.iam();
  const [roles, policies] = await Promise.all([
    step('iam:ListRoles', async () => {
      const all: Role[] = [];
      for await (const page of paginateListRoles({ client: iam, pageSize: 1000 }, {})) all.push(...(page.Roles ?? []));
      return all;
    }).catch((err: unknown) => {
      gaps.push(gapFrom(CHECK, err));
      return [] as Role[];
    }),
    step('iam:ListPolicies', async () => {
      const all: Policy[] = [];
      for await (const page of paginateListPolicies({ client: iam, pageSize: 1000 }, { Scope: 'Local' })) all.push(...(page.Policies ?? []));
      return all;
    }).catch((err: unknown) => {
      gaps.push(gapFrom(CHECK, err));
      return [] as Policy[];
    }),
  ]);

  for (const role of roles) {
    if (!role.RoleName || !role.Arn) continue;
    const serviceLinked = role.Path?.startsWith('/aws-service-role/') ?? false;
    const created = inWindow(ctx, role.CreateDate);
    const outside = serviceLinked ? [] : outsidePrincipals(role.AssumeRolePolicyDocument, ctx.account);
    if (!created && !outside.length) continue;
    const severity = outside.includes('*') ? 'critical' : outside.length ? 'high' : serviceLinked ? 'low' : 'medium';
    const title = outside.length
      ? `Role ${role.RoleName} trusts principals outside the account${created ? ' and was created in the incident window' : ''}`
      : `Role ${role.RoleName} was created in the incident window`;
    findings.push(
      makeFinding(ctx, CHECK, role.Arn, {
        severity,
        step: 'D5',
        title,
        resources: [role.Arn],
        evidence: {
          created: role.CreateDate?.toISOString(),
          createdInWindow: created,
          outsidePrincipals: outside,
          serviceLinked,
          lastUsed: role.RoleLastUsed?.LastUsedDate?.toISOString(),
        },
        actions: serviceLinked ? [] : ['role.revoke-sessions', 'role.delete'],
        target: { kind: 'role', roleName: role.RoleName, arn: role.Arn },
      }),
    );
  }

  for (const p of policies) {
    if (!p.Arn || !inWindow(ctx, p.CreateDate)) continue;
    findings.push(
      makeFinding(ctx, CHECK, p.Arn, {
        severity: 'medium',
        step: 'D5',
        title: `Customer-managed policy ${p.PolicyName ?? p.Arn} was created in the incident window`,
        resources: [p.Arn],
        evidence: { created: p.CreateDate?.toISOString(), attachments: p.AttachmentCount ?? 0, defaultVersion: p.DefaultVersionId },
        actions: ['policy.delete'],
        target: { kind: 'policy', policyArn: p.Arn },
      }),
    );
  }
  ctx.detail(`iam-changes: ${roles.length} roles, ${policies.length} customer policies reviewed`);
  return { findings, gaps };
};
