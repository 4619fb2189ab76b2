/**
 * The 'large' scenario the benchmark and scale tests run against (1,000 users, 17 regions, 20,000
 * events): generated in code, deterministically, instead of a multi-megabyte file in scenarios/.
 */
import { DEFAULT_REGIONS } from '../regions';

const ACCOUNT_ID = '333344445555';
const USERS = 1000;
const EVENTS = 20_000;
const EVENT_NAMES = ['ec2:DescribeInstances', 'ec2:DescribeVolumes', 'ec2:DescribeSecurityGroups', 'ec2:RunInstances', 'ec2:CreateTags', 'ec2:StopInstances'];

/**
 * Events per region, uneven on purpose (a Zipf-like 1/(rank+1) spread: us-east-1 busiest), summing to
 * exactly EVENTS, so the benchmark's rate-limit floor is set by one busy region, as in real accounts.
 */
export function largeEventSpread(): { region: string; count: number }[] {
  const weights = DEFAULT_REGIONS.map((_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const counts = weights.map((w) => Math.floor((EVENTS * w) / total));
  counts[0]! += EVENTS - counts.reduce((a, b) => a + b, 0);
  return DEFAULT_REGIONS.map((region, i) => ({ region, count: counts[i]! }));
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * The `large` scenario, generated deterministically: 1,000 users (keys, passwords, MFA in varying
 * combinations), all 17 default regions with instances, 20,000 CloudTrail events in the last 7 days,
 * and daily costs by service and region. Returned as a scenario document, so it is validated like a file.
 */
export function generateLargeScenario(_now: Date): unknown {
  const users = [];
  for (let i = 0; i < USERS; i++) {
    const user: Record<string, unknown> = { userName: `user-${pad(i, 4)}`, createDate: `-${30 + (i % 900)}d` };
    if (i % 2 === 0) user.password = { lastUsed: i % 6 === 0 ? undefined : `-${1 + (i % 60)}d`, lastChanged: `-${20 + (i % 200)}d` };
    if (i % 3 !== 0) user.mfaDevices = [{ virtual: true, enableDate: `-${10 + (i % 300)}d` }];
    const keys = [];
    if (i % 3 === 0 || i % 10 === 0) {
      keys.push({
        accessKeyId: `AKIALARGE${pad(i, 4)}A000`,
        createDate: `-${5 + (i % 400)}d`,
        ...(i % 4 === 0 ? {} : { lastUsed: { date: `-${1 + (i % 48)}h`, region: DEFAULT_REGIONS[i % DEFAULT_REGIONS.length], service: 'ec2' } }),
      });
    }
    if (i % 10 === 0) keys.push({ accessKeyId: `AKIALARGE${pad(i, 4)}B000`, status: 'Inactive', createDate: `-${100 + (i % 300)}d` });
    if (keys.length > 0) user.accessKeys = keys;
    users.push(user);
  }

  const activity = largeEventSpread().map(({ region, count }, r) => ({
    actor: `user-${pad((r * 37) % USERS, 4)}`,
    from: '-7d',
    to: '-1m',
    count,
    regions: [region],
    sourceIps: [`198.51.100.${10 + r}`],
    events: EVENT_NAMES,
    seed: 1000 + r,
  }));

  const instances = DEFAULT_REGIONS.flatMap((region, r) =>
    Array.from({ length: 1 + (r % 3) }, (_, k) => ({
      region,
      instanceType: k === 0 ? 'm5.large' : 't3.medium',
      launchTime: `-${50 + r}d`,
      tags: { Name: `app-${r}-${k}` },
    })),
  );

  const costs = DEFAULT_REGIONS.flatMap((region, r) => [
    { service: 'Amazon Elastic Compute Cloud - Compute', region, from: '-75d', to: 'now', daily: 40 / (r + 1), variation: 0.05 },
    { service: 'Amazon Simple Storage Service', region, from: '-75d', to: 'now', daily: 5 / (r + 1), variation: 0.05 },
  ]);

  return {
    name: 'large',
    description: 'Generated: 1,000 users, 17 regions, 20,000 events in the last 7 days spread unevenly across regions.',
    accountId: ACCOUNT_ID,
    accountAlias: 'acme-large',
    root: { createDate: '-2000d', passwordLastUsed: '-300d', mfaActive: true },
    users: users.map((u) => JSON.parse(JSON.stringify(u)) as unknown),
    instances,
    trails: [{ name: 'management-events', homeRegion: 'us-east-1', isMultiRegion: true, isLogging: true }],
    activity,
    costs,
    contact: { fullName: 'Acme Large', countryCode: 'US', phoneNumber: '+14155550199' },
    alternateContacts: [{ type: 'SECURITY', name: 'Security', title: 'Security', emailAddress: 'security@large.example', phoneNumber: '+14155550198' }],
  };
}
