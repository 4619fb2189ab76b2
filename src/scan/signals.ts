/**
 * The high-signal CloudTrail events of shared/runbook.md (from AWS's incident-response guidance and
 * GuardDuty), by category, and how severe each category is when seen in an incident window.
 */
import type { Severity } from './model';

export type SignalCategory = 'defense-evasion' | 'credentials' | 'organizations' | 'resource-abuse' | 'temporary-credentials' | 'sign-in' | 'reconnaissance';

const EVENTS: Record<SignalCategory, string[]> = {
  credentials: [
    'CreateAccessKey',
    'CreateUser',
    'CreateLoginProfile',
    'UpdateLoginProfile',
    'CreateVirtualMFADevice',
    'AddUserToGroup',
    'CreateRole',
    'UpdateAssumeRolePolicy',
    'AttachUserPolicy',
    'AttachRolePolicy',
    'AttachGroupPolicy',
    'PutUserPolicy',
    'PutRolePolicy',
    'PutGroupPolicy',
    'CreatePolicy',
    'CreatePolicyVersion',
    'SetDefaultPolicyVersion',
  ],
  'temporary-credentials': ['GetSessionToken', 'GetFederationToken', 'AssumeRole'],
  'sign-in': ['ConsoleLogin'],
  reconnaissance: ['GetCredentialReport', 'GenerateCredentialReport', 'ListUsers', 'GetAccountAuthorizationDetails'],
  'defense-evasion': [
    'StopLogging',
    'DeleteTrail',
    'UpdateTrail',
    'PutEventSelectors',
    'DeleteDetector',
    'UpdateDetector',
    'DeleteMembers',
    'DeleteFlowLogs',
    'DeleteAccountPublicAccessBlock',
  ],
  'resource-abuse': [
    'RunInstances',
    'RequestSpotInstances',
    'CreateKeyPair',
    'ImportKeyPair',
    'AuthorizeSecurityGroupIngress',
    'CreateSecurityGroup',
    'PutBucketPolicy',
    'PutBucketAcl',
    'GetPasswordData',
    'GetSecretValue',
    'CreateFunction',
    'CreateFunction20150331',
  ],
  organizations: ['CreateAccount', 'InviteAccountToOrganization', 'LeaveOrganization'],
};

const BY_EVENT = new Map<string, SignalCategory>();
for (const [category, names] of Object.entries(EVENTS) as [SignalCategory, string[]][]) {
  for (const n of names) BY_EVENT.set(n, category);
}

export function signalCategory(eventName: string | undefined): SignalCategory | undefined {
  return eventName ? BY_EVENT.get(eventName) : undefined;
}

/**
 * Severity of a category's events when they look unusual. Sign-ins, reconnaissance reads and session
 * minting are also everyday work; routine-activity.ts decides when they are routine instead.
 */
export const CATEGORY_SEVERITY: Record<SignalCategory, Severity> = {
  'defense-evasion': 'critical',
  credentials: 'high',
  organizations: 'high',
  'resource-abuse': 'high',
  'temporary-credentials': 'medium',
  'sign-in': 'medium',
  reconnaissance: 'medium',
};

export const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

export function mostSevere(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] <= SEVERITY_RANK[b] ? a : b;
}

export function isAccessDeniedCode(code: string | undefined): boolean {
  return !!code && /AccessDenied|UnauthorizedOperation|Unauthorized|Forbidden/i.test(code);
}
