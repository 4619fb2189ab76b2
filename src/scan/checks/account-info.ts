/**
 * Runbook R8: the account's contacts, shown for the team to confirm (an attacker may have changed
 * them to intercept AWS's notices). A missing security contact is a finding of its own.
 */
import { GetAlternateContactCommand, GetContactInformationCommand, type AlternateContactType } from '@aws-sdk/client-account';
import type { Check } from '../context';
import { makeFinding } from '../context';
import { errorCodeOf, gapFrom, step } from '../errors';
import type { Finding, Gap } from '../model';

const CHECK = 'account-info' as const;
const TYPES: AlternateContactType[] = ['SECURITY', 'BILLING', 'OPERATIONS'];

export const accountInfoCheck: Check = async (ctx) => {
  const account = ctx.clients.account();
  const gaps: Gap[] = [];
  const primary = await step('account:GetContactInformation', () => account.send(new GetContactInformationCommand({})))
    .then((o) => o.ContactInformation)
    .catch((err: unknown) => {
      gaps.push(gapFrom(CHECK, err));
      return undefined;
    });
  const alternates: Record<string, Record<string, string | undefined> | 'missing' | 'unknown'> = {};
  await Promise.all(
    TYPES.map(async (type) => {
      try {
        const out = await step('account:GetAlternateContact', () => account.send(new GetAlternateContactCommand({ AlternateContactType: type })));
        const c = out.AlternateContact;
        alternates[type] = { name: c?.Name, title: c?.Title, email: c?.EmailAddress, phone: c?.PhoneNumber };
      } catch (err) {
        if (errorCodeOf(err) === 'ResourceNotFoundException') alternates[type] = 'missing';
        else {
          alternates[type] = 'unknown';
          gaps.push(gapFrom(CHECK, err));
        }
      }
    }),
  );
  const findings: Finding[] = [];
  const resource = `arn:aws:account::${ctx.account}:account`;
  if (primary || Object.values(alternates).some((v) => v !== 'unknown')) {
    findings.push(
      makeFinding(ctx, CHECK, 'contacts', {
        severity: 'info',
        step: 'R8',
        title: 'Confirm the account contacts are still correct',
        resources: [resource],
        evidence: {
          primary: primary
            ? { name: primary.FullName, company: primary.CompanyName, phone: primary.PhoneNumber, country: primary.CountryCode, website: primary.WebsiteUrl }
            : 'unknown',
          alternates: Object.fromEntries(TYPES.map((t) => [t.toLowerCase(), alternates[t]])),
        },
      }),
    );
  }
  if (alternates.SECURITY === 'missing') {
    findings.push(
      makeFinding(ctx, CHECK, 'security-contact-missing', {
        severity: 'medium',
        step: 'R8',
        title: 'The account has no security alternate contact: AWS security notices reach only the root email',
        resources: [resource],
        evidence: { security: 'missing' },
        guidance: 'Add a security contact (a monitored team address) under Account settings > Alternate contacts.',
      }),
    );
  }
  return { findings, gaps };
};
