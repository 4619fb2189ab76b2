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

  it('says it does not apply in a member account that cannot list accounts', async () => {
    orgs.on(DescribeOrganizationCommand).resolves({ Organization: { Id: 'o-1', MasterAccountId: '111111111111' } });
    orgs.on(ListAccountsCommand).rejects(awsError('AccessDeniedException'));
    const { findings, gaps } = await organizationsCheck(testContext());
    expect(gaps).toEqual([]);
    expect(findings[0]?.title).toMatch(/only the management account 111111111111/);
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
