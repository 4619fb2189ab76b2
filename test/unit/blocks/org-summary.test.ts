/** The organization's summary in Block Kit: ranked accounts with counts, gaps with reasons, escaped, within Slack's limits. */
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { accountSectionBlocks, noFindingsLine, notScannedGroups, sweepSummaryBlocks } from '../../../src/blocks/org-summary';
import { aggregateSweep } from '../../../src/org/aggregate';
import type { Finding } from '../../../src/scan/model';
import type { SweepAccountRecord } from '../../../src/store/model';

const finding = (id: string, severity: Finding['severity'], evidence: Record<string, unknown> = {}): Finding => ({
  id,
  check: 'cloudtrail',
  severity,
  step: 'D3',
  title: `finding ${id}`,
  resources: [],
  evidence,
  actions: [],
});
const scanned = (account: string, name: string, findings: Finding[]): SweepAccountRecord => ({
  account,
  name,
  ou: 'Root/<!here>',
  status: 'scanned',
  access: 'member-role',
  result: { account, window: { start: 'a', end: 'b' }, regions: ['us-east-1'], findings, gaps: [], stats: { durationMs: 1, apiCalls: {} } },
});

describe('organization summary blocks', () => {
  const many = Array.from({ length: 120 }, (_, i) =>
    scanned(`3000000${String(i).padStart(5, '0')}`, `acct-${i}`, i % 3 ? [] : [finding(`f${i}`, i % 2 ? 'high' : 'low', { sourceIp: '203.0.113.5' })]),
  );
  const gap: SweepAccountRecord = {
    account: '399999999999',
    name: '<!channel> evil',
    ou: 'Root',
    status: 'no-access',
    access: 'member-role',
    reason: 'no role <@U123>',
  };
  const result = aggregateSweep({
    records: [...many, gap],
    window: { start: '2026-01-01T00:00:00Z', end: '2026-01-08T00:00:00Z' },
    durationMs: 1000,
    summary: { home: '300000000000', concurrency: 8, unknownAccounts: [] },
  });
  const info = { user: 'U1', home: '300000000000', days: 7, accounts: 121, reused: 0 };

  it('ranks the accounts with counts, lists the gaps with their reasons, and stays within Slack limits for a large organization', () => {
    const blocks = sweepSummaryBlocks(result, info);
    expectWithinBlockKitLimits(blocks, 'summary');
    const text = JSON.stringify(blocks);
    expect(text).toContain('Accounts by their worst finding');
    expect(text).toMatch(/1 high/);
    expect(text).toContain('more account');
    expect(text).toContain('Not scanned');
    expect(text).toContain('Source address');
  });

  it('escapes names, units and reasons from AWS so none becomes a mention', () => {
    const all = JSON.stringify([...sweepSummaryBlocks(result, info), ...notScannedGroups([gap]).flat(), ...accountSectionBlocks(many[0]!)]);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<!here>');
    expect(all).not.toContain('<@U123>');
    expect(all).toContain('&lt;!channel&gt;');
  });

  it('lists accounts without findings on one line', () => {
    const quiet = many.filter((a) => !a.result?.findings.length);
    const line = noFindingsLine(quiet);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^No findings in 80 accounts: .* and 40 more\.$/);
  });
});
