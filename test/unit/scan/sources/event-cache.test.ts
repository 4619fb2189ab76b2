import type { TrailEvent } from '../../../../src/scan/cloudtrail-events';
import { CACHE_MAX_EVENTS, CACHE_TTL_MS, EventCache } from '../../../../src/scan/sources/event-cache';

const at = (iso: string, extra: Partial<TrailEvent> = {}): TrailEvent => ({
  eventName: 'CreateUser',
  time: new Date(iso),
  region: 'us-east-1',
  principal: 'arn:aws:iam::111122223333:user/alice',
  resources: [],
  ...extra,
});

describe('EventCache', () => {
  const from = new Date('2026-11-25T00:00:00Z');
  const to = new Date('2026-12-02T00:00:00Z');

  it('answers a lookup from a scan’s read of every event, for the stretch it covered and only the matching events', () => {
    const cache = new EventCache(() => 0);
    const w = cache.open('acct', 'us-east-1', to);
    w.add([at('2026-12-01T10:00:00Z', { userName: 'alice' }), at('2026-12-01T09:00:00Z', { userName: 'bob' })], new Date('2026-12-01T09:00:00Z'));
    const hit = cache.lookup('acct', 'us-east-1', { key: 'Username', value: 'alice' }, from, new Date('2026-12-02T01:00:00Z'));
    expect(hit?.events.map((e) => e.userName)).toEqual(['alice']);
    expect(hit?.from.toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(hit?.to.toISOString()).toBe(to.toISOString());
    w.reachedStart(from);
    expect(cache.lookup('acct', 'us-east-1', { key: 'Username', value: 'alice' }, from, to)?.from).toEqual(from);
  });

  it('answers from an entry of the same attribute, never from another attribute’s', () => {
    const cache = new EventCache(() => 0);
    const w = cache.open('acct', 'us-east-1', to, { key: 'AccessKeyId', value: 'AKIAEXAMPLE' });
    w.add([at('2026-12-01T10:00:00Z', { accessKeyId: 'AKIAEXAMPLE' })], from);
    w.reachedStart(from);
    expect(cache.lookup('acct', 'us-east-1', { key: 'AccessKeyId', value: 'AKIAEXAMPLE' }, from, to)?.events).toHaveLength(1);
    expect(cache.lookup('acct', 'us-east-1', { key: 'AccessKeyId', value: 'AKIAOTHER' }, from, to)).toBeUndefined();
    expect(cache.lookup('acct', 'eu-west-1', { key: 'AccessKeyId', value: 'AKIAEXAMPLE' }, from, to)).toBeUndefined();
    expect(cache.lookup('other', 'us-east-1', { key: 'AccessKeyId', value: 'AKIAEXAMPLE' }, from, to)).toBeUndefined();
  });

  it('forgets entries after its time to live', () => {
    let now = 0;
    const cache = new EventCache(() => now);
    cache.open('acct', 'us-east-1', to).add([at('2026-12-01T10:00:00Z')], from);
    now += CACHE_TTL_MS + 1;
    expect(cache.lookup('acct', 'us-east-1', { key: 'EventName', value: 'CreateUser' }, from, to)).toBeUndefined();
  });

  it('stops growing an entry that would exceed its size, keeping what it says true', () => {
    const cache = new EventCache(() => 0);
    const w = cache.open('acct', 'us-east-1', to);
    const many = Array.from({ length: CACHE_MAX_EVENTS }, () => at('2026-12-01T10:00:00Z'));
    w.add(many, new Date('2026-12-01T10:00:00Z'));
    w.add([at('2026-11-30T10:00:00Z')], new Date('2026-11-30T10:00:00Z'));
    w.reachedStart(from);
    const hit = cache.lookup('acct', 'us-east-1', { key: 'EventName', value: 'CreateUser' }, from, to);
    expect(hit?.from.toISOString()).toBe('2026-12-01T10:00:00.000Z');
  });
});
