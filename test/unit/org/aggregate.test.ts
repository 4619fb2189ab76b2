/** The organization's result: ranking, one line per account's counts, stories across accounts, and what is left out. */
import { narrowAccounts, type OrgAccount } from '../../../src/org/accounts';
import { aggregateSweep, rankAccounts } from '../../../src/org/aggregate';
import { crossAccountStories } from '../../../src/org/cross-account';
import { resumable, sweepFingerprint } from '../../../src/org/resume';
import type { Finding, ScanResult, Severity } from '../../../src/scan/model';
import type { ScanRecord, SweepAccountRecord } from '../../../src/store/model';

const f = (account: string, id: string, severity: Severity, evidence: Record<string, unknown> = {}): Finding => ({
  id,
  check: 'cloudtrail',
  severity,
  step: 'D3',
  title: id,
  resources: [],
  evidence,
  actions: [],
  account,
});
const res = (account: string, findings: Finding[], gaps: ScanResult['gaps'] = []): ScanResult => ({
  account,
  window: { start: 'a', end: 'b' },
  regions: ['us-east-1'],
  findings: findings.map(({ account: _a, ...rest }) => rest),
  gaps,
  stats: { durationMs: 5, apiCalls: { 'CloudTrail:LookupEvents': 2 } },
});
const rec = (account: string, findings: Finding[], over: Partial<SweepAccountRecord> = {}): SweepAccountRecord => ({
  account,
  name: `acct-${account.slice(-1)}`,
  ou: 'Root',
  status: 'scanned',
  access: 'member-role',
  result: res(account, findings),
  ...over,
});

describe('ranking and aggregation', () => {
  it('ranks by worst finding, then by findings of medium or above, then by all; gaps last', () => {
    const ranked = rankAccounts([
      rec('000000000001', [f('000000000001', 'a', 'high')]),
      rec('000000000002', [f('000000000002', 'b', 'critical')]),
      rec('000000000003', [f('000000000003', 'c', 'high'), f('000000000003', 'd', 'medium')]),
      rec('000000000004', [], { status: 'no-access', reason: 'no role', result: undefined }),
      rec('000000000005', []),
    ]);
    expect(ranked.map((r) => r.account)).toEqual(['000000000002', '000000000003', '000000000001', '000000000005', '000000000004']);
  });

  it('names every finding and gap with its account, counts calls once (not for reused accounts), and drops members’ organization-listing gaps the home account covered', () => {
    const home = rec('000000000000', [f('000000000000', 'h', 'low')]);
    const member = rec('000000000001', [f('000000000001', 'm', 'high')], {
      result: res('000000000001', [f('000000000001', 'm', 'high')], [{ check: 'organizations', reason: 'only the management account can list them' }]),
    });
    const reused = rec('000000000002', [f('000000000002', 'r', 'info')], { reusedFrom: 'scan-0' });
    const gap = rec('000000000003', [], { status: 'suspended', reason: 'suspended', result: undefined });
    const out = aggregateSweep({
      records: [home, member, reused, gap],
      window: { start: 'a', end: 'b' },
      durationMs: 9,
      summary: { home: '000000000000', concurrency: 8, unknownAccounts: [] },
    });
    expect(out.account).toBe('000000000000');
    expect(out.findings.map((x) => [x.account, x.id])).toEqual([
      ['000000000001', 'm'],
      ['000000000000', 'h'],
      ['000000000002', 'r'],
    ]);
    expect(out.gaps).toEqual([{ check: 'organizations', account: '000000000003', reason: 'Account 000000000003 (acct-3) was not scanned: suspended' }]);
    expect(out.stats.apiCalls).toEqual({ 'CloudTrail:LookupEvents': 4 });
    expect(out.organization).toMatchObject({ listed: 4, scanned: 3, gaps: 1, reused: 1 });
  });
});

describe('stories across accounts', () => {
  it('links findings of medium or above by access key or address across accounts, once, and never by routine activity', () => {
    const stories = crossAccountStories([
      f('000000000001', 'a1', 'critical', { sourceIps: ['203.0.113.9'], accessKeyId: 'AKIAAAAAAAAAAAAAAAAA' }),
      f('000000000002', 'b1', 'high', { sourceIp: '203.0.113.9' }),
      f('000000000002', 'b2', 'medium', { accessKeyIds: ['AKIAAAAAAAAAAAAAAAAA'] }),
      f('000000000003', 'c1', 'low', { sourceIp: '203.0.113.9' }),
      f('000000000001', 'a2', 'low', { sourceIp: '192.0.2.1' }),
      f('000000000002', 'b3', 'info', { sourceIp: '192.0.2.1' }),
      f('000000000003', 'c2', 'high', { sourceIp: 'autoscaling.amazonaws.com' }),
      f('000000000004', 'd1', 'high', { sourceIp: 'autoscaling.amazonaws.com' }),
    ]);
    expect(stories).toEqual([
      {
        kind: 'source-address',
        value: '203.0.113.9',
        severity: 'critical',
        accounts: [
          { account: '000000000001', findingIds: ['a1'] },
          { account: '000000000002', findingIds: ['b1'] },
        ],
      },
      {
        kind: 'access-key',
        value: 'AKIAAAAAAAAAAAAAAAAA',
        severity: 'critical',
        accounts: [
          { account: '000000000001', findingIds: ['a1'] },
          { account: '000000000002', findingIds: ['b2'] },
        ],
      },
    ]);
  });
});

describe('resuming', () => {
  const accounts: OrgAccount[] = [
    { id: '000000000001', name: 'a', status: 'ACTIVE', ou: 'Root/Prod', ouIds: ['r-1', 'ou-prod-00000001'] },
    { id: '000000000002', name: 'b', status: 'ACTIVE', ou: 'Root', ouIds: ['r-1'] },
  ];
  const scope = { accounts, days: 7, narrowing: {}, memberRoleName: 'aws-ir-scan' };

  it('gives the same fingerprint only when nothing changed', () => {
    const same = sweepFingerprint({ ...scope, accounts: [...accounts].reverse() });
    expect(same).toBe(sweepFingerprint(scope));
    for (const changed of [
      { ...scope, days: 8 },
      { ...scope, regions: ['us-east-1'] },
      { ...scope, narrowing: { ou: 'ou-prod-00000001' } },
      { ...scope, memberRoleName: 'other' },
      { ...scope, externalId: 'x' },
      { ...scope, accounts: [{ ...accounts[0]!, status: 'SUSPENDED' }, accounts[1]!] },
    ])
      expect(sweepFingerprint(changed)).not.toBe(same);
  });

  it('resumes the latest finished sweep with the same fingerprint whose window ended within the limit', () => {
    const sweep = (id: string, windowEnd: string, status: ScanRecord['status'] = 'done', fingerprint = 'fp'): ScanRecord => ({
      id,
      channel: 'C',
      requestedBy: 'U',
      startedAt: windowEnd,
      status,
      sweep: { fingerprint, windowEnd, days: 7 },
    });
    const now = new Date('2026-01-01T12:00:00Z');
    const scans = [
      sweep('old', '2026-01-01T10:00:00Z'),
      sweep('recent', '2026-01-01T11:30:00Z', 'interrupted'),
      sweep('running', '2026-01-01T11:50:00Z', 'running'),
      sweep('other', '2026-01-01T11:55:00Z', 'done', 'fp2'),
    ];
    expect(resumable(scans, 'fp', now, 60)?.id).toBe('recent');
    expect(resumable(scans, 'fp', now, 20)).toBeUndefined();
    expect(resumable(scans, 'fp', now, 0)).toBeUndefined();
  });

  it('narrows by unit (units under it included) and by ids, naming ids the organization does not have', () => {
    expect(narrowAccounts(accounts, { ou: 'ou-prod-00000001' }).selected.map((a) => a.id)).toEqual(['000000000001']);
    expect(narrowAccounts(accounts, { accounts: ['000000000002', '999999999999'] })).toEqual({ selected: [accounts[1]], unknown: ['999999999999'] });
  });
});
