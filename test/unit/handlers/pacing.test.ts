/**
 * Per-channel pacing of Slack posts and the progress message's throttling, on a manual clock: the
 * timing rules are checked by moving time by hand, with no real waiting.
 */
import { ChannelPacer } from '../../../src/slack/channel-pacer';
import { SharedChannelPacer } from '../../../src/slack/shared-channel-pacer';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { ThrottledUpdater } from '../../../src/slack/throttled-updater';
import { ManualClock } from '../../support/manual-clock';

describe('ChannelPacer', () => {
  it("runs one channel's calls in order, at least the interval apart; other channels are independent", async () => {
    const clock = new ManualClock();
    const t0 = clock.now().getTime();
    const pacer = new ChannelPacer(60, clock);
    const log: [string, number][] = [];
    const call = (ch: string) => pacer.run(ch, async () => void log.push([ch, clock.now().getTime() - t0]));
    const all = Promise.all([call('A'), call('A'), call('A'), call('B')]);
    await clock.advance(0);
    expect(log).toEqual([
      ['A', 0],
      ['B', 0],
    ]);
    await clock.advance(59);
    expect(log).toHaveLength(2);
    await clock.advance(1);
    await clock.advance(60);
    await all;
    expect(log.filter(([c]) => c === 'A').map(([, t]) => t)).toEqual([0, 60, 120]);
  });

  it("keeps going after a failed call and returns each call's own result", async () => {
    const clock = new ManualClock();
    const pacer = new ChannelPacer(1, clock);
    await expect(pacer.run('A', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const next = pacer.run('A', async () => 42);
    await clock.advance(1);
    await expect(next).resolves.toBe(42);
  });
});

describe('ThrottledUpdater', () => {
  it('coalesces bursts into at most one send per interval and always delivers the final state', async () => {
    const clock = new ManualClock();
    let state = 0;
    const sent: number[] = [];
    const u = new ThrottledUpdater(
      async () => void sent.push(state),
      80,
      () => undefined,
      clock,
    );
    for (let i = 1; i <= 50; i++) {
      state = i;
      u.changed();
      await clock.advance(4);
    }
    // 200 ms of changes every 4 ms: the first at once, then one per 80 ms.
    expect(sent).toEqual([1, 20, 40]);
    state = 99;
    await u.flush();
    expect(sent[sent.length - 1]).toBe(99);
    u.changed(); // after flush: ignored
    await clock.advance(100);
    expect(sent).toEqual([1, 20, 40, 99]);
    expect(clock.pending).toBe(0);
  });

  it('reports send failures to onError and keeps working', async () => {
    const clock = new ManualClock();
    const errors: unknown[] = [];
    let fail = true;
    const sent: string[] = [];
    const u = new ThrottledUpdater(
      async () => {
        if (fail) {
          fail = false;
          throw new Error('ratelimited');
        }
        sent.push('ok');
      },
      10,
      (e) => errors.push(e),
      clock,
    );
    u.changed();
    await clock.advance(30);
    await u.flush();
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(['ok']);
  });
});

describe('SharedChannelPacer', () => {
  it('spaces one channel across processes sharing the database: two pacers, one schedule', async () => {
    const clock = new ManualClock();
    const t0 = clock.now().getTime();
    const store = new SqliteStore(':memory:');
    const replicas = [new SharedChannelPacer(store, 1000, clock), new SharedChannelPacer(store, 1000, clock)];
    const log: [number, string, number][] = [];
    const calls = [0, 1, 0, 1, 0, 1].map((r, i) =>
      replicas[r]!.run(i === 5 ? 'B' : 'A', async () => void log.push([r, i === 5 ? 'B' : 'A', clock.now().getTime() - t0])),
    );
    await clock.advance(0);
    await clock.advance(0);
    expect(log.map(([, c, t]) => [c, t])).toEqual([
      ['A', 0],
      ['B', 0],
    ]);
    for (let i = 0; i < 5; i++) await clock.advance(1000);
    await Promise.all(calls);
    const a = log.filter(([, c]) => c === 'A');
    expect(a.map(([, , t]) => t)).toEqual([0, 1000, 2000, 3000, 4000]);
    // Both processes posted to A, yet never two in the same second.
    expect(new Set(a.map(([r]) => r))).toEqual(new Set([0, 1]));
    await store.close();
  });

  it('posts at once rather than dropping a message when the database cannot be reached', async () => {
    const clock = new ManualClock();
    const pacer = new SharedChannelPacer({ reservePostSlot: () => Promise.reject(new Error('connection refused')) }, 1000, clock);
    await expect(pacer.run('A', async () => 'sent')).resolves.toBe('sent');
  });
});
