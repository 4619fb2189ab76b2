import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient, DescribeTrailsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DescribeInstancesCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  GenerateCredentialReportCommand,
  GetAccountAuthorizationDetailsCommand,
  GetCredentialReportCommand,
  IAMClient,
  ListPoliciesCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { flaggedIdentities, runScan } from '../../../src/scan/engine';
import { CHECK_IDS, type ProgressEvent } from '../../../src/scan/model';
import { ACCOUNT, awsError, daysAgo, NOW, testClients } from './helpers';
import { retryAtOnce } from '../../support/virtual-time';

describe('runScan with mocked AWS', () => {
  const sts = mockClient(STSClient);
  const ec2 = mockClient(EC2Client);
  const iam = mockClient(IAMClient);
  const ct = mockClient(CloudTrailClient);
  const mocks = [sts, ec2, iam, ct, mockClient(CostExplorerClient), mockClient(OrganizationsClient), mockClient(AccountClient), mockClient(LambdaClient)];
  afterAll(() => {
    for (const m of mocks) m.restore();
  });

  beforeEach(() => {
    for (const m of mocks) m.reset();
    clearCostCache();
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/scanner`, UserId: 'AIDA' });
    ec2.on(DescribeRegionsCommand).resolves({
      Regions: [
        { RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'eu-west-1', OptInStatus: 'opt-in-not-required' },
        { RegionName: 'af-south-1', OptInStatus: 'not-opted-in' },
        { RegionName: 'ap-east-1', OptInStatus: 'opted-in' },
      ],
    });
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    ct.on(LookupEventsCommand).resolves({ Events: [] });
    ct.on(DescribeTrailsCommand).resolves({ trailList: [] });
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: Buffer.from('user,arn,user_creation_time\n') });
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({ UserDetailList: [] });
    iam.on(ListPoliciesCommand).resolves({ Policies: [] });
    iam.on(ListRolesCommand).resolves({
      Roles: [
        {
          RoleName: 'ops-support',
          Arn: `arn:aws:iam::${ACCOUNT}:role/ops-support`,
          Path: '/',
          RoleId: 'R',
          CreateDate: daysAgo(100),
          AssumeRolePolicyDocument: encodeURIComponent(
            JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' } }] }),
          ),
        },
      ],
    });
  });

  it('scans every enabled region (skipping not-opted-in ones), never throws, and reports progress for every check', async () => {
    const events: ProgressEvent[] = [];
    const result = await runScan({ clients: testClients(), options: { days: 7, now: NOW, pollIntervalMs: 0 }, onProgress: (e) => events.push(e) });
    expect(result.account).toBe(ACCOUNT);
    expect(result.regions).toEqual(['ap-east-1', 'eu-west-1', 'us-east-1']);
    expect(result.window).toEqual({ start: daysAgo(7).toISOString(), end: NOW.toISOString() });
    const finished = events.filter((e) => e.type === 'check-finished').map((e) => e.check);
    expect([...finished].sort()).toEqual([...CHECK_IDS].sort());
    expect(result.findings.some((f) => f.check === 'iam-changes' && f.title.includes('ops-support'))).toBe(true);
    // Unmocked services answer nothing: those checks become gaps, not exceptions.
    for (const g of result.gaps) expect(g.reason).not.toMatch(/\n\s+at /);
    // Severity order.
    const ranks = result.findings.map((f) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('gives the same finding ids on every scan', async () => {
    const a = await runScan({ clients: testClients(), options: { days: 7, now: NOW, pollIntervalMs: 0 } });
    const b = await runScan({ clients: testClients(), options: { days: 7, now: new Date(NOW.getTime() + 60_000), pollIntervalMs: 0 } });
    expect(a.findings.length).toBeGreaterThan(0);
    expect(b.findings.map((f) => f.id).sort()).toEqual(a.findings.map((f) => f.id).sort());
  });

  it('restricts to --regions and says which asked-for regions are not enabled', async () => {
    const result = await runScan({ clients: testClients(), options: { days: 3, regions: ['eu-west-1', 'af-south-1'], now: NOW, pollIntervalMs: 0 } });
    expect(result.regions).toEqual(['eu-west-1']);
    expect(result.gaps).toContainEqual({
      check: 'resources',
      region: 'af-south-1',
      reason: 'region af-south-1 is not enabled (not opted in) for this account, so it was not checked.',
    });
    expect(ec2.commandCalls(DescribeInstancesCommand)).toHaveLength(1);
  });

  it('turns a failing region listing into a gap and falls back to the home region', async () => {
    ec2.on(DescribeRegionsCommand).rejects(awsError('UnauthorizedOperation'));
    const result = await runScan({ clients: testClients(), options: { days: 7, now: NOW, pollIntervalMs: 0 } });
    expect(result.regions).toEqual(['us-east-1']);
    expect(result.gaps.find((g) => g.check === 'resources')?.reason).toMatch(/not allowed to call ec2:DescribeRegions.*only us-east-1 was checked/);
  });

  it('survives STS failing (account from the target, a gap for the self-check)', async () => {
    sts.on(GetCallerIdentityCommand).rejects(awsError('ExpiredToken'));
    const result = await runScan({ clients: testClients(), options: { days: 7, now: NOW, pollIntervalMs: 0 } });
    expect(result.account).toBe(ACCOUNT);
    expect(result.gaps.find((g) => g.check === 'quarantine')?.reason).toMatch(/sts:GetCallerIdentity failed with ExpiredToken/);
  });
});

describe('flaggedIdentities', () => {
  it('lists users and roles with actions, most severe first, without duplicates or service-linked roles', () => {
    const base = { check: 'cloudtrail' as const, step: 'R4' as const, title: 't', evidence: {}, id: 'x' };
    const arns = flaggedIdentities(ACCOUNT, [
      { ...base, severity: 'medium', resources: [], actions: ['role.revoke-sessions'], target: { kind: 'role', roleName: 'ops' } },
      {
        ...base,
        severity: 'critical',
        resources: [`arn:aws:iam::${ACCOUNT}:user/path/ci`],
        actions: ['key.deactivate'],
        target: { kind: 'access-key', userName: 'ci', accessKeyId: 'AKIA1' },
      },
      {
        ...base,
        severity: 'high',
        resources: [],
        actions: ['user.delete'],
        target: { kind: 'user', userName: 'ci', arn: `arn:aws:iam::${ACCOUNT}:user/path/ci` },
      },
      { ...base, severity: 'info', resources: [], actions: ['user.delete'], target: { kind: 'user', userName: 'quiet' } },
    ]);
    // The role's ARN is not known (its path may not be "/"): the last-accessed check reads it from IAM.
    expect(arns).toEqual([`arn:aws:iam::${ACCOUNT}:user/path/ci`, 'role:ops']);
  });
});

/** A local AWS endpoint answering every request with `respond` once its body is read. */
function localAws(respond: (req: IncomingMessage, res: ServerResponse) => void): { clients: (key: string, maxAttempts: number) => AwsClients } {
  let server: Server;
  let endpoint = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => respond(req, res));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return {
    clients: (key, maxAttempts) =>
      new AwsClients(
        // Retries at once: how long the SDK backs off is not what these tests are about.
        {
          key,
          region: 'us-east-1',
          endpoint,
          credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
          maxAttempts,
          retryDelayMs: retryAtOnce,
        },
        new RateLimiterRegistry({}),
      ),
  };
}

describe('runScan over real HTTP (every AWS call denied)', () => {
  const aws = localAws((_req, res) => {
    res.writeHead(403, { 'content-type': 'text/xml', 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-requestid': 'req-local' });
    res.end(
      '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>denied</Message></Error><RequestId>req-local</RequestId></ErrorResponse>',
    );
  });

  it('counts every call by operation and reports each check as a gap', async () => {
    clearCostCache();
    const clients = aws.clients('denied-account', 1);
    const result = await runScan({ clients, options: { days: 7, now: NOW, pollIntervalMs: 0 } });
    expect(result.account).toBe('denied-account');
    expect(result.stats.apiCalls['STS:GetCallerIdentity']).toBe(1);
    expect(result.stats.apiCalls['EC2:DescribeRegions']).toBe(1);
    expect(result.stats.apiCalls['IAM:GenerateCredentialReport']).toBe(1);
    expect(result.stats.apiCalls['CloudTrail:LookupEvents']).toBe(1);
    expect(result.gaps.map((g) => g.reason)).toContain("aws-ir's scan role is not allowed to call iam:GenerateCredentialReport.");
    expect(new Set(result.gaps.map((g) => g.check)).size).toBeGreaterThanOrEqual(7);
    expect(result.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

describe('runScan over real HTTP (AWS throttles every request)', () => {
  const aws = localAws((req, res) => {
    const json = String(req.headers['content-type'] ?? '').includes('json');
    res.writeHead(400, {
      'content-type': json ? 'application/x-amz-json-1.1' : 'text/xml',
      'x-amzn-errortype': 'ThrottlingException',
      'x-amzn-requestid': 'req-local',
    });
    res.end(
      json
        ? JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' })
        : '<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>',
    );
  });

  it('retries (maxAttempts 2), then records plain throttling gaps', async () => {
    clearCostCache();
    const clients = aws.clients('throttled-account', 2);
    const result = await runScan({ clients, options: { days: 7, now: NOW, pollIntervalMs: 0 } });
    // Every attempt is counted: one try and one retry.
    expect(result.stats.apiCalls['CloudTrail:LookupEvents']).toBe(2);
    expect(result.stats.apiCalls['IAM:GenerateCredentialReport']).toBe(2);
    expect(result.gaps).toContainEqual({ check: 'cloudtrail', region: 'us-east-1', reason: 'AWS kept throttling cloudtrail:LookupEvents after every retry.' });
    expect(result.gaps).toContainEqual({ check: 'credential-report', reason: 'AWS kept throttling iam:GenerateCredentialReport after every retry.' });
  }, 30_000);
});
