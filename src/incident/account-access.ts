/**
 * Which AWS identity acts for a request or a lookup: aws-ir's own (AWS_IR_REMEDIATION_ROLE_ARN, the
 * scan identity) in its own account, or, for a member account of an organization sweep, that
 * member's roles (AWS_IR_MEMBER_REMEDIATION_ROLE_NAME, AWS_IR_MEMBER_ROLE_NAME) assumed from them.
 * Protected principals and dry run are decided per account: AWS_IR_PROTECTED_ARNS entries of that
 * account (or of no account), aws-ir's own member roles there, and AWS_IR_DRY_RUN_ACCOUNTS.
 */
import type { AwsClients } from '../aws/clients';
import { clientsFor } from '../aws/clients';
import { orgSettings, type CoreConfig } from '../config';
import { memberRoleArn, memberTarget } from '../org/member-access';
import { ProtectedPrincipals } from '../remediation/protected';
import type { CoreServices } from '../services';

/** Where an action or lookup acts: the account, and whether it is a member reached through its role. */
export interface AccountRef {
  account: string;
  memberAccount?: boolean;
}

export interface AccountAccess {
  /** Clients for approved writes (and their prechecks and read-backs) in that account; throws MemberAccessError. */
  remediationClients(ref: AccountRef): Promise<AwsClients>;
  /** Read-only clients for lookups (Investigate) in that account; throws MemberAccessError. */
  scanClients(ref: AccountRef): Promise<AwsClients>;
  /** The principals no action may target in that account. */
  protection(ref: AccountRef): ProtectedPrincipals;
  /** Whether actions in that account only show what they would do. */
  dryRun(ref: AccountRef): boolean;
}

/** AWS_IR_PROTECTED_ARNS entries that can name something in `account`: its own ARNs and account-less ones (AWS managed policies). */
export function protectedInAccount(arns: readonly string[], account: string): string[] {
  return arns.filter((arn) => {
    const owner = arn.split(':')[4] ?? '';
    return owner === account || owner === '' || owner === 'aws';
  });
}

export function accountAccess(services: CoreServices, home: { remediation: AwsClients; protection: ProtectedPrincipals }): AccountAccess {
  const config: CoreConfig = services.config;
  const org = orgSettings(config);
  const protections = new Map<string, ProtectedPrincipals>();
  const member = (ref: AccountRef, base: AwsClients, roleName: string, sessionName: string) =>
    memberTarget(base, ref.account, { roleName, sessionName, ...(org.externalId ? { externalId: org.externalId } : {}) }).then(clientsFor);
  const remediationMember = (ref: AccountRef) => member(ref, home.remediation, org.memberRemediationRoleName, 'aws-ir-remediation');
  return {
    async remediationClients(ref) {
      return ref.memberAccount ? remediationMember(ref) : home.remediation;
    },
    async scanClients(ref) {
      return ref.memberAccount ? member(ref, clientsFor(services.scanTarget), org.memberRoleName, 'aws-ir-scan') : clientsFor(services.scanTarget);
    },
    protection(ref) {
      if (!ref.memberAccount) return home.protection;
      let p = protections.get(ref.account);
      if (!p) {
        const own = [memberRoleArn(ref.account, org.memberRoleName), memberRoleArn(ref.account, org.memberRemediationRoleName)];
        p = new ProtectedPrincipals(protectedInAccount(config.remediation.protectedArns, ref.account), [], own, () => remediationMember(ref).then((c) => [c]));
        protections.set(ref.account, p);
      }
      return p;
    },
    dryRun(ref) {
      return config.remediation.dryRun || (config.remediation.dryRunAccounts ?? []).includes(ref.account);
    },
  };
}
