import { ButtonCounter } from '../../../src/blocks/findings';
import { packMessages } from '../../../src/blocks/limits';
import { threadGroups } from '../../../src/blocks/thread';
import type { Finding, ScanResult } from '../../../src/scan/model';
import { expectWithinBlockKitLimits } from '../../support/block-kit';

const noMfa = (n: number): Finding => ({
  id: `mfa-${n}`,
  check: 'credential-report',
  severity: 'medium',
  step: 'D1',
  title: `Console user user-${String(n).padStart(4, '0')} has no MFA device`,
  resources: [`arn:aws:iam::111122223333:user/user-${n}`],
  evidence: { mfaActive: false, passwordLastUsed: 'N/A' },
  actions: ['user.disable-password'],
  target: { kind: 'user', userName: `user-${String(n).padStart(4, '0')}` },
});

const result = (findings: Finding[]): ScanResult => ({
  account: '111122223333',
  window: { start: '2026-11-25T00:00:00Z', end: '2026-12-02T00:00:00Z' },
  regions: ['us-east-1'],
  findings,
  gaps: [],
  stats: { durationMs: 1, apiCalls: {} },
});

describe('the thread by priority', () => {
  it('folds findings repeated across many identities into one entry with the count, keeping the full list for the file', () => {
    const quarantine: Finding = {
      id: 'q',
      check: 'quarantine',
      severity: 'critical',
      step: 'R2',
      title: 'AWS quarantined IAM user ci-deploy',
      resources: [],
      evidence: {},
      actions: ['user.deactivate-keys'],
      target: { kind: 'user', userName: 'ci-deploy' },
    };
    const findings = [...Array.from({ length: 300 }, (_, i) => noMfa(i)), quarantine];
    const { groups, lists } = threadGroups('scan_1', result(findings), undefined, new ButtonCounter());
    expect(groups).toHaveLength(2);
    // Most severe first; the folded entry says how many and keeps its runbook step.
    expect(JSON.stringify(groups[0])).toContain('AWS quarantined IAM user ci-deploy');
    const folded = JSON.stringify(groups[1]);
    expect(folded).toContain('300 identities');
    expect(folded).toContain('Medium · D1');
    expect(folded).toContain('user-0000');
    expect(lists).toHaveLength(1);
    expect(lists[0]?.content.split('\n')).toHaveLength(300);
    for (const m of packMessages(groups)) expectWithinBlockKitLimits(m);
  });

  it('shows a few alike findings one by one, with their buttons, and words for the report placeholders', () => {
    const { groups, lists } = threadGroups('scan_1', result([noMfa(1), noMfa(2)]), undefined, new ButtonCounter());
    expect(lists).toEqual([]);
    expect(groups).toHaveLength(2);
    const text = JSON.stringify(groups);
    expect(text).toContain('Disable console password');
    expect(text).not.toContain('N/A');
  });
});
