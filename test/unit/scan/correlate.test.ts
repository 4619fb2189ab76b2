import { correlateCredentialUse } from '../../../src/scan/correlate';
import type { Finding, Severity } from '../../../src/scan/model';

const base = { resources: [], id: 'x' };
const keyUse = (id: string, user: string): Finding => ({
  ...base,
  check: 'credential-report',
  step: 'R1',
  severity: 'low',
  title: `key ${id}`,
  evidence: {},
  actions: ['key.deactivate'],
  target: { kind: 'access-key', userName: user, accessKeyId: id },
});
const passwordUse = (user: string): Finding => ({
  ...base,
  check: 'credential-report',
  step: 'D1',
  severity: 'low',
  title: `IAM user ${user} signed in to the console in the incident window`,
  evidence: { credential: 'password', passwordLastUsed: '2026-11-27T00:00:00.000Z' },
  actions: ['user.disable-password'],
  target: { kind: 'user', userName: user },
});
const noMfa = (user: string): Finding => ({ ...passwordUse(user), severity: 'medium', title: `Console user ${user} has no MFA device`, evidence: {} });
const trail = (severity: Severity, title: string, user: string, key?: string): Finding => ({
  ...base,
  check: 'cloudtrail',
  step: 'R4',
  severity,
  title,
  evidence: key ? { accessKeyId: key } : {},
  actions: [],
  target: key ? { kind: 'access-key', userName: user, accessKeyId: key } : { kind: 'user', userName: user },
});
const quarantine = (user: string): Finding => ({
  ...base,
  check: 'quarantine',
  step: 'R2',
  severity: 'critical',
  title: `AWS quarantined ${user}`,
  evidence: {},
  actions: ['user.deactivate-keys'],
  target: { kind: 'user', userName: user },
});

describe('correlateCredentialUse', () => {
  it('raises a used key to high when CloudTrail or quarantine implicate it, and says why', () => {
    const findings = [
      keyUse('AKIA1', 'ci'),
      keyUse('AKIA2', 'q'),
      keyUse('AKIA3', 'fine'),
      trail('high', 'ci made 8 high-signal calls', 'ci', 'AKIA1'),
      quarantine('q'),
    ];
    correlateCredentialUse(findings);
    expect(findings.slice(0, 3).map((f) => f.severity)).toEqual(['high', 'high', 'low']);
    expect(findings[0]?.evidence.implicatedBy).toEqual(['ci made 8 high-signal calls']);
    expect(findings[2]?.evidence.implicatedBy).toBeUndefined();
  });

  it('raises a key only as far as what implicates it: medium for unusual reconnaissance, nothing for routine calls', () => {
    const findings = [
      keyUse('AKIA1', 'dev'),
      keyUse('AKIA2', 'ops'),
      trail('medium', 'dev listed users from a new address', 'dev', 'AKIA1'),
      trail('low', 'ops made 3 routine calls', 'ops', 'AKIA2'),
    ];
    correlateCredentialUse(findings);
    expect(findings.slice(0, 2).map((f) => f.severity)).toEqual(['medium', 'low']);
  });

  it("raises console password use only for console findings about the user, not for its leaked key or AWS's quarantine", () => {
    const signInTrail: Finding = {
      ...trail('medium', 'IAM user mallory made 1 high-signal call: ConsoleLogin (sign-in without MFA)', 'mallory'),
      evidence: { events: { ConsoleLogin: 1 } },
    };
    const profileChanged: Finding = {
      ...trail('high', "Another user's console password changed: dora", 'dora'),
      detection: 'iam-login-profile-changed-for-another-user',
    };
    const findings = [
      passwordUse('alice'),
      passwordUse('mallory'),
      passwordUse('q'),
      passwordUse('carol'),
      passwordUse('dora'),
      signInTrail,
      // carol's key stopped the trail; carol's own MFA sign-ins from her usual address are not thereby suspect.
      trail('critical', 'IAM user carol (key AKIAC) stopped logging', 'carol', 'AKIAC'),
      trail('low', 'IAM user alice made 4 routine calls', 'alice', 'AKIAA'),
      profileChanged,
      quarantine('q'),
    ];
    correlateCredentialUse(findings);
    expect(findings.slice(0, 5).map((f) => f.severity)).toEqual(['low', 'medium', 'low', 'low', 'high']);
    expect(findings[1]?.evidence.implicatedBy).toEqual(['IAM user mallory made 1 high-signal call: ConsoleLogin (sign-in without MFA)']);
    expect(findings[1]?.evidence.credential).toBe('password');
  });

  it('leaves user findings that are not password use alone (a console user without MFA is hygiene, already rated)', () => {
    const findings = [noMfa('mallory'), trail('high', 'mallory created a user', 'mallory')];
    correlateCredentialUse(findings);
    expect(findings[0]).toMatchObject({ severity: 'medium', evidence: {} });
  });

  it('raises a key named by its slot through its id when known, or through its quarantined user', () => {
    const bySlot = (user: string, accessKeyId?: string): Finding => ({
      ...keyUse('unused', user),
      evidence: { slot: 1, ...(accessKeyId ? { accessKeyId } : {}) },
      actions: ['user.deactivate-keys'],
      target: { kind: 'user', userName: user },
    });
    const findings = [
      bySlot('ci', 'AKIA1'),
      bySlot('ci2'),
      bySlot('q'),
      trail('high', 'ci made 8 high-signal calls', 'ci', 'AKIA1'),
      trail('high', 'ci2 made 8 high-signal calls', 'ci2', 'AKIA2'),
      quarantine('q'),
    ];
    correlateCredentialUse(findings);
    // ci2's slot was never matched to a key id, so CloudTrail's key cannot be told to be it.
    expect(findings.slice(0, 3).map((f) => f.severity)).toEqual(['high', 'low', 'high']);
  });
});
