import { IntervalLimiter, RateLimiterRegistry } from '../../../src/aws/rate-limit';

describe('IntervalLimiter', () => {
  it('spaces requests at the documented rate, in arrival order', async () => {
    let clock = 1_000;
    const sleeps: number[] = [];
    const limiter = new IntervalLimiter(
      2,
      () => clock,
      async (ms) => {
        sleeps.push(ms);
      },
    );
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
