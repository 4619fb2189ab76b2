import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAuditCommand, parseAuditArgs } from '../../../src/cli/audit-command';
import type { CliIo } from '../../../src/cli/command';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { pendingRequest } from './helpers';

function io(env: NodeJS.ProcessEnv): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, interactive: false, stdout, stderr };
}

describe('aws-ir audit', () => {
  let dir: string;
  let db: string;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-audit-'));
    db = path.join(dir, 'aws-ir.db');
    const store = new SqliteStore(db);
    await store.createRequest(pendingRequest({ id: 'req-1', status: 'succeeded', decidedBy: 'U2', decidedAt: '2026-01-01T00:05:00.000Z' }));
    await store.createRequest(pendingRequest({ id: 'req-2', channel: 'C2' }));
    await store.appendAudit({
      at: '2026-01-01T00:00:00.000Z',
      channel: 'C1',
      user: 'U1',
      kind: 'request.created',
      requestId: 'req-1',
      data: { action: 'key.deactivate', target: 'access key AKIAEXAMPLE0001 of user ci-deploy', reason: 'leaked' },
    });
    await store.appendAudit({
      at: '2026-01-01T00:05:01.000Z',
      channel: 'C1',
      kind: 'aws.call',
      requestId: 'req-1',
      data: { operation: 'IAM:UpdateAccessKey', region: 'us-east-1', input: { UserName: 'ci-deploy' }, requestId: 'aws-rid-1' },
    });
    await store.appendAudit({ at: '2026-01-01T00:06:00.000Z', channel: 'C2', user: 'U1', kind: 'request.created', requestId: 'req-2', data: {} });
    await store.close();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('exports one channel as JSON', async () => {
    const cli = io({ AWS_IR_DB_PATH: db });
    expect(await runAuditCommand(['--channel', 'C1', '--format', 'json'], cli)).toBe(0);
    const record = JSON.parse(cli.stdout.join(''));
    expect(record.channel).toBe('C1');
    expect(record.requests.map((r: { id: string }) => r.id)).toEqual(['req-1']);
    expect(record.entries.map((e: { kind: string }) => e.kind)).toEqual(['request.created', 'aws.call']);
  });

  it('exports Markdown with requests, decisions and AWS request ids', async () => {
    const cli = io({ AWS_IR_DB_PATH: db });
    expect(await runAuditCommand(['--format=markdown'], cli)).toBe(0);
    const text = cli.stdout.join('');
    expect(text).toContain('| req-1 | key.deactivate | access key AKIAEXAMPLE0001 of user ci-deploy | U1 | U2 | succeeded |');
    expect(text).toContain('request id aws-rid-1');
    expect(text).toContain('reason: leaked');
    expect(text).toContain('req-2');
  });

  it('refuses bad flags and a missing database without creating one', async () => {
    expect(() => parseAuditArgs(['--format', 'csv'])).toThrow(/json or markdown/);
    const bad = io({ AWS_IR_DB_PATH: db });
    expect(await runAuditCommand(['--bogus'], bad)).toBe(2);
    const missing = path.join(dir, 'nope', 'x.db');
    const cli = io({ AWS_IR_DB_PATH: missing });
    expect(await runAuditCommand([], cli)).toBe(1);
    expect(cli.stderr.join('')).toContain('no aws-ir database');
    expect(fs.existsSync(missing)).toBe(false);
  });
});
