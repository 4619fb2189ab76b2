import { ChannelPacer } from '../../../src/slack/channel-pacer';
import { ThrottledUpdater } from '../../../src/slack/throttled-updater';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('ChannelPacer', () => {
  it("runs one channel's calls in order, at least the interval apart; other channels are independent", async () => {
    const pacer = new ChannelPacer(60);
    const log: [string, number][] = [];
    const t0 = Date.now();
    const call = (ch: string) => pacer.run(ch, async () => void log.push([ch, Date.now() - t0]));
    await Promise.all([call('A'), call('A'), call('A'), call('B')]);
    const a = log.filter(([c]) => c === 'A').map(([, t]) => t);
    expect(a[1] - a[0]).toBeGreaterThanOrEqual(55);
    expect(a[2] - a[1]).toBeGreaterThanOrEqual(55);
    expect(log.find(([c]) => c === 'B')?.[1]).toBeLessThan(50);
  });

  it("keeps going after a failed call and returns each call's own result", async () => {
    const pacer = new ChannelPacer(1);
    await expect(pacer.run('A', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(pacer.run('A', async () => 42)).resolves.toBe(42);
  });
});

describe('ThrottledUpdater', () => {
  it('coalesces bursts into at most one send per interval and always delivers the final state', async () => {
    let state = 0;
    const sent: number[] = [];
    const u = new ThrottledUpdater(
      async () => void sent.push(state),
      80,
      () => undefined,
    );
    for (let i = 1; i <= 50; i++) {
      state = i;
      u.changed();
      await sleep(4);
    }
    state = 99;
    await u.flush();
    expect(sent[sent.length - 1]).toBe(99);
    expect(sent.length).toBeLessThanOrEqual(6);
    u.changed(); // after flush: ignored
    await sleep(100);
    expect(sent[sent.length - 1]).toBe(99);
  });

  it('reports send failures to onError and keeps working', async () => {
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
    );
    u.changed();
    await sleep(30);
    await u.flush();
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(['ok']);
  });
});
