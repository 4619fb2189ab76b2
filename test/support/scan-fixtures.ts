/**
 * Realistic scan data for Slack-level tests, shaped like what the engine reports for the sandbox's
 * `compromised-key` scenario (leaked key of `ci-deploy`, backdoor user `svc-backup`, outside-trust
 * role `ops-support`, GPU instances in unused regions, a cost spike, a new member account, a
 * quarantine policy, no security contact), plus generators for volume tests and a fake ScanFn.
 *
 *   services.runScan = fakeScan({ findings: compromisedKeyFindings(), durationMs: 2000 })
 *   manyFindings(400)   // hundreds of findings spread over every runbook step, with buttons
 */
import { findingId } from '../../src/scan/ids';
import { CHECK_IDS, RUNBOOK_STEPS, SEVERITIES, type Finding, type Gap, type ScanResult } from '../../src/scan/model';
import type { ScanFn } from '../../src/scan/engine';
import type { ActionId } from '../../src/remediation/action-ids';
import { systemClock, type Clock } from '../../src/clock';

export const ACCOUNT = '111122223333';
const id = (check: Finding['check'], resource: string) => findingId(ACCOUNT, check, resource);

export function compromisedKeyFindings(): Finding[] {
  return [
    {
      id: id('quarantine', 'ci-deploy'),
      check: 'quarantine',
      severity: 'critical',
      step: 'R2',
      title: 'IAM user ci-deploy carries AWSCompromisedKeyQuarantineV2: AWS detected its access key in public',
      resources: [`arn:aws:iam::${ACCOUNT}:user/ci-deploy`],
      evidence: { policy: 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2', attachedBy: 'AWS' },
      actions: ['user.deactivate-keys'],
      target: { kind: 'user', userName: 'ci-deploy', arn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy` },
    },
    {
      id: id('credential-report', 'AKIAEXAMPLELEAKED001'),
      check: 'credential-report',
      severity: 'critical',
      step: 'R1',
      title: 'Access key AKIAEXAMPLELEAKED001 of ci-deploy was used from 203.0.113.77 in the window',
      resources: ['AKIAEXAMPLELEAKED001'],
      evidence: { lastUsed: '2026-11-27T03:12:00Z', lastUsedRegion: 'us-east-1', lastUsedService: 'iam', sourceIps: ['203.0.113.77'] },
      actions: ['key.deactivate', 'key.delete'],
      target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLELEAKED001' },
    },
    {
      id: id('iam-changes', 'svc-backup'),
      check: 'iam-changes',
      severity: 'critical',
      step: 'D5',
      title: 'IAM user svc-backup was created in the window by ci-deploy and has AdministratorAccess',
      resources: [`arn:aws:iam::${ACCOUNT}:user/svc-backup`],
      evidence: { createdAt: '2026-11-27T03:14:09Z', createdBy: 'ci-deploy', policies: ['AdministratorAccess'], accessKeys: 1 },
      actions: ['user.deactivate-keys', 'user.quarantine', 'user.disable-password', 'user.delete'],
      target: { kind: 'user', userName: 'svc-backup', arn: `arn:aws:iam::${ACCOUNT}:user/svc-backup` },
    },
    {
      id: id('iam-changes', 'ops-support'),
      check: 'iam-changes',
      severity: 'high',
      step: 'D5',
      title: 'Role ops-support trusts an outside account (444455556666)',
      resources: [`arn:aws:iam::${ACCOUNT}:role/ops-support`],
      evidence: { trustedPrincipals: ['arn:aws:iam::444455556666:root'] },
      actions: ['role.revoke-sessions', 'role.delete'],
      target: { kind: 'role', roleName: 'ops-support', arn: `arn:aws:iam::${ACCOUNT}:role/ops-support` },
    },
    ...['ap-southeast-2', 'sa-east-1', 'eu-north-1'].map(
      (region, i): Finding => ({
        id: id('resources', `i-0gpu${i}`),
        check: 'resources',
        severity: 'high',
        step: 'R5',
        title: `GPU instance i-0gpu${i} (p4d.24xlarge) running in ${region}, a region the account never used`,
        resources: [`arn:aws:ec2:${region}:${ACCOUNT}:instance/i-0gpu${i}`],
        evidence: { instanceType: 'p4d.24xlarge', launchTime: '2026-11-27T03:20:00Z', region },
        actions: ['instance.isolate', 'instance.snapshot', 'instance.terminate'],
        target: { kind: 'instance', region, instanceId: `i-0gpu${i}` },
      }),
    ),
    {
      id: id('cost', 'EC2'),
      check: 'cost',
      severity: 'high',
      step: 'D4',
      title: 'Amazon EC2 spend rose from $12.40 to $9,870.00 compared with the previous 7 days',
      resources: [],
      evidence: { service: 'Amazon Elastic Compute Cloud - Compute', previous: 12.4, current: 9870, newRegions: ['ap-southeast-2', 'sa-east-1', 'eu-north-1'] },
      actions: [],
    },
    {
      id: id('organizations', '999988887777'),
      check: 'organizations',
      severity: 'high',
      step: 'D5',
      title: 'Member account 999988887777 was created in the organization in the window',
      resources: ['999988887777'],
      evidence: { email: 'billing-ops@example.net', createdAt: '2026-11-27T04:01:00Z' },
      actions: [],
    },
    {
      id: id('credential-report', '<root_account>'),
      check: 'credential-report',
      severity: 'critical',
      step: 'R1',
      title: 'The root user has an active access key',
      resources: [`arn:aws:iam::${ACCOUNT}:root`],
      evidence: { accessKey1Active: true, lastUsed: 'N/A' },
      actions: [],
      guidance: 'Sign in as the root user, open Security credentials and delete the root access keys; an IAM principal cannot do it.',
    },
    {
      id: id('account-info', 'SECURITY'),
      check: 'account-info',
      severity: 'medium',
      step: 'R8',
      title: 'No security alternate contact is set',
      resources: [],
      evidence: { primaryContact: 'Example Corp', billing: 'set', operations: 'set' },
      actions: [],
    },
  ];
}

export function sampleGaps(): Gap[] {
  return [{ check: 'cloudtrail', region: 'me-south-1', reason: 'CloudTrail event history could not be read in me-south-1: the region is not enabled.' }];
}

const ACTION_SETS: ActionId[][] = [
  ['key.deactivate', 'key.delete'],
  ['user.deactivate-keys', 'user.quarantine', 'user.disable-password', 'user.delete'],
  ['role.revoke-sessions', 'role.delete'],
  ['instance.isolate', 'instance.snapshot', 'instance.terminate'],
  [],
];

/** `n` findings over every step and severity, with long titles and evidence, most with buttons. */
export function manyFindings(n: number): Finding[] {
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const actions = ACTION_SETS[i % ACTION_SETS.length];
    const userName = `user-${i}-${'x'.repeat(40)}`;
    const target: Finding['target'] = actions[0]?.startsWith('key.')
      ? { kind: 'access-key', userName, accessKeyId: `AKIA${String(i).padStart(16, '0')}` }
      : actions[0]?.startsWith('user.')
        ? { kind: 'user', userName }
        : actions[0]?.startsWith('role.')
          ? { kind: 'role', roleName: `role-${i}` }
          : actions[0]?.startsWith('instance.')
            ? { kind: 'instance', region: 'eu-west-1', instanceId: `i-${i.toString(16).padStart(17, '0')}` }
            : undefined;
    out.push({
      id: findingId(ACCOUNT, CHECK_IDS[i % CHECK_IDS.length], `resource-${i}`),
      check: CHECK_IDS[i % CHECK_IDS.length],
      severity: SEVERITIES[i % SEVERITIES.length],
      step: RUNBOOK_STEPS[i % RUNBOOK_STEPS.length],
      title: `Finding ${i}: ${'suspicious activity '.repeat(1 + (i % 7))}`,
      resources: Array.from({ length: 1 + (i % 8) }, (_, j) => `arn:aws:iam::${ACCOUNT}:user/${userName}-${j}`),
      evidence: { note: 'e'.repeat(50 + (i % 5) * 200), count: i, ips: Array.from({ length: 12 }, (_, j) => `198.51.100.${j}`) },
      actions: target ? actions : [],
      ...(target ? { target } : {}),
    });
  }
  return out;
}

export function scanResult(findings: Finding[], gaps: Gap[] = [], durationMs = 1234): ScanResult {
  return {
    account: ACCOUNT,
    window: { start: '2026-11-21T00:00:00.000Z', end: '2026-11-28T00:00:00.000Z' },
    regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1', 'eu-north-1'],
    findings,
    gaps,
    stats: { durationMs, apiCalls: { 'IAM:GenerateCredentialReport': 2, 'CloudTrail:LookupEvents': 40 } },
  };
}

export interface FakeScanOptions {
  findings?: Finding[];
  gaps?: Gap[];
  /** Total time the fake scan takes; progress events are spread over it. */
  durationMs?: number;
  /** What that time passes on (default the wall clock): give the app's VirtualTime and nobody waits. */
  clock?: Pick<Clock, 'sleep'>;
  /** Throw this instead of returning a result, after durationMs. */
  error?: Error;
  /** Hold the scan after its first check started until this settles: a scan that runs as long as the test needs, without a clock. */
  until?: Promise<unknown>;
}

/** A ScanFn that reports progress for every check over `durationMs`, then returns a result. */
export function fakeScan(options: FakeScanOptions = {}): ScanFn & { calls: Parameters<ScanFn>[0][] } {
  const calls: Parameters<ScanFn>[0][] = [];
  const fn = async (input: Parameters<ScanFn>[0]) => {
    calls.push(input);
    const duration = options.durationMs ?? 0;
    const step = duration / (CHECK_IDS.length * 2);
    const sleep = (ms: number) => (options.clock ?? systemClock).sleep(ms);
    for (const check of CHECK_IDS) {
      input.onProgress?.({ type: 'check-started', check });
      if (options.until && check === CHECK_IDS[0]) await options.until;
      await sleep(step);
      input.onProgress?.({ type: 'detail', check, message: 'working' });
      const findings = (options.findings ?? []).filter((f) => f.check === check).length;
      const gaps = (options.gaps ?? []).filter((g) => g.check === check).length;
      input.onProgress?.({ type: 'check-finished', check, findings, gaps, durationMs: step });
      await sleep(step);
    }
    if (options.error) throw options.error;
    return scanResult(options.findings ?? [], options.gaps ?? [], duration);
  };
  return Object.assign(fn, { calls });
}
