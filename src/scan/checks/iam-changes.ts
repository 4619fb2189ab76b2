/**
 * Runbook D5: IAM resources created in the window (roles, customer-managed policies) and role trust
 * policies that admit principals outside the account: high when the role was created or its trust changed
 * in the window (CloudTrail says which), low ("confirm the vendor") when long-standing and pinned to the
 * outside account by an ExternalId. Users and access keys created in the window come
 * from the credential report (credential-report check), which already lists them without more calls.
 */
import { paginateListPolicies, paginateListRoles, type Policy, type Role } from '@aws-sdk/client-iam';
import type { Check } from '../context';
import { inWindow, makeFinding } from '../context';
import { gapFrom, step } from '../errors';
import type { Finding, Gap, Severity } from '../model';
import type { CheckContext } from '../context';
import { outsidePrincipalsOf } from '../detections/conditions';
import { parsePolicyDocument } from '../trust-policy';
import { trailWindow } from '../trail-window';

const CHECK = 'iam-changes' as const;

/** The account id of a principal written as an ARN or a bare account id. */
function principalAccount(principal: string): string | undefined {
  return /^\d{12}$/.test(principal) ? principal : /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

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

  const changed = await trustChangedInWindow(ctx);
  for (const role of roles) {
    if (!role.RoleName || !role.Arn) continue;
    const serviceLinked = role.Path?.startsWith('/aws-service-role/') ?? false;
    const created = inWindow(ctx, role.CreateDate);
    const trustChanged = changed.roles.has(role.RoleName);
    // In an organization sweep, a long-standing trust in another account of the same organization
    // (the management account's aws-ir role, a shared-services account) is inside, unless it is new.
    const settled = !created && !trustChanged && changed.known;
    const outside = (serviceLinked ? [] : outsidePrincipalsOf(parsePolicyDocument(role.AssumeRolePolicyDocument), ctx.account)).filter(
      (p) => !(settled && ctx.organizationAccounts?.has(principalAccount(p.principal) ?? '')),
    );
    if (!created && !outside.length) continue;
    const anyone = outside.some((p) => p.principal === '*');
    // A vendor's long-standing role, pinned to the vendor by an ExternalId: confirm the vendor, no alarm.
    const pinnedVendor = outside.length > 0 && outside.every((p) => p.externalId);
    let severity: Severity;
    let stance: string;
    if (anyone) [severity, stance] = ['critical', 'admits anyone (*)'];
    else if (outside.length && (created || trustChanged))
      [severity, stance] = ['high', created ? 'created in the window' : 'trust policy changed in the window'];
    else if (outside.length && !changed.known)
      [severity, stance] = ['medium', 'whether its trust policy changed in the window is unknown (CloudTrail not read)'];
    else if (outside.length && pinnedVendor) [severity, stance] = ['low', 'long-standing, pinned to the outside account by an ExternalId: confirm the vendor'];
    else if (outside.length) [severity, stance] = ['medium', 'long-standing, with no ExternalId condition (confused-deputy risk)'];
    else [severity, stance] = [serviceLinked ? 'low' : 'medium', 'created in the window'];
    const title = outside.length
      ? `Role ${role.RoleName} trusts principals outside the account${created ? ' and was created in the incident window' : trustChanged ? ' and its trust policy changed in the incident window' : ''}`
      : `Role ${role.RoleName} was created in the incident window`;
    findings.push(
      makeFinding(ctx, CHECK, role.Arn, {
        severity,
        step: 'D5',
        title,
        resources: [role.Arn, ...new Set(outside.map((p) => p.principal))],
        evidence: {
          created: role.CreateDate?.toISOString(),
          createdInWindow: created,
          trustChangedInWindow: changed.known ? trustChanged : 'unknown',
          outsidePrincipals: outside.map((p) => p.principal),
          externalId: outside.length ? pinnedVendor : undefined,
          stance,
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

/** Roles whose trust policy a principal (not AWS) changed, or that were created, in the window, per CloudTrail (IAM events are in us-east-1). */
async function trustChangedInWindow(ctx: CheckContext): Promise<{ known: boolean; roles: Set<string> }> {
  const trail = await trailWindow(ctx);
  const roles = new Set<string>();
  for (const e of trail.events) {
    if (e.errorCode || e.awsOrigin || !inWindow(ctx, e.time)) continue;
    if (e.eventName !== 'UpdateAssumeRolePolicy' && e.eventName !== 'CreateRole') continue;
    const name = e.request?.roleName;
    if (typeof name === 'string') roles.add(name);
  }
  return { known: trail.complete.has('us-east-1'), roles };
}
