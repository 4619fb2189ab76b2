import { type ProfiledState, profile } from '../../../bench/profile';
import { minimumCalls, verdicts } from '../../../bench/targets';
import type { TrailEvent } from '@aws-ir/aws-sandbox';

const NOW = new Date('2026-03-15T12:00:00Z');
const DAY = 86_400_000;

function state(): ProfiledState {
  const region = (name: string, optInStatus: 'opt-in-not-required' | 'not-opted-in' = 'opt-in-not-required') => ({
    name,
    optInStatus,
    instances: [],
    lambdaFunctions: [],
    trails: [],
  });
  const ev = (region: string, ageMs: number, i: number): TrailEvent => ({
    eventId: `${region}-${i}`,
    eventName: 'GetUser',
    eventSource: 'iam.amazonaws.com',
    eventTime: new Date(NOW.getTime() - ageMs),
    region,
    readOnly: true,
    resources: [],
    record: {},
  });
  const events: TrailEvent[] = [];
  for (let i = 0; i < 101; i++) events.push(ev('us-east-1', i * 60_000, i)); // 101 in the window -> 3 pages
  for (let i = 0; i < 30; i++) events.push(ev('eu-west-1', 8 * DAY + i, i)); // all before the window
  for (let i = 0; i < 500; i++) events.push(ev('ap-east-1', i, i)); // a disabled region: not scanned
  return {
    accountId: '1',
    users: [],
    regions: [region('us-east-1'), region('eu-west-1'), region('ap-east-1', 'not-opted-in')],
    events,
  };
}

describe('benchmark floor', () => {
  it('counts LookupEvents pages per enabled region in the window (an empty region still costs one)', () => {
    const p = profile(state(), new Date(NOW.getTime() - 7 * DAY), NOW);
    expect(p.regions).toEqual([
      { name: 'us-east-1', eventsInWindow: 101, lookupPages: 3, instances: 0, lambdaFunctions: 0 },
      { name: 'eu-west-1', eventsInWindow: 0, lookupPages: 1, instances: 0, lambdaFunctions: 0 },
    ]);
    expect(minimumCalls(p)['CloudTrail:LookupEvents']).toBe(4);
    expect(minimumCalls(p)['EC2:DescribeInstances']).toBe(2);
  });

  it('fails each target it misses', () => {
    const ok = verdicts({ wallMs: 1300, floorMs: 1000, ceRequests: 4, peakRssBytes: 299 * 1024 * 1024 });
    expect(ok.every((v) => v.ok)).toBe(true);
    const bad = verdicts({ wallMs: 1301, floorMs: 1000, ceRequests: 5, peakRssBytes: 300 * 1024 * 1024 });
    expect(bad.map((v) => v.ok)).toEqual([false, false, false]);
  });
});
