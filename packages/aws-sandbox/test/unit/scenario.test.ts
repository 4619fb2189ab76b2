import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildState } from '../../src/scenario/build';
import { largeEventSpread } from '../../src/scenario/large';
import { loadScenario } from '../../src/scenario/load';
import { ScenarioError } from '../../src/scenario/reader';
import { parseRelativeTime } from '../../src/scenario/time';

const NOW = new Date('2026-03-10T12:00:00Z');

function problemsOf(doc: unknown): string[] {
  try {
    buildState(doc, 'test.json', NOW);
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error('expected the scenario to be rejected');
}

const minimal = () => ({ name: 'mini', accountId: '123456789012', contact: { fullName: 'Ops' } });

describe('relative times', () => {
  test.each([
    ['now', '2026-03-10T12:00:00.000Z'],
    ['-3d', '2026-03-07T12:00:00.000Z'],
    ['-2h30m', '2026-03-10T09:30:00.000Z'],
    ['+15m', '2026-03-10T12:15:00.000Z'],
    ['-1d6h', '2026-03-09T06:00:00.000Z'],
    ['2025-01-02T03:04:05Z', '2025-01-02T03:04:05.000Z'],
  ])('%s', (text, iso) => {
    expect(parseRelativeTime(text, NOW)?.toISOString()).toBe(iso);
  });
  test.each(['yesterday', '-3x', '3d', ''])('rejects %j', (text) => {
    expect(parseRelativeTime(text, NOW)).toBeUndefined();
  });
});

describe('scenario validation', () => {
  test('a minimal scenario builds, with every default region and default VPC', () => {
    const { state } = buildState(minimal(), 'mini.json', NOW);
    expect(state.accountId).toBe('123456789012');
    expect(state.regions.filter((r) => r.optInStatus === 'opt-in-not-required')).toHaveLength(17);
    expect(state.regions.every((r) => r.vpcs.length === 1 && r.securityGroups[0]!.groupName === 'default')).toBe(true);
  });

  test('every problem is reported with its path, not just the first', () => {
    const problems = problemsOf({
      ...minimal(),
      accountId: '12345',
      users: [
        { userName: 'a', createDate: 'last tuesday', accessKeys: [{ accessKeyId: 'nope', createDate: '-1d', status: 'Enabled' }] },
        { userName: 'b', createDate: '-1d', groups: ['ghosts'], attachedPolicies: ['arn:aws:iam::aws:policy/Missing'], colour: 'blue' },
      ],
      events: [{ time: '-1h', eventName: 'CreateUser', actor: 'mallory', sourceIp: '1.2.3.4', region: 'eu-west-1' }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        '$.accountId: "12345" is not valid: an account id is 12 digits',
        '$.users[0].createDate: "last tuesday" is not a time: use "now", a relative time like "-3d", "-2h30m", "+15m", or ISO 8601',
        expect.stringMatching(/^\$\.users\[0\]\.accessKeys\[0\]\.accessKeyId: "nope" is not valid/),
        '$.users[0].accessKeys[0].status: must be one of Active, Inactive, got "Enabled"',
        expect.stringMatching(/^\$\.users\[1\]\.colour: unknown field/),
        '$.users[1].groups[0]: no group named ghosts in $.groups',
        '$.users[1].attachedPolicies[0]: policy arn:aws:iam::aws:policy/Missing is not declared in $.policies',
        expect.stringMatching(/^\$\.events\[0\]\.actor: no user named mallory/),
        '$.events[0].region: iam.amazonaws.com events are recorded in us-east-1, not eu-west-1',
      ]),
    );
  });

  test('resources in a region that is not enabled are rejected', () => {
    const problems = problemsOf({ ...minimal(), instances: [{ region: 'me-south-1', instanceType: 't3.micro', launchTime: '-1d' }] });
    expect(problems).toEqual(['$.instances[0].region: me-south-1 is not enabled in this account: add it to $.regions.optedIn']);
  });

  test('a file that is not JSON names the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "name": ');
    expect(() => loadScenario(file)).toThrow(ScenarioError);
    expect(() => loadScenario(file)).toThrow(/broken\.json is invalid:\n {2}- not valid JSON/);
  });

  test('an unknown scenario name says where scenarios live', () => {
    expect(() => loadScenario('no-such-scenario')).toThrow(/no scenario named "no-such-scenario"/);
  });
});

describe('shipped scenarios', () => {
  test('compromised-key plants every sign of the runbook story', () => {
    const state = loadScenario('compromised-key').build(new Date());
    const user = (n: string) => state.users.find((u) => u.userName === n)!;
    expect(user('ci-deploy').attachedPolicyArns).toContain('arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2');
    expect(user('svc-backup').attachedPolicyArns).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(user('svc-backup').accessKeys).toHaveLength(1);
    expect(state.roles.find((r) => r.roleName === 'ops-support')!.assumeRolePolicyDocument).toContain('999988887777');
    const leaked = state.events.filter((e) => e.accessKeyId === 'AKIACIDEPLOYLEAKED01' && e.record.sourceIPAddress === '185.220.101.34');
    expect(new Set(leaked.filter((e) => e.region === 'us-east-1').map((e) => e.eventName))).toEqual(
      new Set([
        'GetCallerIdentity',
        'ListUsers',
        'GetAccountAuthorizationDetails',
        'CreateUser',
        'CreateAccessKey',
        'AttachUserPolicy',
        'PutUserPolicy',
        'CreateRole',
        'AttachRolePolicy',
      ]),
    );
    const gpuRegions = state.regions.filter((r) => r.instances.some((i) => /^(p3|g5)\./.test(i.instanceType))).map((r) => r.name);
    expect(gpuRegions.sort()).toEqual(['ap-southeast-2', 'ca-central-1', 'sa-east-1']);
    for (const region of gpuRegions) {
      // "Never used": no earlier activity or cost there before the attack.
      const attackStart = Math.min(...leaked.map((e) => e.eventTime.getTime()));
      expect(state.events.some((e) => e.region === region && e.eventTime.getTime() < attackStart)).toBe(false);
      expect(state.costs.filter((c) => c.region === region).length).toBeLessThanOrEqual(2);
    }
    expect(state.organization!.accounts.find((a) => a.name === 'backup-services')!.joinedMethod).toBe('CREATED');
    expect(state.organization!.handshakes.some((h) => h.state === 'OPEN')).toBe(true);
    expect(state.alternateContacts.some((c) => c.type === 'SECURITY')).toBe(false);
    // Legitimate background activity from the usual IPs.
    expect(state.events.filter((e) => e.userName === 'alice' && e.record.sourceIPAddress === '198.51.100.10').length).toBeGreaterThan(20);
  });

  test('clean has a security contact, MFA on every console user, and no GPU instances', () => {
    const state = loadScenario('clean').build(new Date());
    expect(state.alternateContacts.map((c) => c.type)).toContain('SECURITY');
    expect(state.users.filter((u) => u.loginProfile).every((u) => u.mfaDevices.length > 0)).toBe(true);
    expect(state.regions.flatMap((r) => r.instances).some((i) => /^(p3|g5)\./.test(i.instanceType))).toBe(false);
  });

  test('console sign-ins are recorded as AWS records them: outcome, MFA used per the user, no access key', () => {
    const state = loadScenario('clean').build(new Date());
    const signIns = state.events.filter((e) => e.eventName === 'ConsoleLogin');
    expect(signIns.length).toBeGreaterThan(0);
    for (const e of signIns) {
      expect(e.accessKeyId).toBeUndefined();
      expect(e.record).toMatchObject({ eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } });
      expect((e.record.userIdentity as Record<string, unknown>).accessKeyId).toBeUndefined();
    }
  });

  test('large: 1,000 users, 17 regions with activity, exactly 20,000 events in the last 7 days, uneven across regions', () => {
    const now = new Date();
    const state = loadScenario('large').build(now);
    expect(state.users).toHaveLength(1000);
    const weekAgo = now.getTime() - 7 * 86_400_000;
    const inWindow = state.events.filter((e) => e.eventTime.getTime() >= weekAgo);
    expect(inWindow).toHaveLength(20_000);
    const perRegion = new Map<string, number>();
    for (const e of inWindow) perRegion.set(e.region, (perRegion.get(e.region) ?? 0) + 1);
    expect(perRegion.size).toBe(17);
    expect(Math.max(...perRegion.values())).toBeGreaterThan(5 * Math.min(...perRegion.values()));
    expect(largeEventSpread().reduce((a, b) => a + b.count, 0)).toBe(20_000);
    // Deterministic: the same ids every time.
    expect(
      loadScenario('large')
        .build(now)
        .events.map((e) => e.eventId)
        .slice(0, 5),
    ).toEqual(state.events.map((e) => e.eventId).slice(0, 5));
  });
});
