/**
 * The scan against the built-in sandbox's `compromised-key` account, over real HTTP on 127.0.0.1 with
 * the sandbox's AWS rate limits on: every sign of compromise the scenario plants is reported under
 * its runbook step, with the actions a responder needs, and the CLI prints it as the design's JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clientsFor } from '../../../src/aws/clients';
import type { CliIo } from '../../../src/cli/command';
import { main } from '../../../src/cli/main';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { clearCostCache } from '../../../src/scan/checks/cost';
import { runScan } from '../../../src/scan/engine';
import type { Finding, ScanResult } from '../../../src/scan/model';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

/** The sandbox's clock, its throttling, and the scans' pacing and polls on one virtual time: nobody waits. */
const time = new VirtualTime();
let sandbox: RunningSandbox;
let result: ScanResult;

const scan = () =>
  runScan({
    clients: clientsFor(sandboxTestTarget(sandbox, time)),
    options: { days: 7 },
  });

beforeAll(async () => {
  clearCostCache();
  sandbox = await startSandbox({ scenario: 'compromised-key', ...sandboxClock(time) });
  result = await scan();
}, 120_000);
afterAll(() => sandbox?.close());

const find = (pred: (f: Finding) => boolean): Finding | undefined => result.findings.find(pred);

describe('scan of the compromised-key sandbox account', () => {
  it('covers the account in every enabled region with no gaps', () => {
    expect(result.account).toBe(sandbox.accountId);
    expect(result.regions).toContain('us-east-1');
    expect(result.regions.length).toBeGreaterThan(3);
    expect(result.gaps).toEqual([]);
  });

  it('R1: the leaked key of ci-deploy, used in the window, with deactivate and delete', () => {
    const f = find((x) => x.step === 'R1' && x.target?.kind === 'access-key' && x.target.userName === 'ci-deploy');
    expect(f?.actions).toEqual(['key.deactivate', 'key.delete']);
    // Routine key use is low; this one is implicated by CloudTrail and the quarantine.
    expect(f?.severity).toBe('high');
    expect((f?.evidence.implicatedBy as string[] | undefined)?.length).toBeGreaterThan(0);
  });

  it('R4: the leaked key creating persistence from an unfamiliar IP, grouped with counts and times', () => {
    const f = find(
      (x) => x.check === 'cloudtrail' && x.evidence.region === 'us-east-1' && Object.keys((x.evidence.events as object) ?? {}).includes('CreateUser'),
    );
    expect(f?.severity).toBe('high');
    expect(f?.target).toMatchObject({ kind: 'access-key', userName: 'ci-deploy' });
    expect(f?.evidence).toEqual(
      expect.objectContaining({ sourceIp: expect.any(String), count: expect.any(Number), first: expect.any(String), last: expect.any(String) }),
    );
  });

  it('names each target of the leaked key: the backdoor user, its key, the role trusting an outside account, the GPU instances', () => {
    const by = (id: string) => result.findings.filter((x) => x.detection === id);
    expect(by('iam-user-created')[0]).toMatchObject({
      severity: 'high',
      resources: ['arn:aws:iam::111122223333:user/svc-backup'],
      target: { kind: 'user', userName: 'svc-backup' },
    });
    expect(by('iam-access-key-for-another-user')[0]).toMatchObject({
      target: { kind: 'access-key', userName: 'svc-backup', accessKeyId: 'AKIASVCBACKUP0000001' },
      actions: ['key.deactivate', 'key.delete'],
    });
    expect(by('iam-role-created')[0]).toMatchObject({ severity: 'high', target: { kind: 'role', roleName: 'ops-support' } });
    const launched = by('ec2-instances-launched').flatMap((x) => x.resources);
    expect(launched).toEqual(
      expect.arrayContaining([expect.stringMatching(/instance\/i-0bad0bad0bad00001$/), expect.stringMatching(/instance\/i-0bad0bad0bad00004$/)]),
    );
    expect(by('ec2-instances-launched').every((x) => x.severity === 'critical')).toBe(true);
  });

  it("R4: AWS's quarantine of ci-deploy, recorded under the leaked key, is an info note for AWS, not the key's or root's activity", () => {
    const note = find((x) => x.check === 'cloudtrail' && x.title.startsWith('AWS itself'));
    expect(note).toMatchObject({
      severity: 'info',
      evidence: { origins: ['exposed-key quarantine, AWSCompromisedKeyQuarantineV2'], events: { AttachUserPolicy: 1 } },
    });
    const signals = result.findings.filter((x) => x.check === 'cloudtrail' && x !== note);
    expect(signals.some((x) => x.evidence.sourceIp === '72.21.217.97' || /root user/.test(x.title))).toBe(false);
  });

  it('D1: the backdoor user svc-backup, with the user actions', () => {
    const f = find((x) => x.step === 'D1' && x.title === 'IAM user svc-backup was created in the incident window');
    expect(f?.actions).toEqual(['user.deactivate-keys', 'user.quarantine', 'user.disable-password', 'user.delete']);
  });

  it('D5: role ops-support trusting an outside account', () => {
    const f = find((x) => x.check === 'iam-changes' && x.target?.kind === 'role' && x.target.roleName === 'ops-support');
    expect(f?.title).toMatch(/trusts principals outside the account/);
    expect(f?.actions).toEqual(['role.revoke-sessions', 'role.delete']);
  });

  it('R5: GPU instances in three regions the account never used', () => {
    const gpu = result.findings.filter((x) => x.check === 'resources' && x.evidence.accelerated === true && x.evidence.unusedRegion === true);
    expect(new Set(gpu.map((x) => x.evidence.region)).size).toBe(3);
    for (const f of gpu) expect(f).toMatchObject({ severity: 'critical', actions: ['instance.isolate', 'instance.snapshot', 'instance.terminate'] });
  });

  it('D4: the cost spike; D5: the member account created; R2: the quarantined user; R8: no security contact', () => {
    expect(result.findings.filter((x) => x.step === 'D4' && x.severity !== 'info').length).toBeGreaterThan(0);
    expect(find((x) => x.check === 'organizations' && /was created in the incident window/.test(x.title))).toBeDefined();
    expect(find((x) => x.step === 'R2' && x.target?.kind === 'user' && x.target.userName === 'ci-deploy')?.severity).toBe('critical');
    expect(find((x) => x.step === 'R8' && /no security alternate contact/.test(x.title))).toBeDefined();
  });

  it('reports its API calls by operation: last-used data from the report, CloudTrail once per region', () => {
    const calls = result.stats.apiCalls;
    expect(calls['IAM:GetCredentialReport']).toBe(1);
    expect(calls['IAM:GetAccessKeyLastUsed']).toBeUndefined();
    expect(calls['IAM:ListUsers']).toBeUndefined();
    expect(calls['CloudTrail:LookupEvents']).toBeGreaterThanOrEqual(result.regions.length);
    expect((calls['CostExplorer:GetCostAndUsage'] ?? 0) + (calls['CostExplorer:GetAnomalies'] ?? 0)).toBeLessThanOrEqual(4);
  });

  it('gives the same finding ids when the account is scanned again', async () => {
    sandbox.reset();
    const again = await scan();
    expect(again.findings.map((f) => f.id).sort()).toEqual(result.findings.map((f) => f.id).sort());
  }, 120_000);
});

describe('aws-ir scan --format json against the sandbox', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-cli-scan-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints the design's object with the findings, and records and audits the scan like Slack does", async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const db = path.join(dir, 'aws-ir.db');
    const env = { AWS_IR_SANDBOX: 'compromised-key', AWS_IR_DB_PATH: db, USER: 'dana' };
    // The command's own sandbox, pacing and polls on virtual time: nobody waits.
    const io: CliIo = { out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, interactive: false, clock: new VirtualTime() };
    expect(await main(['scan', '--format', 'json', '--regions', 'us-east-1,ap-southeast-2'], io)).toBe(0);
    expect(stderr).toEqual([]);
    const json = JSON.parse(stdout.join('')) as {
      regions: string[];
      findings: { id: string; severity: string; step: string; actions: string[] }[];
      stats: { apiCalls: Record<string, number> };
      gaps: unknown[];
    };
    expect(json.regions).toEqual(['ap-southeast-2', 'us-east-1']);
    expect(json.gaps).toEqual([]);
    expect(json.findings.some((f) => f.step === 'R5' && f.actions.includes('instance.isolate'))).toBe(true);
    expect(json.stats.apiCalls['STS:GetCallerIdentity']).toBe(1);

    const store = new SqliteStore(db);
    try {
      const recorded = await store.latestScan('cli');
      expect(recorded).toMatchObject({ status: 'done', requestedBy: 'cli:dana', channel: 'cli' });
      expect(recorded?.result?.findings.map((f) => f.id)).toEqual(json.findings.map((f) => f.id));
      const audit = await store.listAudit({ scanId: recorded!.id });
      expect(audit.filter((e) => e.kind.startsWith('scan.')).map((e) => [e.kind, e.user])).toEqual([
        ['scan.started', 'cli:dana'],
        ['scan.finished', 'cli:dana'],
      ]);
      // Guided findings became the `cli` channel's checklist, as a Slack scan's do in its channel.
      const items = await store.listOpenItems({ channel: 'cli' });
      expect(items.length).toBeGreaterThan(0);
      expect(audit.filter((e) => e.kind === 'checklist.opened')).toHaveLength(items.length);
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('aws-ir trail against the sandbox', () => {
  it("shows the leaked key's activity across regions, from the unfamiliar IP (D3)", async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = {
      out: (t) => stdout.push(t),
      err: (t) => stderr.push(t),
      env: { AWS_IR_SANDBOX: 'compromised-key' },
      interactive: false,
      clock: new VirtualTime(),
    };
    expect(await main(['trail', 'AKIACIDEPLOYLEAKED01', '--format', 'json'], io)).toBe(0);
    expect(stderr).toEqual([]);
    const activity = JSON.parse(stdout.join('')) as {
      totalEvents: number;
      sourceIps: string[];
      regions: { region: string; events: { name: string; byAws?: string }[] }[];
      gaps: unknown[];
    };
    expect(activity.gaps).toEqual([]);
    expect(activity.totalEvents).toBeGreaterThan(0);
    expect(activity.sourceIps).toContain('185.220.101.34');
    // AWS's quarantine call is listed, marked as AWS's, and its address is not one of the key's.
    expect(activity.sourceIps).not.toContain('72.21.217.97');
    const events = activity.regions.flatMap((r) => r.events);
    expect(events.find((e) => e.name === 'AttachUserPolicy' && e.byAws)?.byAws).toBe('exposed-key quarantine, AWSCompromisedKeyQuarantineV2');
    expect(activity.regions.map((r) => r.region)).toEqual(expect.arrayContaining(['us-east-1', 'ap-southeast-2', 'sa-east-1', 'ca-central-1']));
  }, 120_000);
});
