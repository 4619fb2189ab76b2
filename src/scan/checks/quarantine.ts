/**
 * Runbook R2: users AWS has quarantined after detecting an exposed key. One paged
 * GetAccountAuthorizationDetails(User) lists every user's attached managed and inline policy names,
 * which covers any version of the quarantine policy by prefix and the legacy inline policy in a few
 * calls, instead of one ListAttachedUserPolicies + ListUserPolicies pair per user.
 */
import { paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import type { Check } from '../context';
import { makeFinding } from '../context';
import { step } from '../errors';
import type { Finding } from '../model';

const CHECK = 'quarantine' as const;
export const QUARANTINE_POLICY_PREFIX = 'AWSCompromisedKeyQuarantine';
export const LEGACY_INLINE_POLICY = 'AWSExposedCredentialPolicy_DO_NOT_REMOVE';

interface QuarantinedUser {
  userName: string;
  arn: string;
  policies: string[];
}

export const quarantineCheck: Check = async (ctx) => {
  const quarantined: QuarantinedUser[] = [];
  await step('iam:GetAccountAuthorizationDetails', async () => {
    const pages = paginateGetAccountAuthorizationDetails({ client: ctx.clients.iam(), pageSize: 1000 }, { Filter: ['User'] });
    for await (const page of pages) {
      for (const u of page.UserDetailList ?? []) {
        const policies = [
          ...(u.AttachedManagedPolicies ?? [])
            .filter((p) => p.PolicyName?.startsWith(QUARANTINE_POLICY_PREFIX) && isAwsManaged(p.PolicyArn))
            .map((p) => p.PolicyName as string),
          ...(u.UserPolicyList ?? []).filter((p) => p.PolicyName === LEGACY_INLINE_POLICY).map((p) => `${p.PolicyName} (inline)`),
        ];
        if (policies.length && u.UserName && u.Arn) quarantined.push({ userName: u.UserName, arn: u.Arn, policies });
      }
    }
  });
  const findings: Finding[] = quarantined.map((q) =>
    makeFinding(ctx, CHECK, q.arn, {
      severity: 'critical',
      step: 'R2',
      title: `AWS quarantined IAM user ${q.userName} after detecting an exposed access key`,
      resources: [q.arn],
      evidence: {
        policies: q.policies,
        runbook:
          "Rotate this user's access keys (create a new key, switch the application, deactivate the old one), then remove the quarantine policy only once the exposure is handled.",
      },
      actions: ['user.deactivate-keys'],
      target: { kind: 'user', userName: q.userName, arn: q.arn },
    }),
  );
  const self = ctx.caller?.userName ? quarantined.find((q) => q.userName === ctx.caller?.userName) : undefined;
  if (self) {
    findings.push(
      makeFinding(ctx, CHECK, `${self.arn}#scanner`, {
        severity: 'critical',
        step: 'R2',
        title: `The identity running this scan (${self.userName}) is itself quarantined: its CloudTrail event-history lookups will be denied`,
        resources: [self.arn],
        evidence: {
          policies: self.policies,
          consequence:
            'Quarantine policies V2 and later deny cloudtrail:LookupEvents, so the CloudTrail check cannot see what happened. Scan with a different, uncompromised identity.',
        },
      }),
    );
  }
  ctx.detail(`quarantine: ${quarantined.length} quarantined user(s)`);
  return { findings, gaps: [] };
};

function isAwsManaged(arn: string | undefined): boolean {
  return !arn || /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}
