import { handlers as account, routes as accountRoutes } from '../../../src/services/account';
import { handlers as lambda, routes as lambdaRoutes } from '../../../src/services/lambda';
import { handlers as organizations } from '../../../src/services/organizations';
import type { SandboxState, ServiceHandlers } from '../../../src/model';
import { ACCOUNT, baseState, ctx, errorOf, NOW } from './fixtures';

/** The parts of the three services' wire output these tests read; the handlers return `unknown`. */
interface Outputs {
  DescribeOrganization: { Organization: { MasterAccountId: string } };
  ListAccounts: { Accounts: { Name: string }[]; NextToken?: string };
  ListHandshakesForOrganization: { Handshakes: unknown[] };
  ListCreateAccountStatus: { CreateAccountStatuses: unknown[] };
  GetContactInformation: { ContactInformation: unknown };
  GetAlternateContact: { AlternateContact: unknown };
  PutAlternateContact: unknown;
  DeleteAlternateContact: unknown;
  ListFunctions: { Functions: { FunctionName: string }[]; NextMarker?: string };
}

const call = <Op extends keyof Outputs>(
  h: ServiceHandlers,
  state: SandboxState,
  op: Op,
  params: Record<string, unknown> = {},
  region = 'us-east-1',
): Outputs[Op] => h[op]!(ctx(state, op, params, { region })) as Outputs[Op];

function orgState(member = false): SandboxState {
  const state = baseState();
  const master = member ? '999988887777' : ACCOUNT;
  state.organization = {
    id: 'o-abc123',
    arn: `arn:aws:organizations::${master}:organization/o-abc123`,
    masterAccountId: master,
    masterAccountEmail: 'root@example.com',
    featureSet: 'ALL',
    accounts: Array.from({ length: 25 }, (_, i) => ({
      id: String(200000000000 + i),
      arn: `arn:aws:organizations::${master}:account/o-abc123/${200000000000 + i}`,
      name: i === 24 ? 'crypto-farm' : `team-${i}`,
      email: `team-${i}@example.com`,
      status: 'ACTIVE' as const,
      joinedMethod: i === 24 ? ('CREATED' as const) : ('INVITED' as const),
      joinedTimestamp: new Date(NOW.getTime() - (i === 24 ? 86_400_000 : 400 * 86_400_000)),
    })),
    handshakes: [
      {
        id: 'h-1',
        arn: 'arn:aws:organizations::x:handshake/o-abc123/invite/h-1',
        state: 'OPEN',
        action: 'INVITE',
        requestedTimestamp: NOW,
        expirationTimestamp: new Date(NOW.getTime() + 15 * 86_400_000),
        parties: [
          { id: 'o-abc123', type: 'ORGANIZATION' },
          { id: '555566667777', type: 'ACCOUNT' },
        ],
      },
    ],
  };
  return state;
}

describe('Organizations', () => {
  it('answers AWSOrganizationsNotInUseException when the account is in no organization', () => {
    expect(errorOf(() => call(organizations, baseState(), 'DescribeOrganization')).code).toBe('AWSOrganizationsNotInUseException');
  });

  it('describes the organization and pages ListAccounts (max 20) with JoinedMethod and JoinedTimestamp', () => {
    const state = orgState();
    expect(call(organizations, state, 'DescribeOrganization').Organization).toMatchObject({ Id: 'o-abc123', MasterAccountId: ACCOUNT, FeatureSet: 'ALL' });
    const first = call(organizations, state, 'ListAccounts');
    expect(first.Accounts).toHaveLength(20);
    const second = call(organizations, state, 'ListAccounts', { NextToken: first.NextToken });
    expect(second.NextToken).toBeUndefined();
    const created = second.Accounts.find((a) => a.Name === 'crypto-farm');
    expect(created).toMatchObject({ JoinedMethod: 'CREATED', Status: 'ACTIVE', JoinedTimestamp: new Date(NOW.getTime() - 86_400_000) });
    expect(errorOf(() => call(organizations, state, 'ListAccounts', { MaxResults: 21 })).code).toBe('InvalidInputException');
  });

  it('lists open handshakes and created accounts for the management account only', () => {
    const state = orgState();
    expect(call(organizations, state, 'ListHandshakesForOrganization').Handshakes[0]).toMatchObject({
      Id: 'h-1',
      State: 'OPEN',
      Action: 'INVITE',
      Parties: [
        { Id: 'o-abc123', Type: 'ORGANIZATION' },
        { Id: '555566667777', Type: 'ACCOUNT' },
      ],
    });
    expect(call(organizations, state, 'ListHandshakesForOrganization', { Filter: { ActionType: 'ENABLE_ALL_FEATURES' } }).Handshakes).toEqual([]);
    expect(call(organizations, state, 'ListCreateAccountStatus').CreateAccountStatuses).toEqual([
      expect.objectContaining({ AccountName: 'crypto-farm', State: 'SUCCEEDED', AccountId: '200000000024' }),
    ]);
    const member = orgState(true);
    expect(call(organizations, member, 'DescribeOrganization').Organization.MasterAccountId).toBe('999988887777');
    expect(errorOf(() => call(organizations, member, 'ListAccounts')).code).toBe('AccessDeniedException');
    expect(errorOf(() => call(organizations, member, 'ListHandshakesForOrganization')).code).toBe('AccessDeniedException');
  });
});

describe('Account', () => {
  it('routes the REST-JSON paths', () => {
    expect(accountRoutes).toContainEqual({ method: 'POST', path: '/getAlternateContact', operation: 'GetAlternateContact' });
    expect(accountRoutes).toContainEqual({ method: 'POST', path: '/getContactInformation', operation: 'GetContactInformation' });
  });

  it('returns the primary contact', () => {
    expect(call(account, baseState(), 'GetContactInformation').ContactInformation).toMatchObject({ FullName: 'Example Corp Ops', CountryCode: 'US' });
  });

  it('GetAlternateContact is ResourceNotFoundException (404) until PutAlternateContact sets it', () => {
    const state = baseState();
    expect(errorOf(() => call(account, state, 'GetAlternateContact', { AlternateContactType: 'SECURITY' }))).toMatchObject({
      code: 'ResourceNotFoundException',
      status: 404,
    });
    call(account, state, 'PutAlternateContact', {
      AlternateContactType: 'SECURITY',
      Name: 'Sec Team',
      Title: 'CISO',
      EmailAddress: 'sec@example.com',
      PhoneNumber: '+1-555-0100',
    });
    expect(call(account, state, 'GetAlternateContact', { AlternateContactType: 'SECURITY' }).AlternateContact).toEqual({
      AlternateContactType: 'SECURITY',
      Name: 'Sec Team',
      Title: 'CISO',
      EmailAddress: 'sec@example.com',
      PhoneNumber: '+1-555-0100',
    });
    expect(errorOf(() => call(account, state, 'GetAlternateContact', { AlternateContactType: 'LEGAL' })).code).toBe('ValidationException');
    expect(errorOf(() => call(account, state, 'PutAlternateContact', { AlternateContactType: 'BILLING', Name: 'x' })).code).toBe('ValidationException');
    call(account, state, 'DeleteAlternateContact', { AlternateContactType: 'SECURITY' });
    expect(state.alternateContacts).toEqual([]);
  });

  it('refuses another account unless it is a member the caller manages', () => {
    expect(errorOf(() => call(account, baseState(), 'GetContactInformation', { AccountId: '123456789012' })).code).toBe('AccessDeniedException');
  });
});

describe('Lambda ListFunctions', () => {
  function lambdaState(): SandboxState {
    const state = baseState();
    for (let i = 0; i < 3; i++) {
      state.regions[1]!.lambdaFunctions.push({
        functionName: `fn-${i}`,
        functionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:fn-${i}`,
        runtime: 'python3.12',
        lastModified: new Date('2026-03-14T10:00:00Z'),
        createdAt: new Date('2026-03-14T10:00:00Z'),
        role: `arn:aws:iam::${ACCOUNT}:role/fn`,
        handler: 'app.handler',
        permissions: [],
        revision: 1,
      });
    }
    return state;
  }

  it("lists the region's functions with Marker/MaxItems and Lambda's text timestamps", () => {
    const state = lambdaState();
    const first = call(lambda, state, 'ListFunctions', { MaxItems: '2' }, 'eu-west-1');
    expect(first.Functions.map((f) => f.FunctionName)).toEqual(['fn-0', 'fn-1']);
    expect(first.Functions[0]).toMatchObject({ Runtime: 'python3.12', LastModified: '2026-03-14T10:00:00.000+0000' });
    const second = call(lambda, state, 'ListFunctions', { MaxItems: '2', Marker: first.NextMarker }, 'eu-west-1');
    expect(second.Functions.map((f) => f.FunctionName)).toEqual(['fn-2']);
    expect(second.NextMarker).toBeUndefined();
    expect(call(lambda, state, 'ListFunctions', {}, 'us-east-1').Functions).toEqual([]);
    expect(lambdaRoutes[0]!.operation).toBe('ListFunctions');
    expect((lambdaRoutes[0]!.path as RegExp).test('/2015-03-31/functions/')).toBe(true);
  });
});
