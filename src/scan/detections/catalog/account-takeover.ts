/** Account takeover: the root user, the account's contacts and its place in the organization. */
import { AT_DESK, cond, mfaAtUsualAddress, rule } from '../conditions';
import type { Detection } from '../model';
import { strings } from '../read';
import { account, actor, named } from '../targets';
import { ACTOR_ACTIONS } from './responses';
import { AWS_ALTERNATE_CONTACTS, AWS_CIRT_CATALOG, DATADOG_ROOT_RECOVERY, ELASTIC_ROOT_RECOVERY, INVICTUS_DANGERDEV, mitre, sigma, stratus } from './sources';

const ROOT_GUIDANCE = 'Confirm with the account owner; if it was not them, reset the root password, replace its MFA and check the root email mailbox.';

export const ACCOUNT_TAKEOVER: Detection[] = [
  {
    id: 'root-password-recovery-requested',
    title: 'Root password recovery requested',
    family: 'account-takeover',
    match: { source: 'signin.amazonaws.com', events: ['PasswordRecoveryRequested'], outcome: 'any' },
    severity: 'high',
    step: 'D1',
    technique: { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts' },
    why: 'Only the root user has this flow: someone is trying to take the account through its email.',
    targets: [account()],
    response: { guidance: ROOT_GUIDANCE },
    sources: [ELASTIC_ROOT_RECOVERY, DATADOG_ROOT_RECOVERY],
  },
  {
    id: 'root-password-recovery-completed',
    title: 'Root password reset through recovery',
    family: 'account-takeover',
    match: { source: 'signin.amazonaws.com', events: ['PasswordRecoveryCompleted'] },
    severity: 'critical',
    step: 'D1',
    technique: { id: 'T1098', name: 'Account Manipulation' },
    why: 'Whoever completed the reset now holds the root password.',
    targets: [account()],
    response: { guidance: ROOT_GUIDANCE },
    sources: [DATADOG_ROOT_RECOVERY, ELASTIC_ROOT_RECOVERY],
  },
  {
    id: 'root-console-login',
    title: 'Root user signed in to the console',
    family: 'account-takeover',
    match: { source: 'signin.amazonaws.com', events: ['ConsoleLogin'], identities: ['Root'] },
    severity: 'high',
    rules: [
      rule('critical', 'without MFA', (e) => e.signIn?.mfaUsed === false),
      rule('medium', 'with MFA, from an address the root user signs in from as a habit', (e, env) => env.habitual(e)),
    ],
    step: 'D1',
    technique: { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts' },
    why: 'Root is needed for almost nothing day to day; a root sign-in in an incident window needs its owner’s word.',
    targets: [account()],
    response: { guidance: ROOT_GUIDANCE },
    sources: [sigma('aws_root_account_usage'), AWS_CIRT_CATALOG],
  },
  {
    id: 'root-activity',
    title: 'Root user made API calls',
    family: 'account-takeover',
    match: {
      source: '*',
      events: ['*'],
      identities: ['Root'],
      conditions: [
        cond(
          'not a sign-in or password-recovery event (their own entries cover them)',
          (e) => !/^(ConsoleLogin|PasswordRecovery|CheckMfa|GetSigninToken)/.test(e.eventName),
        ),
      ],
    },
    severity: 'high',
    rules: [rule('medium', 'read-only calls', (e) => e.readOnly === true)],
    step: 'D1',
    technique: { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts' },
    why: 'Root calls cannot be limited by any policy; AWS advises using root only for the few tasks that need it.',
    targets: [account()],
    response: { guidance: ROOT_GUIDANCE },
    sources: [sigma('aws_root_account_usage')],
  },
  {
    id: 'console-login-suspicious',
    title: 'Console sign-in failed, without MFA or from a new address',
    family: 'account-takeover',
    match: {
      source: 'signin.amazonaws.com',
      events: ['ConsoleLogin'],
      outcome: 'any',
      identities: ['IAMUser', 'AssumedRole', 'FederatedUser', 'IdentityCenterUser'],
    },
    severity: 'medium',
    routine: 'everyday',
    step: 'D1',
    technique: { id: 'T1078.004', name: 'Valid Accounts: Cloud Accounts' },
    why: 'A password sign-in without MFA or from an unfamiliar address is how a stolen password is used.',
    targets: [actor()],
    response: {
      actions: { user: ['user.disable-password'], actor: ['user.disable-password', 'role.revoke-sessions'] },
      guidance: 'Ask the user whether it was them.',
    },
    sources: [stratus('aws.initial-access.console-login-without-mfa'), sigma('aws_cloudtrail_console_login_without_mfa')],
  },
  {
    id: 'account-contact-changed',
    title: 'Account contact changed',
    family: 'account-takeover',
    match: { source: 'account.amazonaws.com', events: ['PutAlternateContact', 'DeleteAlternateContact', 'PutContactInformation'] },
    severity: 'high',
    rules: [
      rule('low', AT_DESK, mfaAtUsualAddress),
      rule(
        'critical',
        'the security contact',
        (e) => strings(e, 'request.alternateContactType').includes('SECURITY') || strings(e, 'request.AlternateContactType').includes('SECURITY'),
      ),
    ],
    step: 'R8',
    technique: { id: 'T1098', name: 'Account Manipulation' },
    why: 'A hijacked security contact sends AWS’s abuse and leaked-key notices to the attacker.',
    targets: [
      named(
        'principal',
        ['request.alternateContactType', 'request.AlternateContactType'],
        (type, e, env) => `arn:aws:account::${e.recipientAccount ?? env.account}:contact/${type}`,
      ),
      named('principal', ['request.emailAddress', 'request.EmailAddress', 'request.contactInformation.fullName']),
      account(),
    ],
    response: { guidance: 'Put the team’s contacts back (Account settings > Alternate contacts) and check the contact history.' },
    sources: [AWS_ALTERNATE_CONTACTS, INVICTUS_DANGERDEV],
  },
  {
    id: 'organization-account-created',
    title: 'Member account created or invited',
    family: 'account-takeover',
    match: { source: 'organizations.amazonaws.com', events: ['CreateAccount', 'InviteAccountToOrganization', 'AcceptHandshake', 'CreateGovCloudAccount'] },
    severity: 'high',
    step: 'D5',
    technique: { id: 'T1136.003', name: 'Create Account: Cloud Account' },
    why: 'A new member account is billed to the organization and sits outside the team’s monitoring.',
    targets: [named('account', ['response.createAccountStatus.accountId', 'request.target.id', 'request.accountName', 'request.email'])],
    response: { actions: { actor: ACTOR_ACTIONS }, guidance: 'Close or remove the account unless the team asked for it.' },
    sources: [mitre('T1136.003'), sigma('aws_organizations_management_account_write_action'), stratus('aws.defense-evasion.organizations-leave')],
  },
];
