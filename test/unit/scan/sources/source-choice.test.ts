/**
 * How a region's source is chosen from the first page: the estimate of the window's events, and the
 * order sources are tried in (fastest first, or the one preferred).
 */
import type { TrailEvent } from '../../../../src/scan/cloudtrail-events';
import { estimateEvents, type LookupPage } from '../../../../src/scan/sources/lookup-reader';
import { sourceOrder } from '../../../../src/scan/sources/read-cloudtrail';
import { firstPhase, mayBeReadOnly, prioritisedNames } from '../../../../src/scan/sources/targeted-lookup';

const HOUR = 3_600_000;
const to = new Date('2026-12-02T00:00:00Z');
const from = new Date(to.getTime() - 7 * 24 * HOUR);

function page(count: number, spanMs: number, more: boolean): LookupPage {
  const events = Array.from(
    { length: count },
    (_, i): TrailEvent => ({
      eventName: 'X',
      time: new Date(to.getTime() - (i * spanMs) / Math.max(1, count - 1)),
      region: 'us-east-1',
      principal: 'p',
      resources: [],
    }),
  );
  return more ? { events, bytes: 0, token: 't' } : { events, bytes: 0 };
}

describe('estimateEvents', () => {
  it('is exact when the first page is the only one', () => {
    expect(estimateEvents(page(17, HOUR, false), from, to)).toBe(17);
  });

  it('extrapolates the page’s rate over the window: 50 events in 15 s is about 2 million a week', () => {
    const n = estimateEvents(page(50, 15_000, true), from, to);
    expect(n).toBeGreaterThan(1_900_000);
    expect(n).toBeLessThan(2_100_000);
  });

  it('never estimates fewer events than a full page with more to come', () => {
    expect(estimateEvents(page(50, 7 * 24 * HOUR, true), from, to)).toBeGreaterThan(50);
  });
});

describe('sourceOrder', () => {
  const athena = { workgroup: 'w', database: 'd', table: 't' };

  it('reads a region that fits the page budget through LookupEvents when no log files are known to be faster', () => {
    expect(sourceOrder({ region: 'us-east-1', probe: page(50, HOUR, true), estimate: 120, windowMs: 7 * 24 * HOUR }, {})[0]).toBe('full');
  });

  it('tries the log files first when the window is large, and Athena when configured', () => {
    expect(sourceOrder({ region: 'us-east-1', probe: page(50, 1000, true), estimate: 2_000_000, windowMs: 7 * 24 * HOUR }, {})).toEqual([
      's3',
      'lookup-events',
    ]);
    expect(sourceOrder({ region: 'us-east-1', probe: page(50, 1000, true), estimate: 2_000_000, windowMs: 7 * 24 * HOUR }, { athena })[0]).toBe('athena');
  });

  it('puts the preferred source first, and keeps only LookupEvents when that is preferred', () => {
    const busy = { region: 'us-east-1', probe: page(50, 1000, true), estimate: 2_000_000, windowMs: 7 * 24 * HOUR };
    expect(sourceOrder(busy, { prefer: 's3', athena })[0]).toBe('s3');
    expect(sourceOrder(busy, { prefer: 'lookup-events', athena })).toEqual(['lookup-events']);
  });
});

describe('targeted queries', () => {
  it('go most important first: evasion and credential events before discovery', () => {
    const names = prioritisedNames();
    expect(names.indexOf('StopLogging')).toBeLessThan(names.indexOf('ListUsers'));
    expect(names.indexOf('CreateAccessKey')).toBeLessThan(names.indexOf('GetSendQuota'));
  });

  it('with writes: ReadOnly=false, then root, then each event name CloudTrail may record as read-only', () => {
    const q = firstPhase('write-events');
    expect(q.slice(0, 2)).toEqual([
      { key: 'ReadOnly', value: 'false' },
      { key: 'Username', value: 'root' },
    ]);
    expect(q.slice(2).every((x) => x.key === 'EventName' && mayBeReadOnly(x.value))).toBe(true);
    expect(q.map((x) => x.value)).toEqual(expect.arrayContaining(['AssumeRole', 'ConsoleLogin', 'ListUsers']));
    expect(q.map((x) => x.value)).not.toContain('CreateUser');
  });

  it('without: every event name of the catalog', () => {
    expect(firstPhase('event-names').length).toBe(prioritisedNames().length + 1);
  });
});
