import { IntervalLimiter, RateLimiterRegistry } from '../../../src/aws/rate-limit';
import { VirtualTime } from '../../support/virtual-time';

describe('IntervalLimiter', () => {
  it('spaces requests at the documented rate, in arrival order', async () => {
    let clock = 1_000;
    const sleeps: number[] = [];
    const limiter = new IntervalLimiter(2, {
      now: () => new Date(clock),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
    await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()]);
    expect(sleeps).toEqual([500, 1000]);
    clock += 5_000; // idle time is not banked into a burst beyond one request
    await limiter.acquire();
    await limiter.acquire();
    expect(sleeps).toEqual([500, 1000, 500]);
  });
});

describe('RateLimiterRegistry', () => {
  it('shares one limiter per account, region and operation', () => {
    const reg = new RateLimiterRegistry({ 'CloudTrail:LookupEvents': 2 });
    const a = reg.get('111122223333', 'us-east-1', 'CloudTrail:LookupEvents');
    expect(a).toBeDefined();
    expect(reg.get('111122223333', 'us-east-1', 'CloudTrail:LookupEvents')).toBe(a);
    expect(reg.get('111122223333', 'eu-west-1', 'CloudTrail:LookupEvents')).not.toBe(a);
    expect(reg.get('444455556666', 'us-east-1', 'CloudTrail:LookupEvents')).not.toBe(a);
    expect(reg.get('111122223333', 'us-east-1', 'IAM:ListUsers')).toBeUndefined();
  });
});

describe('IntervalLimiter priorities', () => {
  /** Time moves only when the limiter sleeps: slot order is all that is measured. */
  function limiter() {
    return new IntervalLimiter(2, new VirtualTime(0));
  }

  it('serves a lookup before queued scan requests, while the scan keeps two thirds of contested slots', async () => {
    const l = limiter();
    const order: string[] = [];
    const scan = Array.from({ length: 9 }, (_, i) => l.acquire('scan').then(() => order.push(`s${i}`)));
    const people = Array.from({ length: 6 }, (_, i) => l.acquire('interactive').then(() => order.push(`i${i}`)));
    await Promise.all([...scan, ...people]);
    // The first scan request had its slot before anyone else asked; then interactive first, one in three.
    expect(order.slice(0, 10)).toEqual(['s0', 'i0', 's1', 's2', 'i1', 's3', 's4', 'i2', 's5', 's6']);
    const contested = order.slice(1, 13);
    expect(contested.filter((x) => x.startsWith('s')).length).toBeGreaterThanOrEqual((contested.length * 2) / 3 - 1);
  });

  it('gives every slot to whoever waits alone', async () => {
    const l = limiter();
    const order: string[] = [];
    await Promise.all(Array.from({ length: 4 }, (_, i) => l.acquire('interactive').then(() => order.push(`i${i}`))));
    expect(order).toEqual(['i0', 'i1', 'i2', 'i3']);
  });

  it('takes the priority from the calling context', async () => {
    const { withRequestPriority, currentRequestPriority } = await import('../../../src/aws/rate-limit');
    expect(currentRequestPriority()).toBe('scan');
    await withRequestPriority('interactive', async () => {
      expect(currentRequestPriority()).toBe('interactive');
    });
  });
});
