import { IAMClient, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { iamChangesCheck } from '../../../src/scan/checks/iam-changes';
import { outsidePrincipals } from '../../../src/scan/trust-policy';
import { ACCOUNT, awsError, daysAgo, testContext } from './helpers';

const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());

const trust = (principal: unknown) =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] }));

describe('outsidePrincipals', () => {
  it('finds other accounts and anyone, not the own account or services', () => {
    expect(outsidePrincipals(trust({ AWS: 'arn:aws:iam::999988887777:root' }), ACCOUNT)).toEqual(['arn:aws:iam::999988887777:root']);
    expect(outsidePrincipals(trust({ AWS: ['999988887777', `arn:aws:iam::${ACCOUNT}:root`] }), ACCOUNT)).toEqual(['999988887777']);
    expect(outsidePrincipals(trust('*'), ACCOUNT)).toEqual(['*']);
    expect(outsidePrincipals(trust({ Service: 'ec2.amazonaws.com' }), ACCOUNT)).toEqual([]);
    expect(outsidePrincipals('not json', ACCOUNT)).toEqual([]);
  });
});

const ct = mockClient(CloudTrailClient);
beforeEach(() => {
  ct.reset();
  ct.on(LookupEventsCommand).resolves({ Events: [] });
});

/** A CloudTrail record of a principal changing a role's trust policy, as LookupEvents returns it. */
const trustChange = (roleName: string, at: Date) => ({
  EventId: `e-${roleName}`,
  EventName: 'UpdateAssumeRolePolicy',
  EventTime: at,
  EventSource: 'iam.amazonaws.com',
  CloudTrailEvent: JSON.stringify({
    eventName: 'UpdateAssumeRolePolicy',
    eventSource: 'iam.amazonaws.com',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.50',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, userName: 'ci', accessKeyId: 'AKIACI' },
    requestParameters: { roleName, policyDocument: trust({ AWS: 'arn:aws:iam::999988887777:root' }) },
  }),
});

const vendorRole = (name: string, condition?: Record<string, unknown>) => ({
  RoleName: name,
  Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  Path: '/',
  RoleId: name,
  CreateDate: daysAgo(700),
  AssumeRolePolicyDocument: JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) },
    ],
  }),
});

describe('iam-changes check', () => {
  it('rates a role trusting an outside account by what changed: high when its trust changed in the window, low for a pinned vendor, medium without ExternalId', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: [trustChange('backdoored', daysAgo(1))] });
    iam.on(ListRolesCommand).resolves({
      Roles: [
        { ...vendorRole('backdoored', { StringEquals: { 'sts:ExternalId': 'x' } }) },
        vendorRole('datadog-integration', { StringEquals: { 'sts:ExternalId': '3c0f9c8e' } }),
        vendorRole('legacy-vendor'),
      ],
    });
    iam.on(ListPoliciesCommand).resolves({ Policies: [] });
    const { findings } = await iamChangesCheck(testContext());
    const by = (name: string) => findings.find((f) => f.target?.kind === 'role' && f.target.roleName === name);
    expect(by('backdoored')).toMatchObject({
      severity: 'high',
      title: 'Role backdoored trusts principals outside the account and its trust policy changed in the incident window',
    });
    expect(by('datadog-integration')).toMatchObject({ severity: 'low', evidence: { stance: expect.stringMatching(/confirm the vendor/), externalId: true } });
    expect(by('legacy-vendor')).toMatchObject({ severity: 'medium', evidence: { externalId: false } });
    expect(by('datadog-integration')?.resources).toEqual([`arn:aws:iam::${ACCOUNT}:role/datadog-integration`, 'arn:aws:iam::464622532012:root']);
  });

  it('does not claim a vendor role is long-standing when CloudTrail could not be read', async () => {
    ct.on(LookupEventsCommand).rejects(awsError('AccessDeniedException'));
    iam.on(ListRolesCommand).resolves({ Roles: [vendorRole('datadog-integration', { StringEquals: { 'sts:ExternalId': '3c0f9c8e' } })] });
    iam.on(ListPoliciesCommand).resolves({ Policies: [] });
    const { findings } = await iamChangesCheck(testContext());
    expect(findings[0]).toMatchObject({ severity: 'medium', evidence: { trustChangedInWindow: 'unknown' } });
  });

  it('flags outside trust, new roles and new customer policies, across pages', async () => {
    ct.on(LookupEventsCommand).resolves({ Events: [trustChange('ops-support', daysAgo(2))] });
    iam
      .on(ListRolesCommand, { Marker: undefined })
      .resolves({
        IsTruncated: true,
        Marker: 'm2',
        Roles: [
          {
            RoleName: 'ops-support',
            Arn: `arn:aws:iam::${ACCOUNT}:role/ops-support`,
            Path: '/',
            RoleId: 'R1',
            CreateDate: daysAgo(300),
            AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::999988887777:root' }),
          },
          {
            RoleName: 'old',
            Arn: `arn:aws:iam::${ACCOUNT}:role/old`,
            Path: '/',
            RoleId: 'R2',
            CreateDate: daysAgo(300),
            AssumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }),
          },
        ],
      })
      .on(ListRolesCommand, { Marker: 'm2' })
      .resolves({
        Roles: [
          {
            RoleName: 'fresh',
            Arn: `arn:aws:iam::${ACCOUNT}:role/fresh`,
            Path: '/',
            RoleId: 'R3',
            CreateDate: daysAgo(1),
            AssumeRolePolicyDocument: trust({ AWS: `arn:aws:iam::${ACCOUNT}:root` }),
          },
        ],
      });
    iam.on(ListPoliciesCommand).resolves({
      Policies: [
        { PolicyName: 'backdoor', Arn: `arn:aws:iam::${ACCOUNT}:policy/backdoor`, CreateDate: daysAgo(2), AttachmentCount: 1 },
        { PolicyName: 'old', Arn: `arn:aws:iam::${ACCOUNT}:policy/old`, CreateDate: daysAgo(200) },
      ],
    });
    const { findings, gaps } = await iamChangesCheck(testContext());
    expect(gaps).toEqual([]);
    expect(iam.commandCalls(ListPoliciesCommand)[0]?.args[0].input).toMatchObject({ Scope: 'Local' });
    expect(findings.find((f) => f.title.startsWith('Role ops-support trusts principals outside'))).toMatchObject({
      severity: 'high',
      step: 'D5',
      actions: ['role.revoke-sessions', 'role.delete'],
      target: { kind: 'role', roleName: 'ops-support' },
    });
    expect(findings.find((f) => f.title === 'Role fresh was created in the incident window')?.severity).toBe('medium');
    expect(findings.find((f) => f.title.includes('policy backdoor'))).toMatchObject({
      actions: ['policy.delete'],
      target: { kind: 'policy', policyArn: `arn:aws:iam::${ACCOUNT}:policy/backdoor` },
    });
    expect(findings).toHaveLength(3);
  });

  it('keeps the policies part when listing roles is denied', async () => {
    iam.on(ListRolesCommand).rejects(awsError('AccessDenied'));
    iam.on(ListPoliciesCommand).resolves({ Policies: [{ PolicyName: 'p', Arn: `arn:aws:iam::${ACCOUNT}:policy/p`, CreateDate: daysAgo(1) }] });
    const { findings, gaps } = await iamChangesCheck(testContext());
    expect(gaps).toEqual([{ check: 'iam-changes', reason: "aws-ir's scan role is not allowed to call iam:ListRoles." }]);
    expect(findings).toHaveLength(1);
  });
});
