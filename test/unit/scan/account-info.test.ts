import { AccountClient, GetAlternateContactCommand, GetContactInformationCommand } from '@aws-sdk/client-account';
import { mockClient } from 'aws-sdk-client-mock';
import { accountInfoCheck } from '../../../src/scan/checks/account-info';
import { awsError, testContext } from './helpers';

const account = mockClient(AccountClient);
beforeEach(() => account.reset());

describe('account-info check', () => {
  it('shows the contacts and flags a missing security contact', async () => {
    account
      .on(GetContactInformationCommand)
      .resolves({ ContactInformation: { FullName: 'Ada', PhoneNumber: '+1', AddressLine1: 'x', City: 'y', CountryCode: 'US', PostalCode: '1' } });
    account.on(GetAlternateContactCommand, { AlternateContactType: 'SECURITY' }).rejects(awsError('ResourceNotFoundException'));
    account.on(GetAlternateContactCommand, { AlternateContactType: 'BILLING' }).resolves({ AlternateContact: { Name: 'Bob', EmailAddress: 'b@example.com' } });
    account.on(GetAlternateContactCommand, { AlternateContactType: 'OPERATIONS' }).rejects(awsError('ResourceNotFoundException'));
    const { findings, gaps } = await accountInfoCheck(testContext());
    expect(gaps).toEqual([]);
    const contacts = findings.find((f) => f.severity === 'info');
    expect(contacts?.step).toBe('R8');
    expect(contacts?.evidence.alternates).toMatchObject({ security: 'missing', billing: { name: 'Bob' }, operations: 'missing' });
    expect(findings.find((f) => f.severity === 'medium')?.title).toMatch(/no security alternate contact/);
  });

  it('turns access denied into a gap, not a missing contact', async () => {
    account.on(GetContactInformationCommand).rejects(awsError('AccessDeniedException'));
    account.on(GetAlternateContactCommand).rejects(awsError('AccessDeniedException'));
    const { findings, gaps } = await accountInfoCheck(testContext());
    expect(findings).toEqual([]);
    expect(gaps.map((g) => g.reason)).toContain("aws-ir's scan role is not allowed to call account:GetAlternateContact.");
    expect(gaps.map((g) => g.reason)).toContain("aws-ir's scan role is not allowed to call account:GetContactInformation.");
  });
});
