/**
 * R4 precision: which console sign-ins, reconnaissance reads and session mintings are routine, and
 * that persistence and defense-evasion calls keep their severity wherever they come from.
 */
import { CloudTrailClient, DescribeTrailsCommand, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { classify, cloudTrailCheck } from '../../../src/scan/checks/cloudtrail';
import type { TrailEvent } from '../../../src/scan/cloudtrail-events';
import type { Finding } from '../../../src/scan/model';
import { ROUTINE_BURST_MIN_CALLS } from '../../../src/scan/routine-activity';
import { ACCOUNT, DAY, daysAgo, testContext } from './helpers';

const OFFICE = '198.51.100.10';
const ELSEWHERE = '203.0.113.66';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;

function ev(name: string, time: Date, opts: Partial<TrailEvent> = {}): TrailEvent {
  return {
    eventName: name,
    time,
    region: 'us-east-1',
    principal: ALICE,
    principalType: 'IAMUser',
    userName: 'alice',
    sourceIp: OFFICE,
    resources: [],
    ...opts,
  };
}
const signIn = (time: Date, opts: { mfa?: boolean; failed?: boolean; ip?: string } = {}): TrailEvent =>
  ev('ConsoleLogin', time, { sourceIp: opts.ip ?? OFFICE, signIn: { failed: opts.failed ?? false, mfaUsed: opts.mfa ?? true } });
/** Alice's everyday reads from the office over the week: what makes the office her usual address. */
const habits = (): TrailEvent[] => [6, 4, 2, 1].map((d) => ev('DescribeInstances', daysAgo(d)));

const r4 = (events: TrailEvent[], days = 7): Finding[] => classify(testContext({ days }), events).filter((f) => f.step === 'R4');
const one = (events: TrailEvent[], days = 7): Finding => {
  const found = r4(events, days);
  expect(found).toHaveLength(1);
  return found[0] as Finding;
};

describe('console sign-ins (R4)', () => {
  it('are not a signal when they succeed with MFA from a usual address', () => {
    expect(r4([...habits(), signIn(daysAgo(3)), signIn(daysAgo(1))])).toEqual([]);
  });

  it('are a medium signal without MFA, when failed, or from a new address, saying which', () => {
    expect(one([...habits(), signIn(daysAgo(1), { mfa: false })])).toMatchObject({ severity: 'medium', evidence: { unusual: ['sign-in without MFA'] } });
    expect(one([...habits(), signIn(daysAgo(1), { failed: true })])).toMatchObject({
      severity: 'medium',
      evidence: { unusual: ['failed sign-in'], failedCalls: 1 },
    });
    expect(one([...habits(), signIn(daysAgo(1), { ip: ELSEWHERE })])).toMatchObject({
      severity: 'medium',
      evidence: { sourceIp: ELSEWHERE, unusual: ['address new for this principal'] },
    });
  });

  it('do not make an address usual by failing from it for days', () => {
    const tries = [5, 3, 1].map((d) => signIn(daysAgo(d), { ip: ELSEWHERE, failed: true }));
    expect(one(tries).evidence.unusual).toEqual(['address new for this principal', 'failed sign-in']);
  });
});

describe('reconnaissance reads and session minting (R4)', () => {
  it('are low ("routine") from a usual address', () => {
    const f = one([...habits(), ev('ListUsers', daysAgo(3)), ev('AssumeRole', daysAgo(2))]);
    expect(f).toMatchObject({ severity: 'low', evidence: { count: 2 } });
    expect(f.title).toBe(`IAM user alice made 2 routine calls in us-east-1 from its usual address ${OFFICE}: ListUsers, AssumeRole`);
    expect(f.evidence.unusual).toBeUndefined();
  });

  it('stay medium from a new address, even one the principal also used for ordinary calls that day', () => {
    const visit = [
      ev('GetCallerIdentity', daysAgo(1), { sourceIp: ELSEWHERE }),
      ev('ListUsers', daysAgo(1), { sourceIp: ELSEWHERE }),
      ev('GetSessionToken', daysAgo(1), { sourceIp: ELSEWHERE }),
    ];
    const f = one([...habits(), ...visit]);
    expect(f).toMatchObject({ severity: 'medium', evidence: { sourceIp: ELSEWHERE, unusual: ['address new for this principal'] } });
    expect(f.title).toMatch(/made 2 high-signal calls/);
  });

  it('stay medium in a burst from a usual address', () => {
    const t0 = daysAgo(1).getTime();
    const burst = Array.from({ length: ROUTINE_BURST_MIN_CALLS }, (_, i) =>
      ev(i % 2 ? 'GetAccountAuthorizationDetails' : 'ListUsers', new Date(t0 + i * 30_000)),
    );
    const f = one([...habits(), ...burst]);
    expect(f.severity).toBe('medium');
    expect(f.evidence.unusual).toEqual([expect.stringMatching(/^burst/)]);
    // One call fewer, spread the same way, is routine.
    expect(one([...habits(), ...burst.slice(1)]).severity).toBe('low');
  });

  it('stay medium when denied', () => {
    expect(one([...habits(), ev('AssumeRole', daysAgo(1), { errorCode: 'AccessDenied' })])).toMatchObject({
      severity: 'medium',
      evidence: { unusual: ['denied'] },
    });
  });

  it("count a role's sessions together: a CI role's different session names share its usual address", () => {
    const role = (d: number, name: string, session: string): TrailEvent =>
      ev(name, daysAgo(d), {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/deployer/${session}`,
        principalType: 'AssumedRole',
        roleName: 'deployer',
        userName: 'deployer',
        sourceIp: '198.51.100.20',
      });
    const found = r4([role(6, 'DescribeImages', 'job-1'), role(3, 'DescribeImages', 'job-2'), role(1, 'AssumeRole', 'job-3')]);
    expect(found.map((f) => f.severity)).toEqual(['low']);
  });

  it('treat every address as new in a window too short to show habits', () => {
    const week = [...habits(), ev('ListUsers', daysAgo(0.5))];
    expect(one(week, 7).severity).toBe('low');
    expect(
      one(
        week.filter((e) => e.time.getTime() > daysAgo(1).getTime()),
        1,
      ).severity,
    ).toBe('medium');
  });
});

describe('persistence and defense evasion (R4)', () => {
  it('keep their severity from a usual address', () => {
    const found = classify(testContext(), [
      ...habits(),
      ev('CreateAccessKey', daysAgo(1), { accessKeyId: 'AKIAALICE', request: { userName: 'bob' } }),
      ev('StopLogging', daysAgo(1), { accessKeyId: 'AKIAALICE2' }),
    ]);
    // One actor summary per access key, capped at high: the findings naming each target carry the critical.
    expect(found.filter((f) => !f.detection).map((f) => f.severity)).toEqual(['high', 'high']);
    expect(
      found
        .filter((f) => f.detection)
        .map((f) => `${f.severity} ${f.detection}`)
        .sort(),
    ).toEqual(['critical cloudtrail-stopped', 'high iam-access-key-for-another-user']);
    expect(found.every((f) => f.evidence.unusual === undefined)).toBe(true);
  });

  it('a key its own user rotates from the usual address is routine; from a new address it is not', () => {
    const own = (ip: string) =>
      classify(testContext(), [
        ...habits(),
        ev('CreateAccessKey', daysAgo(1), { sourceIp: ip, response: { accessKey: { userName: 'alice', accessKeyId: 'AKIAALICENEW0000001' } } }),
      ]);
    expect(own(OFFICE).find((f) => f.detection === 'iam-access-key-self')?.severity).toBe('low');
    expect(own(ELSEWHERE).find((f) => f.detection === 'iam-access-key-self')).toMatchObject({ severity: 'medium', resources: ['AKIAALICENEW0000001', ALICE] });
  });
});

describe('sign-in records as CloudTrail returns them', () => {
  const ct = mockClient(CloudTrailClient);
  afterAll(() => ct.restore());

  it('read the outcome from responseElements and MFA from additionalEventData', async () => {
    ct.reset();
    ct.on(DescribeTrailsCommand).resolves({ trailList: [] });
    const record = (at: Date, extra: Record<string, unknown>) => ({
      EventName: 'ConsoleLogin',
      EventTime: at,
      EventSource: 'signin.amazonaws.com',
      Username: 'alice',
      CloudTrailEvent: JSON.stringify({
        userIdentity: { type: 'IAMUser', arn: ALICE, userName: 'alice' },
        sourceIPAddress: OFFICE,
        awsRegion: 'us-east-1',
        eventType: 'AwsConsoleSignIn',
        ...extra,
      }),
    });
    ct.on(LookupEventsCommand).resolves({
      Events: [
        record(daysAgo(6), { responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }),
        record(daysAgo(1), { responseElements: { ConsoleLogin: 'Success' }, additionalEventData: { MFAUsed: 'Yes' } }),
        record(new Date(daysAgo(1).getTime() + DAY / 4), {
          responseElements: { ConsoleLogin: 'Failure' },
          errorMessage: 'Failed authentication',
          additionalEventData: { MFAUsed: 'No' },
        }),
      ],
    });
    const { findings } = await cloudTrailCheck(testContext());
    const f = findings.filter((x) => x.evidence.categories !== undefined);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ severity: 'medium', evidence: { count: 1, failedCalls: 1, unusual: ['failed sign-in', 'sign-in without MFA'] } });
  });
});
