/**
 * Per-channel pacing of Slack posts and the progress message's throttling, on a manual clock: the
 * timing rules are checked by moving time by hand, with no real waiting.
 */
import { ChannelPacer } from '../../../src/slack/channel-pacer';
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
