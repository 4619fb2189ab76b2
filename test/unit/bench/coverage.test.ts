/**
 * The benchmark cannot pass on missing data: a read that stopped at its page cap, a claim holding fewer
 * events than the account has, or an event a detection could match under no query, all fail it.
 */
import type { SandboxState, TrailEvent } from '@aws-ir/aws-sandbox';
import { verifyCoverage } from '../../../bench/coverage';
import type { CloudTrailReport, Coverage } from '../../../src/scan/sources/model';

const ACCOUNT = '111122223333';
const FROM = Date.parse('2026-11-25T00:00:00Z');
const TO = Date.parse('2026-12-02T00:00:00Z');

function ev(i: number, eventName: string, extra: Partial<TrailEvent> = {}): TrailEvent {
  const eventTime = new Date(TO - i * 60_000);
  return {
    eventId: `e${i}`,
    eventName,
    eventSource: eventName === 'CreateUser' ? 'iam.amazonaws.com' : 'ec2.amazonaws.com',
    eventTime,
    region: 'us-east-1',
    readOnly: eventName.startsWith('Describe'),
    resources: [],
    record: {
      eventName,
      eventTime: eventTime.toISOString(),
      eventSource: eventName === 'CreateUser' ? 'iam.amazonaws.com' : 'ec2.amazonaws.com',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/ci`, userName: 'ci' },
      sourceIPAddress: '203.0.113.9',
      requestParameters: eventName === 'CreateUser' ? { userName: 'backdoor' } : null,
    },
    ...extra,
  };
}

const events = [ev(1, 'DescribeInstances'), ev(2, 'CreateUser'), ev(3, 'DescribeInstances'), ev(4, 'DescribeInstances')];
const state = { accountId: ACCOUNT } as SandboxState;
const history = { events: () => events };

const claim = (c: Partial<Coverage>): Coverage => ({
  source: 'lookup-events',
  from: new Date(FROM).toISOString(),
  to: new Date(TO).toISOString(),
  filter: { kind: 'all' },
  events: 4,
  complete: true,
  ...c,
});

const report = (coverage: Coverage[], strategy: 'full' | 'event-names' = 'full'): CloudTrailReport => ({
  regions: [{ region: 'us-east-1', strategy, source: 'lookup-events', coverage, notCovered: [], requests: 1, bytes: 0, eventsRead: 4 }],
});

describe('verifyCoverage', () => {
  it('passes a full read that holds every event', () => {
    const v = verifyCoverage(state, history, report([claim({})]), FROM, TO);
    expect(v.ok).toBe(true);
    expect(v.regions[0]).toMatchObject({ events: 4, covered: 4, missedRelevant: 0, shortClaims: [], lookupPagesNeeded: 1 });
  });

  it('fails a read its page cap stopped, even if it says so', () => {
    const v = verifyCoverage(state, history, report([claim({ events: 2, complete: false, stoppedAt: new Date(TO - 2 * 60_000).toISOString() })]), FROM, TO);
    expect(v.ok).toBe(false);
    expect(v.regions[0]?.shortClaims[0]).toContain('read 2 of 4 (stopped by its budget)');
  });

  it('fails a claim that holds fewer events than the account has', () => {
    expect(verifyCoverage(state, history, report([claim({ events: 3 })]), FROM, TO).ok).toBe(false);
  });

  it('passes targeted queries that cover every event a detection could match, counting the rest', () => {
    const v = verifyCoverage(
      state,
      history,
      report([claim({ filter: { kind: 'attribute', key: 'EventName', value: 'CreateUser' }, events: 1 })], 'event-names'),
      FROM,
      TO,
    );
    expect(v.ok).toBe(true);
    expect(v.regions[0]).toMatchObject({ events: 4, covered: 1, missedRelevant: 0 });
  });

  it('fails targeted queries that leave an event a detection could match outside', () => {
    const v = verifyCoverage(
      state,
      history,
      report([claim({ filter: { kind: 'attribute', key: 'ReadOnly', value: 'true' }, events: 3 })], 'event-names'),
      FROM,
      TO,
    );
    expect(v.ok).toBe(false);
    expect(v.regions[0]?.missedRelevant).toBe(1);
  });
});
