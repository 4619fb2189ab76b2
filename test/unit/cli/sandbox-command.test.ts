import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { CliIo } from '../../../src/cli/command';
import { parseSandboxArgs, run } from '../../../src/cli/sandbox-command';

function captureIo(): CliIo & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return { out: (t) => outText.push(t), err: (t) => errText.push(t), env: {}, interactive: false, outText, errText };
}

test('parses --scenario, --port (both spellings) and --no-rate-limits', () => {
  expect(parseSandboxArgs(['--scenario', 'clean', '--port=4566', '--no-rate-limits'])).toEqual({
    scenario: 'clean',
    port: 4566,
    rateLimits: false,
    help: false,
  });
  expect(() => parseSandboxArgs(['--port', 'abc'])).toThrow('--port must be a port number (0-65535), got "abc".');
  expect(() => parseSandboxArgs(['--scenario'])).toThrow('--scenario needs a value.');
  expect(() => parseSandboxArgs(['--verbose'])).toThrow('Unknown option "--verbose".');
});

test('starts the sandbox, prints endpoint, credentials and example commands, and serves until stopped', async () => {
  const io = captureIo();
  let endpoint = '';
  const code = await run(['--scenario', 'clean'], io, async () => {
    endpoint = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.outText.join('\n'))![1]!;
    const who = await new STSClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAANYTHING00000000', secretAccessKey: 'x' },
      maxAttempts: 1,
    }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:iam::210987654321:user/sandbox-admin');
  });
  expect(code).toBe(0);
  const out = io.outText.join('\n');
  expect(out).toContain('Sandbox AWS account 210987654321 (scenario: clean)');
  expect(out).toContain('export AWS_ACCESS_KEY_ID=AKIASANDBOXADMIN0001');
  // AWS CLI v1 (Debian's awscli) reads only AWS_DEFAULT_REGION; without it every example command fails.
  expect(out).toContain('AWS_DEFAULT_REGION=us-east-1');
  expect(out).toContain(`aws iam generate-credential-report --endpoint-url ${endpoint}`);
  expect(io.errText.join('\n')).toContain('stopped');
});

test('a bad flag is a usage error (exit 2); an invalid scenario file is reported with its problems (exit 1)', async () => {
  const io = captureIo();
  expect(await run(['--port', '99999'], io, async () => undefined)).toBe(2);
  expect(io.errText.join('\n')).toContain('Usage: aws-ir sandbox');

  const dir = mkdtempSync(join(tmpdir(), 'sandbox-cmd-'));
  const file = join(dir, 'bad.json');
  writeFileSync(file, JSON.stringify({ name: 'bad', accountId: 'x', contact: { fullName: 'a' } }));
  const io2 = captureIo();
  expect(await run(['--scenario', file], io2, async () => undefined)).toBe(1);
  expect(io2.errText.join('\n')).toContain('$.accountId: "x" is not valid: an account id is 12 digits');
});
