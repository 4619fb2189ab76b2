/**
 * Runbook D5: fraudulent accounts in the organization. Accounts created or invited in the window and
 * open handshakes. Only the management account (or a delegated administrator) can list accounts, so
 * "not in an organization" and "not allowed to list" are reported as not applying, not as failures.
 */
import {
  DescribeOrganizationCommand,
  paginateListAccounts,
  paginateListHandshakesForOrganization,
  type Account,
  type Handshake,
  type Organization,
} from '@aws-sdk/client-organizations';
import type { Check, CheckContext } from '../context';
import { inWindow, makeFinding } from '../context';
import { errorCodeOf, isAccessDenied, step } from '../errors';
import type { Finding } from '../model';

const CHECK = 'organizations' as const;
const NOT_IN_USE = 'AWSOrganizationsNotInUseException';

function doesNotApply(ctx: CheckContext, reason: string): Finding {
  return makeFinding(ctx, CHECK, 'not-applicable', {
    severity: 'info',
    step: 'D5',
    title: `Organizations check does not apply: ${reason}`,
    resources: [],
    evidence: { reason },
  });
}

export const organizationsCheck: Check = async (ctx) => {
  const orgs = ctx.clients.organizations();
  let org: Organization | undefined;
  try {
    org = (await step('organizations:DescribeOrganization', () => orgs.send(new DescribeOrganizationCommand({})))).Organization;
  } catch (err) {
    if (errorCodeOf(err) === NOT_IN_USE) return { findings: [doesNotApply(ctx, 'this account is not in an AWS Organization.')], gaps: [] };
    if (isAccessDenied(err))
      return { findings: [doesNotApply(ctx, 'the scan role cannot see the organization (organizations:DescribeOrganization is denied).')], gaps: [] };
    throw err;
  }
  let accounts: Account[];
  try {
    accounts = await step('organizations:ListAccounts', async () => {
      const all: Account[] = [];
      for await (const page of paginateListAccounts({ client: orgs }, {})) all.push(...(page.Accounts ?? []));
      return all;
    });
  } catch (err) {
    if (isAccessDenied(err) || errorCodeOf(err) === 'AccessDeniedForDependencyException') {
      return {
        findings: [
          doesNotApply(
            ctx,
            `only the management account ${org?.MasterAccountId ?? ''} (or a delegated administrator) can list the organization's accounts.`.replace('  ', ' '),
          ),
        ],
        gaps: [],
      };
    }
    throw err;
  }
  const findings: Finding[] = [];
  for (const a of accounts) {
    if (!a.Id || !inWindow(ctx, a.JoinedTimestamp) || a.Id === ctx.account) continue;
    const how = a.JoinedMethod === 'CREATED' ? 'created' : 'invited';
    findings.push(
      makeFinding(ctx, CHECK, a.Arn ?? a.Id, {
        severity: 'high',
        step: 'D5',
        title: `Member account ${a.Name ?? a.Id} (${a.Id}) was ${how} in the incident window`,
        resources: [a.Arn ?? a.Id],
        evidence: {
          accountId: a.Id,
          name: a.Name,
          email: a.Email,
          joinedMethod: a.JoinedMethod,
          joined: a.JoinedTimestamp?.toISOString(),
          status: a.Status ?? a.State,
        },
      }),
    );
  }
  let handshakes: Handshake[] = [];
  try {
    handshakes = await step('organizations:ListHandshakesForOrganization', async () => {
      const all: Handshake[] = [];
      for await (const page of paginateListHandshakesForOrganization({ client: orgs }, {})) all.push(...(page.Handshakes ?? []));
      return all;
    });
  } catch (err) {
    if (!isAccessDenied(err)) throw err;
  }
  for (const h of handshakes) {
    if (!h.Id || (h.State !== 'OPEN' && h.State !== 'REQUESTED')) continue;
    findings.push(
      makeFinding(ctx, CHECK, h.Arn ?? h.Id, {
        severity: 'medium',
        step: 'D5',
        title: `Open Organizations handshake ${h.Id} (${h.Action ?? 'unknown action'})`,
        resources: [h.Arn ?? h.Id],
        evidence: {
          action: h.Action,
          state: h.State,
          requested: h.RequestedTimestamp?.toISOString(),
          parties: (h.Parties ?? []).map((p) => `${p.Type}:${p.Id}`),
        },
      }),
    );
  }
  ctx.detail(`organizations: ${accounts.length} accounts, ${handshakes.length} handshakes`);
  return { findings, gaps: [] };
};
