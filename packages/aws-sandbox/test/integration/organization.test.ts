/**
 * Organization scenarios over HTTP with real SDK v3 clients: the tree from the management account,
 * AssumeRole into members (per-account sessions whose signatures are verified), each request routed to
 * its account's state, and the members AWS would refuse (suspended, role missing, wrong ExternalId).
 */
import { GetUserCommand, ListUsersCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  ListParentsCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { LARGE_ORG_BROKEN_MEMBER, startSandbox, type RunningSandbox } from '../../src';
import { clientConfig, failure } from './support';

async function assume(sb: RunningSandbox, account: string, role = 'aws-ir-scan', externalId?: string) {
  const out = await new STSClient(clientConfig(sb)).send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/${role}`,
      RoleSessionName: 'aws-ir-scan',
      ...(externalId ? { ExternalId: externalId } : {}),
    }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
}

describe('organization scenario', () => {
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await startSandbox({ scenario: 'organization', rateLimits: false });
  });
  afterAll(() => sb.close());

  it('lists the tree from the management account: root, units, accounts with their status', async () => {
    const orgs = new OrganizationsClient(clientConfig(sb));
    const [root] = (await orgs.send(new ListRootsCommand({}))).Roots!;
    const units = (await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: root!.Id! }))).OrganizationalUnits!;
    expect(units.map((u) => u.Name).sort()).toEqual(['Development', 'Infrastructure', 'Production']);
    const atRoot = (await orgs.send(new ListAccountsForParentCommand({ ParentId: root!.Id! }))).Accounts!;
    expect(atRoot.map((a) => a.Id).sort()).toEqual(['222200000000', '222200000006']);
    const dev = units.find((u) => u.Name === 'Development')!;
    const inDev = (await orgs.send(new ListAccountsForParentCommand({ ParentId: dev.Id! }))).Accounts!;
    expect(inDev).toEqual([expect.objectContaining({ Id: '222200000005', Status: 'SUSPENDED' })]);
    const nested = (await orgs.send(new ListOrganizationalUnitsForParentCommand({ ParentId: dev.Id! }))).OrganizationalUnits!;
    expect(nested.map((u) => u.Name)).toEqual(['Sandboxes']);
    expect((await orgs.send(new ListParentsCommand({ ChildId: '222200000004' }))).Parents).toEqual([{ Id: nested[0]!.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await orgs.send(new ListAccountsCommand({}))).Accounts).toHaveLength(7);
  });

  it("issues a member's session through AssumeRole; requests signed with it act in that member", async () => {
    const creds = await assume(sb, '222200000001');
    const id = await new STSClient(clientConfig(sb, { credentials: creds })).send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: '222200000001', Arn: 'arn:aws:sts::222200000001:assumed-role/aws-ir-scan/aws-ir-scan' });
    const users = (await new IAMClient(clientConfig(sb, { credentials: creds })).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    expect(users).toContain('ci-deploy');
    expect(users).toEqual(sb.account('222200000001')!.users.map((u) => u.userName));
    // The management account is a different account model.
    const mgmt = (await new IAMClient(clientConfig(sb)).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName);
    expect(mgmt).not.toContain('ci-deploy');
    // A member sees its organization but may not list it, as in AWS.
    const orgs = new OrganizationsClient(clientConfig(sb, { credentials: creds }));
    expect((await orgs.send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId).toBe('222200000000');
    expect((await failure(orgs.send(new ListAccountsCommand({})))).name).toBe('AccessDeniedException');
  });

  it('verifies the signature of member sessions', async () => {
    const creds = await assume(sb, '222200000002');
    const err = await failure(new IAMClient(clientConfig(sb, { credentials: { ...creds, secretAccessKey: 'not-the-secret' } })).send(new GetUserCommand({})));
    expect(err.name).toBe('SignatureDoesNotMatch');
  });

  it('refuses the suspended member and the member without the role', async () => {
    expect((await failure(assume(sb, '222200000005'))).name).toBe('AccessDenied');
    expect((await failure(assume(sb, '222200000006'))).name).toBe('AccessDenied');
    expect((await failure(assume(sb, '999999999999'))).name).toBe('AccessDenied');
  });

  it('gives each member its own key ids, so two members built from one template share none', () => {
    const keys = (id: string) => sb.account(id)!.users.flatMap((u) => u.accessKeys.map((k) => k.accessKeyId));
    const a = keys('222200000002');
    const b = keys('222200000004');
    expect(a.length).toBeGreaterThan(0);
    expect(a.filter((k) => b.includes(k))).toEqual([]);
  });
});

describe('large-org', () => {
  it('starts with 101 accounts listed, builds members only when reached, and has one member without the role', async () => {
    const sb = await startSandbox({ scenario: 'large-org', rateLimits: false });
    try {
      const orgs = new OrganizationsClient(clientConfig(sb));
      let count = 0;
      let token: string | undefined;
      do {
        const page = await orgs.send(new ListAccountsCommand({ NextToken: token }));
        count += page.Accounts!.length;
        token = page.NextToken;
      } while (token);
      expect(count).toBe(101);
      const creds = await assume(sb, '900000010001');
      const id = await new STSClient(clientConfig(sb, { credentials: creds })).send(new GetCallerIdentityCommand({}));
      expect(id.Account).toBe('900000010001');
      expect((await failure(assume(sb, LARGE_ORG_BROKEN_MEMBER))).name).toBe('AccessDenied');
    } finally {
      await sb.close();
    }
  });
});

describe('ExternalId', () => {
  it('is required when the member roles ask for it', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'org-')), 'org.json');
    writeFileSync(
      file,
      JSON.stringify({
        kind: 'organization',
        name: 'with-external-id',
        organization: { id: 'o-extid000001' },
        memberRoles: { externalId: 'acme-aws-ir' },
        management: { accountId: '333300000000', name: 'm', email: 'm@example.com', scenario: 'clean' },
        members: [{ accountId: '333300000001', name: 'a', scenario: 'clean' }],
      }),
    );
    const sb = await startSandbox({ scenario: file, rateLimits: false });
    try {
      expect((await failure(assume(sb, '333300000001'))).name).toBe('AccessDenied');
      expect((await failure(assume(sb, '333300000001', 'aws-ir-scan', 'wrong'))).name).toBe('AccessDenied');
      await expect(assume(sb, '333300000001', 'aws-ir-scan', 'acme-aws-ir')).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
    } finally {
      await sb.close();
    }
  });

  it('reports every problem of a broken organization file', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'org-')), 'org.json');
    writeFileSync(
      file,
      JSON.stringify({
        kind: 'organization',
        name: 'broken',
        organization: { id: 'o-broken000001' },
        management: { accountId: '1', name: 'm', email: 'm@example.com', scenario: 'nope' },
        members: [{ accountId: '333300000001', name: 'a', unit: 'ou-none-00000000', scenario: 'clean' }],
      }),
    );
    const err = await failure(startSandbox({ scenario: file }));
    expect(err.name).toBe('ScenarioError');
    expect(err.message).toMatch(/management.accountId/);
    expect(err.message).toMatch(/management.scenario/);
    expect(err.message).toMatch(/no unit ou-none-00000000/);
  });
});
