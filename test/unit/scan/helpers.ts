/** Shared by the scan unit tests: a fixed clock and account, mock-friendly clients and a check context. */
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import { promiseMemo, type CheckContext } from '../../../src/scan/context';

export const ACCOUNT = '123456789012';
export const NOW = new Date('2026-11-28T12:00:00Z');
export const DAY = 86_400_000;
export const daysAgo = (n: number): Date => new Date(NOW.getTime() - n * DAY);

/** Clients with no retries and no pacing, so mocked failures surface at once. */
export function testClients(maxAttempts = 1): AwsClients {
  return new AwsClients(
    { key: ACCOUNT, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' }, maxAttempts },
    new RateLimiterRegistry({}),
  );
}

export function testContext(overrides: Partial<CheckContext> = {}): CheckContext {
  const days = overrides.days ?? 7;
  return {
    clients: testClients(),
    account: ACCOUNT,
    caller: { arn: `arn:aws:iam::${ACCOUNT}:user/scanner`, userName: 'scanner' },
    window: { start: new Date(NOW.getTime() - days * DAY), end: NOW },
    days,
    regions: ['us-east-1'],
    now: NOW,
    pollIntervalMs: 0,
    detail: () => undefined,
    memo: promiseMemo(),
    ...overrides,
  };
}

/** An error shaped like the SDK's service exceptions (name = AWS error code). */
export function awsError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  Object.assign(e, { $metadata: { httpStatusCode: 400, requestId: 'req-1' }, $fault: 'client' });
  return e;
}
