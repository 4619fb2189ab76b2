/**
 * The official AWS CLI against the sandbox, one command per wire protocol the attacked services speak
 * (query, EC2 query, JSON 1.1, REST-XML, REST-JSON) and the signature check, all in one CLI process
 * (scripts/aws-cli-batch.py: the CLI's own driver, started once). The whole operation sweep,
 * scripts/check-aws-cli.sh with one `aws` per call, runs in `npm run bench` (bench/trials/aws-cli.trial.ts).
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../src';

const BATCH = join(__dirname, '../../scripts/aws-cli-batch.py');

interface CliResult {
  rc: number;
  stdout: string;
  stderr: string;
}

/** The Python that runs `aws` (its shebang), or python3 when `aws` is a wrapper such as a pyenv shim. */
function python(): string {
  const aws = execFileSync('bash', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim();
  const shebang = /^#!(\S*python\S*)/.exec(readFileSync(aws, 'utf8').slice(0, 200))?.[1];
  return shebang ?? 'python3';
}

/** Async: the sandbox answers from this same process, so the event loop must stay free. */
function runBatch(
  endpoint: string,
  commands: (string[] | { args: string[]; env: Record<string, string> })[],
): Promise<{ code: number; results: CliResult[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python(), [BATCH, endpoint], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const results = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as CliResult);
      resolve({ code: code ?? 1, results, stderr });
    });
    child.stdin.end(commands.map((c) => JSON.stringify(c)).join('\n'));
  });
}

const json = (r: CliResult | undefined): unknown => JSON.parse(r?.stdout || 'null');

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

test('the official AWS CLI speaks each protocol with the sandbox and is refused with a wrong secret', async () => {
  const bucket = 'cli-quick-check';
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
  });
  const { code, results, stderr } = await runBatch(sb.endpoint, [
    ['sts', 'get-caller-identity'],
    { args: ['sts', 'get-caller-identity'], env: { AWS_SECRET_ACCESS_KEY: 'not-the-admin-secret' } },
    ['iam', 'list-users', '--max-items', '3'],
    ['ec2', 'describe-regions'],
    ['cloudtrail', 'lookup-events', '--max-results', '5'],
    ['s3api', 'create-bucket', '--bucket', bucket],
    ['s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', policy],
    ['s3api', 'get-bucket-policy', '--bucket', bucket],
    ['guardduty', 'create-detector', '--enable'],
    ['guardduty', 'list-detectors'],
  ]);
  if (code !== 0 || results.length !== 10) throw new Error(`aws-cli-batch.py exited ${code} after ${results.length} commands:\n${stderr}`);
  const [identity, denied, users, regions, events, created, put, got, detector, detectors] = results;
  expect(results.map((r) => r.rc)).toEqual([0, 255, 0, 0, 0, 0, 0, 0, 0, 0]);
  expect(json(identity)).toMatchObject({ Account: sb.accountId });
  expect(denied?.stderr).toContain('SignatureDoesNotMatch');
  expect((json(users) as { Users: unknown[] }).Users.length).toBeGreaterThan(0);
  expect((json(regions) as { Regions: unknown[] }).Regions.length).toBeGreaterThanOrEqual(17);
  const lookedUp = (json(events) as { Events: { EventName: string }[] }).Events;
  expect(lookedUp.length).toBeGreaterThan(0);
  expect(lookedUp.length).toBeLessThanOrEqual(5);
  expect(created?.stderr).toBe('');
  expect(put?.stderr).toBe('');
  const stored = JSON.parse((json(got) as { Policy: string }).Policy) as { Statement: { Principal: { AWS: string } }[] };
  expect(stored.Statement[0]?.Principal.AWS).toBe('arn:aws:iam::999988887777:root');
  expect((json(detectors) as { DetectorIds: string[] }).DetectorIds).toContain((json(detector) as { DetectorId: string }).DetectorId);
  // What the CLI changed is in the account's state, as any caller's change is.
  expect(sb.state.buckets.find((b) => b.name === bucket)?.policy).toContain('999988887777');
});

test('the batch refuses anything but a local endpoint', async () => {
  const { code, stderr } = await runBatch('https://iam.amazonaws.com', []);
  expect(code).toBe(2);
  expect(stderr).toContain('only talks to a local sandbox');
});
