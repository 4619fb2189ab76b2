/**
 * Runbook D5: fraudulent accounts in the organization. Accounts created or invited in the window and
 * open handshakes. "Not in an organization" is an answer (the check does not apply); being denied a
 * listing is not: it is a gap naming what could not be checked, and what was already found is kept.
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
import { errorCodeOf, gapFrom, isAccessDenied, step } from '../errors';
import type { Finding, Gap } from '../model';

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

/** A gap that says what was not checked, and why (a denial included). */
function gap(err: unknown, what: string, whoCan?: string): Gap {
  const g = gapFrom(CHECK, err);
  const denied = isAccessDenied(err) || errorCodeOf(err) === 'AccessDeniedForDependencyException';
  return { ...g, reason: `${what} could not be checked: ${denied && whoCan ? `${g.reason} ${whoCan}` : g.reason}` };
}

export const organizationsCheck: Check = async (ctx) => {
  const orgs = ctx.clients.organizations();
  let org: Organization | undefined;
  try {
    org = (await step('organizations:DescribeOrganization', () => orgs.send(new DescribeOrganizationCommand({})))).Organization;
  } catch (err) {
    if (errorCodeOf(err) === NOT_IN_USE) return { findings: [doesNotApply(ctx, 'this account is not in an AWS Organization.')], gaps: [] };
    return { findings: [], gaps: [gap(err, 'Whether the account is in an organization, and any member accounts created or invited there,')] };
  }
  const findings: Finding[] = [];
  const gaps: Gap[] = [];
  const manager = org?.MasterAccountId;
  const whoCan = `only the management account${manager ? ` ${manager}` : ''} (or a delegated administrator) can list them; scan from there.`;
  let accounts: Account[] = [];
  try {
    accounts = await step('organizations:ListAccounts', async () => {
      const all: Account[] = [];
      for await (const page of paginateListAccounts({ client: orgs }, {})) all.push(...(page.Accounts ?? []));
      return all;
    });
  } catch (err) {
    gaps.push(gap(err, 'Member accounts created or invited in the window', whoCan));
  }
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
    gaps.push(gap(err, 'Open invitations (handshakes) of the organization', whoCan));
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
  return { findings, gaps };
};
