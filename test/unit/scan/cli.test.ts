import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { CliIo } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';
import { parseScanArgs } from '../../../src/cli/scan-command';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { ACCOUNT } from './helpers';

function io(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, interactive: false };
}

describe('aws-ir scan arguments', () => {
  it('parses flags in both forms', () => {
    expect(parseScanArgs(['--days', '14', '--regions=us-east-1,eu-west-1', '--format', 'json'])).toEqual({
      days: 14,
      regions: ['us-east-1', 'eu-west-1'],
      format: 'json',
      help: false,
    });
    expect(parseScanArgs(['--channel', 'C0INCIDENT'])).toMatchObject({ channel: 'C0INCIDENT' });
    expect(parseScanArgs([])).toMatchObject({ days: 7, format: 'text' });
  });

  it.each([
    [['--days', '0'], /--days must be a whole number from 1 to 90/],
    [['--days', '91'], /from 1 to 90/],
    [['--days', 'abc'], /from 1 to 90/],
    [['--days'], /--days needs a value/],
    [['--regions', 'mars-1'], /--regions: "mars-1" is not a region name/],
    [['--format', 'yaml'], /--format must be text, json or markdown/],
    [['--verbose'], /Unknown option "--verbose"/],
    [['--channel', '<!channel>'], /--channel takes a Slack channel id/],
  ])('rejects %j with one clear line and exit code 2', async (argv, message) => {
    const out = io();
    expect(await main(['scan', ...argv], out)).toBe(2);
    expect(out.stderr).toHaveLength(1);
    expect(out.stderr[0]).toMatch(message);
  });
});

describe('aws-ir dispatcher', () => {
  it('prints usage for help and rejects unknown commands', async () => {
    const a = io();
    expect(await main(['--help'], a)).toBe(0);
    expect(a.stdout[0]).toMatch(/Usage: aws-ir <command>/);
    const b = io();
    expect(await main(['frobnicate'], b)).toBe(2);
    expect(b.stderr[0]).toMatch(/unknown command "frobnicate"/);
  });
});

describe('aws-ir scan --format json', () => {
  const sts = mockClient(STSClient);
  const ec2 = mockClient(EC2Client);
  // Every other service is mocked too (answering nothing), so no request can leave the machine.
  const others = [IAMClient, CloudTrailClient, CostExplorerClient, OrganizationsClient, AccountClient, LambdaClient].map((c) => mockClient(c as never));
  afterAll(() => {
    for (const m of [sts, ec2, ...others]) m.restore();
  });

  it("prints the design's JSON object", async () => {
    clearCostCache();
    sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/scanner` });
    ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1', OptInStatus: 'opt-in-not-required' }] });
    const out = io({
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'not-a-secret',
      AWS_MAX_ATTEMPTS: '1',
      AWS_IR_DB_PATH: ':memory:',
    });
    const code = await main(['scan', '--format', 'json', '--days', '3'], out);
    expect(out.stderr).toEqual([]);
    const json = JSON.parse(out.stdout.join('')) as Record<string, unknown>;
    // The design's fields in order, then the additive report of how CloudTrail was read.
    expect(Object.keys(json)).toEqual(['account', 'window', 'regions', 'findings', 'gaps', 'stats', 'cloudtrail', 'stories']);
    expect(json.account).toBe(ACCOUNT);
    expect(json.regions).toEqual(['us-east-1']);
    // CloudTrail answers nothing here: no region was read, which the gaps say.
    expect((json.cloudtrail as { regions: unknown[] }).regions).toEqual([]);
    expect((json.gaps as { check: string }[]).some((g) => g.check === 'cloudtrail')).toBe(true);
    expect(Object.keys(json.stats as object)).toEqual(['durationMs', 'apiCalls']);
    for (const g of json.gaps as Record<string, unknown>[]) expect(typeof g.reason).toBe('string');
    expect([0, 1]).toContain(code);
  });
});
