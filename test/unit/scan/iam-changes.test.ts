import { IAMClient, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
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

describe('iam-changes check', () => {
  it('flags outside trust, new roles and new customer policies, across pages', async () => {
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
