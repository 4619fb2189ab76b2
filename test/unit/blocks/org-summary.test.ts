/** The organization's summary in Block Kit: ranked accounts with counts, gaps with reasons, escaped, within Slack's limits. */
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { accountSectionBlocks, noFindingsLine, notScannedGroups, sweepSummaryBlocks } from '../../../src/blocks/org-summary';
import { aggregateSweep } from '../../../src/org/aggregate';
import type { Finding } from '../../../src/scan/model';
import type { Story } from '../../../src/scan/stories/model';
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
    expect(text).toContain('Accounts by their worst story and finding');
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

  it('ranks an account where a compromised credential was followed first and shows its first story, escaped, within the section limit', () => {
    const story = (summary: string): Story => ({
      id: 's1',
      entry: { kind: 'access-key', id: 'AKIAEXAMPLE', label: 'access key AKIAEXAMPLE' },
      firstSeen: '2026-01-02T00:00:00Z',
      lastSeen: '2026-01-02T01:00:00Z',
      sourceAddresses: ['203.0.113.5'],
      summary,
      findingIds: ['h'],
      timeline: [],
      credentials: ['AKIAEXAMPLE'],
      footprint: {
        users: [],
        keys: [],
        loginProfiles: [],
        roles: [],
        rolesAssumed: [],
        policies: [],
        accounts: [],
        instances: [],
        regions: [],
        disabled: [],
        sharedOut: [],
      },
      plan: [],
    });
    const critical = scanned('400000000001', 'no-story', [finding('c', 'critical')]);
    const withStory = scanned('400000000002', 'story', [finding('h', 'high')]);
    withStory.result!.stories = [story(`Access key AKIAEXAMPLE <!channel> used from 203.0.113.5\nsecond line ${'x'.repeat(400)}`)];
    const r = aggregateSweep({
      records: [critical, withStory],
      window: { start: '2026-01-01T00:00:00Z', end: '2026-01-08T00:00:00Z' },
      durationMs: 1,
      summary: { home: '400000000000', concurrency: 8, unknownAccounts: [] },
    });
    expect(r.accounts.map((a) => a.account)).toEqual(['400000000002', '400000000001']);
    const ranking = sweepSummaryBlocks(r, { ...info, home: '400000000000', accounts: 2 })
      .map((b) => (b.type === 'section' ? (b.text?.text ?? '') : ''))
      .find((t) => t.includes('worst story and finding'))!;
    expect(ranking).toContain('Access key AKIAEXAMPLE &lt;!channel&gt; used from 203.0.113.5');
    expect(ranking).not.toContain('second line');
    expect(ranking.length).toBeLessThanOrEqual(3000);
  });

  it('lists accounts without findings on one line', () => {
    const quiet = many.filter((a) => !a.result?.findings.length);
    const line = noFindingsLine(quiet);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^No findings in 80 accounts: .* and 40 more\.$/);
  });
});
