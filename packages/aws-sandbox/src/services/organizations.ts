/**
 * Organizations (JSON 1.1): the organization the sandbox account belongs to, its accounts, handshakes
 * and account-creation requests. Listing is for the management account only, as in AWS.
 */
import { SandboxError, type OperationContext, type SandboxState, type ServiceHandlers } from '../model';
import { fingerprint, pageByOffset } from './page-token';
import { treeHandlers } from './organizations-tree';
import { int, record, str, strings } from './service-input';

type Organization = NonNullable<SandboxState['organization']>;

export function organizationOf(ctx: OperationContext): Organization {
  const org = ctx.state.organization;
  if (!org) throw new SandboxError('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
  return org;
}

export function managementOnly(ctx: OperationContext): Organization {
  const org = organizationOf(ctx);
  if (org.masterAccountId !== ctx.state.accountId) {
    throw new SandboxError('AccessDeniedException', "You don't have permissions to access this resource.");
  }
  return org;
}

function pageSize(ctx: OperationContext): number {
  const max = int(ctx.params.MaxResults, 'MaxResults', 'InvalidInputException') ?? 20;
  if (max < 1 || max > 20) throw new SandboxError('InvalidInputException', 'MaxResults must be between 1 and 20.');
  return max;
}

export function page<T>(ctx: OperationContext, items: T[], extra: unknown[] = []) {
  return pageByOffset(items, str(ctx.params.NextToken), pageSize(ctx), fingerprint([ctx.operation, ...extra]), 'InvalidInputException');
}

export function describeOrganization(ctx: OperationContext): unknown {
  const org = organizationOf(ctx);
  return {
    Organization: {
      Id: org.id,
      Arn: org.arn,
      FeatureSet: org.featureSet,
      MasterAccountArn: `arn:aws:organizations::${org.masterAccountId}:account/${org.id}/${org.masterAccountId}`,
      MasterAccountId: org.masterAccountId,
      MasterAccountEmail: org.masterAccountEmail,
      AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
    },
  };
}

export function listAccounts(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const { page: accounts, next } = page(ctx, org.accounts);
  return { Accounts: accounts.map(accountEntry), NextToken: next };
}

/** An account as ListAccounts and ListAccountsForParent return it. */
export function accountEntry(a: Organization['accounts'][number]): Record<string, unknown> {
  return {
    Id: a.id,
    Arn: a.arn,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status === 'ACTIVE' ? 'ACTIVE' : a.status === 'SUSPENDED' ? 'SUSPENDED' : 'PENDING_CLOSURE',
    JoinedMethod: a.joinedMethod,
    JoinedTimestamp: a.joinedTimestamp,
  };
}

export function listHandshakesForOrganization(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const filter = record(ctx.params.Filter);
  const action = str(filter.ActionType);
  const kept = org.handshakes.filter((h) => !action || h.action === action);
  const { page: handshakes, next } = page(ctx, kept, [action ?? null]);
  return {
    Handshakes: handshakes.map((h) => ({
      Id: h.id,
      Arn: h.arn,
      Parties: h.parties.map((p) => ({ Id: p.id, Type: p.type })),
      State: h.state,
      RequestedTimestamp: h.requestedTimestamp,
      ExpirationTimestamp: h.expirationTimestamp,
      Action: h.action,
      Resources: [{ Type: 'ORGANIZATION', Value: org.id }],
    })),
    NextToken: next,
  };
}

/** Accounts the organization created appear as succeeded creation requests. */
export function listCreateAccountStatus(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const states = strings(ctx.params.States);
  const created = org.accounts.filter((a) => a.joinedMethod === 'CREATED' && (states.length === 0 || states.includes('SUCCEEDED')));
  const { page: accounts, next } = page(ctx, created, [states]);
  return {
    CreateAccountStatuses: accounts.map((a) => ({
      Id: `car-${a.id}`,
      AccountName: a.name,
      State: 'SUCCEEDED',
      RequestedTimestamp: new Date(a.joinedTimestamp.getTime() - 60_000),
      CompletedTimestamp: a.joinedTimestamp,
      AccountId: a.id,
    })),
    NextToken: next,
  };
}

export const handlers: ServiceHandlers = {
  DescribeOrganization: describeOrganization,
  ListAccounts: listAccounts,
  ListHandshakesForOrganization: listHandshakesForOrganization,
  ListCreateAccountStatus: listCreateAccountStatus,
  ...treeHandlers,
};
