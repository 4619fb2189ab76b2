import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';

/**
 * The whole AWS CLI operation sweep (`npm run bench`): one `aws` process per call, about 30 calls. The test
 * suite runs one command per protocol in a single CLI process (packages/aws-sandbox/test/integration/aws-cli.test.ts).
 */
const SCRIPT = join(__dirname, '../../packages/aws-sandbox/scripts/check-aws-cli.sh');

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());

/**
 * Async on purpose: the sandbox answers from this same process, so the event loop must stay free. The
 * CLI starts a Python interpreter per call (about 30 calls): minutes, not seconds, on a loaded machine.
 */
function runScript(endpoint: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', [SCRIPT, endpoint], { timeout: 240_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

test('the official AWS CLI reads the credential report, event history, costs and regions, and speaks every protocol of the attacked services', async () => {
  const { code, stdout, stderr } = await runScript(sb.endpoint);
  if (code !== 0) throw new Error(`check-aws-cli.sh failed (${code}):\n${stdout}\n${stderr}`);
  expect(stdout).toContain('ok: sts get-caller-identity: account 111122223333');
  expect(stdout).toContain('ok: sts get-caller-identity with a wrong secret: SignatureDoesNotMatch');
  expect(stdout).toContain('ok: iam get-credential-report: 22 columns, root row present');
  expect(stdout).toMatch(/ok: cloudtrail lookup-events: 5 events/);
  expect(stdout).toContain('ok: ce get-cost-and-usage: 7 daily periods');
  for (const line of [
    's3api (REST-XML)',
    'ses (query)',
    'sesv2 (REST-JSON)',
    'rds (query)',
    'guardduty (REST-JSON)',
    'configservice (JSON 1.1)',
    'ec2 (EC2 query): modify-snapshot-attribute',
    'lambda (REST-JSON)',
    'cloudtrail lookup-events: the CLI',
  ]) {
    expect(stdout).toContain(`ok: ${line}`);
  }
  // The CLI's own calls are recorded like any caller's (GenerateCredentialReport is read-only: not recorded).
  expect(sb.state.credentialReport.state).toBe('COMPLETE');
}, 300_000);

test('the script refuses anything but a local endpoint', async () => {
  const { code, stderr } = await runScript('https://iam.amazonaws.com');
  expect(code).toBe(2);
  expect(stderr).toContain('only talks to a local sandbox');
});
