import { packMessages } from '../../../src/blocks/limits';
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { findingGroups, findingText, evidenceLabel, evidenceValue } from '../../../src/blocks/findings';
import { applyProgress, emptyProgress, progressBlocks } from '../../../src/blocks/progress';
import { summaryBlocks, countBySeverity } from '../../../src/blocks/summary';
import { gapGroups } from '../../../src/blocks/gaps';
import { trailGroups, trailViewOf } from '../../../src/blocks/trail';
import type { ActivityEvent, PrincipalActivity } from '../../../src/scan/trail';

/** A trail lookup's result with these events per region, as the engine returns it. */
function activity(regions: Record<string, Omit<ActivityEvent, 'principal' | 'resources'>[]>): PrincipalActivity {
  const list = Object.entries(regions).map(([region, events]) => ({
    region,
    events: events.map((e) => ({ principal: 'ci-deploy', resources: [], ...e })),
    counts: {},
    truncated: false,
  }));
  return {
    principal: { kind: 'access-key', name: 'AKIA1' },
    window: { start: 'a', end: 'b' },
    regions: list,
    totalEvents: list.reduce((n, r) => n + r.events.length, 0),
    sourceIps: [],
    gaps: [],
  };
}
import { scanStartedText } from '../../../src/blocks/scan-started';
import { esc, formatDuration } from '../../../src/blocks/text';
import { CHECK_IDS } from '../../../src/scan/model';
import { compromisedKeyFindings, manyFindings, sampleGaps, scanResult } from '../../support/scan-fixtures';

describe('block renderers', () => {
  it('escapes AWS values so they cannot become mentions or links', () => {
    expect(esc('<!channel> & <https://evil>')).toBe('&lt;!channel&gt; &amp; &lt;https://evil&gt;');
    const [f] = compromisedKeyFindings();
    const text = findingText({ ...f, title: '<!here> pwned', evidence: { note: '<@U123>' } });
    expect(text).not.toContain('<!here>');
    expect(text).not.toContain('<@U123>');
  });

  it('renders evidence values compactly', () => {
    expect(evidenceValue(['a', 'b'])).toBe('a, b');
    expect(evidenceValue(Array.from({ length: 12 }, (_, i) => i))).toContain('(+2 more)');
    expect(evidenceValue({ RunInstances: 1, CreateKeyPair: 2 })).toBe('RunInstances: 1, CreateKeyPair: 2');
    expect(evidenceValue([{ service: 'iam', lastAuthenticated: '2026-11-27T03:14:00.000Z' }, { service: 'ec2' }])).toBe(
      'service: iam, lastAuthenticated: 2026-11-27 03:14 UTC; service: ec2',
    );
    expect(evidenceValue('2026-11-27T03:14:09Z')).toBe('2026-11-27 03:14 UTC');
    expect(evidenceValue([])).toBe('none');
    expect(evidenceValue(null)).toBe('—');
    expect(evidenceLabel('lastUsedRegion')).toBe('last used region');
  });

  it('orders findings by runbook step, most severe first, with a header per step', () => {
    const groups = findingGroups('scan-1', compromisedKeyFindings());
    const headers = groups
      .flat()
      .filter((b) => b.type === 'header')
      .map((b) => (b as { text: { text: string } }).text.text);
    expect(headers.map((h) => h.split(' ')[0])).toEqual(['D4', 'D5', 'R1', 'R2', 'R5', 'R8']);
    for (const g of groups) expectWithinBlockKitLimits(g);
  });

  it('puts no button on guidance-only findings', () => {
    const root = compromisedKeyFindings().find((f) => f.guidance);
    const groups = findingGroups('scan-1', [root!]);
    expect(groups.flat().some((b) => b.type === 'actions')).toBe(false);
    expect(JSON.stringify(groups)).toContain('What to do:');
  });

  it('summary counts by severity and lists gaps; everything fits', () => {
    const result = scanResult(
      manyFindings(300),
      Array.from({ length: 30 }, (_, i) => ({ check: 'cost' as const, reason: `reason ${i}` })),
    );
    const blocks = summaryBlocks(result, { user: 'U1', days: 7 });
    expectWithinBlockKitLimits(blocks);
    const text = JSON.stringify(blocks);
    expect(text).toContain(`Critical: *${countBySeverity(result.findings).critical}*`);
    expect(text).toContain('and 20 more, listed in the thread');
  });

  it('progress shows each check and finishes', () => {
    let p = emptyProgress();
    p = applyProgress(p, { type: 'check-started', check: 'cost' });
    p = applyProgress(p, { type: 'check-finished', check: 'quarantine', findings: 2, gaps: 1, durationMs: 1500 });
    p = applyProgress(p, { type: 'detail', check: 'cloudtrail', message: 'eu-west-1 page 3' });
    const text = JSON.stringify(progressBlocks(p));
    expect(text).toContain('1 of 9 checks done');
    expect(text).toContain('Quarantine policies — 2 findings, 1 not checked, 2 s');
    expect(text).toContain('Cost — running');
    expect(text).toContain('CloudTrail event history: eu-west-1 page 3');
    const done = JSON.stringify(progressBlocks({ ...p, finished: true }));
    expect(done).toContain('Scan finished');
    expect(done).toContain('not run');
    expect(CHECK_IDS).toHaveLength(9);
  });

  it('gaps and trails pack within limits', () => {
    for (const m of packMessages(
      gapGroups([...sampleGaps(), ...Array.from({ length: 100 }, (_, i) => ({ check: 'resources' as const, region: `r${i}`, reason: 'x'.repeat(500) }))]),
    ))
      expectWithinBlockKitLimits(m);
    const view = trailViewOf(
      activity({
        'us-east-1': Array.from({ length: 500 }, (_, i) => ({
          name: `Op${i}`,
          time: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
          sourceIp: `10.0.${i % 250}.1`,
        })),
      }),
    );
    expect(view.events).toHaveLength(500);
    const messages = packMessages(trailGroups('AKIA1', view));
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expectWithinBlockKitLimits(m);
  });

  it("trail view takes every region's events, newest first, with the engine's gaps", () => {
    const view = trailViewOf({
      ...activity({
        'eu-west-1': [{ name: 'X', time: '2026-01-01T00:00:00.000Z', error: 'AccessDenied' }],
        'us-east-1': [{ name: 'Y', time: '2026-01-02T00:00:00.000Z', accessKeyId: 'AKIA1' }],
      }),
      gaps: [{ region: 'me-south-1', reason: 'not enabled' }],
    });
    expect(view.events).toEqual([
      { eventName: 'Y', time: '2026-01-02T00:00:00.000Z', region: 'us-east-1', userName: 'ci-deploy', accessKeyId: 'AKIA1' },
      { eventName: 'X', time: '2026-01-01T00:00:00.000Z', region: 'eu-west-1', userName: 'ci-deploy', errorCode: 'AccessDenied' },
    ]);
    expect(view.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(view.gaps).toEqual([{ region: 'me-south-1', reason: 'not enabled' }]);
  });

  it("trail marks AWS's own calls and leaves AWS's address out of the principal's source IPs", () => {
    const view = trailViewOf(
      activity({
        'us-east-1': [
          {
            time: '2026-11-01T10:00:00.000Z',
            name: 'AttachUserPolicy',
            sourceIp: '72.21.217.97',
            byAws: 'exposed-key quarantine, AWSCompromisedKeyQuarantineV2',
          },
          { time: '2026-11-01T09:00:00.000Z', name: 'CreateUser', sourceIp: '185.220.101.34' },
        ],
      }),
    );
    const text = JSON.stringify(trailGroups('AKIA1', view, () => true));
    expect(text).toMatch(/Source IPs: 185\.220\.101\.34"/);
    expect(text).toContain(':information_source: ');
    expect(text).toContain('made by exposed-key quarantine, AWSCompromisedKeyQuarantineV2 · from 72.21.217.97');
  });

  it('formats durations and the start line', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(scanStartedText({ user: 'U1', account: '111122223333', days: 1 })).toBe(
      '<@U1> started a scan of AWS account 111122223333 (the last 1 day, in every enabled region).',
    );
    expect(scanStartedText({ user: 'U1', account: 'default-chain', days: 2, regions: ['eu-west-1'] })).toBe(
      "<@U1> started a scan of the AWS account of aws-ir's credentials (the last 2 days, in eu-west-1).",
    );
  });
});
