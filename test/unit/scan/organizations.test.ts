import { DescribeOrganizationCommand, ListAccountsCommand, ListHandshakesForOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { organizationsCheck } from '../../../src/scan/checks/organizations';
import { ACCOUNT, awsError, daysAgo, testContext } from './helpers';

const orgs = mockClient(OrganizationsClient);
beforeEach(() => orgs.reset());

describe('organizations check', () => {
  it('says it does not apply outside an organization (not a gap)', async () => {
    orgs.on(DescribeOrganizationCommand).rejects(awsError('AWSOrganizationsNotInUseException'));
    const { findings, gaps } = await organizationsCheck(testContext());
    expect(gaps).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', step: 'D5' });
    expect(findings[0]?.title).toMatch(/does not apply: this account is not in an AWS Organization/);
  });

  it('reports a member account that cannot list accounts as a gap naming who can, not as nothing there', async () => {
    orgs.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-1', MasterAccountId: '111111111111' } });
    orgs.on(ListAccountsCommand).rejects(awsError('AccessDeniedException'));
    orgs.on(ListHandshakesForOrganizationCommand).rejects(awsError('AccessDeniedException'));
    const { findings, gaps } = await organizationsCheck(testContext());
    expect(findings).toEqual([]);
    expect(gaps.map((g) => g.reason)).toEqual([
      expect.stringMatching(
        /^Member accounts created or invited in the window could not be checked: .*organizations:ListAccounts.*only the management account 111111111111/,
      ),
      expect.stringMatching(/^Open invitations \(handshakes\) of the organization could not be checked: .*ListHandshakesForOrganization/),
    ]);
  });

  it('reads AccessDenied on DescribeOrganization as unknown (a gap), never as "not in an organization"', async () => {
    orgs.on(DescribeOrganizationCommand).rejects(awsError('AccessDeniedException'));
    const { findings, gaps } = await organizationsCheck(testContext());
    expect(findings).toEqual([]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.reason).toMatch(
      /^Whether the account is in an organization.*could not be checked: aws-ir's scan role is not allowed to call organizations:DescribeOrganization/,
    );
  });

  it('keeps the account findings when the handshake listing fails', async () => {
    orgs.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-1', MasterAccountId: ACCOUNT } });
    orgs.on(ListAccountsCommand).resolves({ Accounts: [{ Id: '222233334444', Name: 'miner', JoinedTimestamp: daysAgo(1), JoinedMethod: 'INVITED' }] });
    orgs.on(ListHandshakesForOrganizationCommand).rejects(awsError('InternalFailure'));
    const { findings, gaps } = await organizationsCheck(testContext());
    expect(findings.map((f) => f.title)).toEqual(['Member account miner (222233334444) was invited in the incident window']);
    expect(gaps.map((g) => g.reason)).toEqual([
      expect.stringMatching(/handshakes.*could not be checked: organizations:ListHandshakesForOrganization failed with InternalFailure/),
    ]);
  });

  it('flags accounts created in the window (across pages) and open handshakes', async () => {
    orgs.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-1', MasterAccountId: ACCOUNT } });
    orgs
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ NextToken: 't2', Accounts: [{ Id: ACCOUNT, Name: 'mgmt', JoinedTimestamp: daysAgo(900), JoinedMethod: 'CREATED' }] })
      .on(ListAccountsCommand, { NextToken: 't2' })
      .resolves({
        Accounts: [
          {
            Id: '222233334444',
            Arn: 'arn:aws:organizations::x:account/o-1/222233334444',
            Name: 'miner',
            Email: 'x@example.com',
            JoinedTimestamp: daysAgo(1),
            JoinedMethod: 'CREATED',
          },
        ],
      });
    orgs.on(ListHandshakesForOrganizationCommand).resolves({
      Handshakes: [
        { Id: 'h-1', State: 'OPEN', Action: 'INVITE' },
        { Id: 'h-2', State: 'ACCEPTED' },
      ],
    });
    const { findings } = await organizationsCheck(testContext());
    expect(findings.map((f) => f.title)).toEqual([
      'Member account miner (222233334444) was created in the incident window',
      'Open Organizations handshake h-1 (INVITE)',
    ]);
    expect(findings[0]?.severity).toBe('high');
  });
});
