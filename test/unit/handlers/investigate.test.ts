import { parseInvestigateValue } from '../../../src/handlers/investigate';
import { identityArn } from '../../../src/incident/investigate-identity';
import type { Finding } from '../../../src/scan/model';

const base: Finding = { id: 'f', check: 'credential-report', severity: 'high', step: 'R1', title: 't', resources: [], evidence: {}, actions: [] };

describe('investigate helpers', () => {
  it('uses the ARN the scan saw, keeping IAM paths', () => {
    const f: Finding = {
      ...base,
      resources: ['arn:aws:iam::111122223333:user/automation/ci-deploy', 'AKIA1'],
      target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIA1' },
    };
    expect(identityArn(f, '111122223333')?.arn).toBe('arn:aws:iam::111122223333:user/automation/ci-deploy');
  });

  it('falls back to the target ARN or a built one', () => {
    expect(identityArn({ ...base, target: { kind: 'role', roleName: 'ops', arn: 'arn:aws:iam::1:role/x/ops' } }, '111122223333')?.arn).toBe(
      'arn:aws:iam::1:role/x/ops',
    );
    expect(identityArn({ ...base, target: { kind: 'user', userName: 'bob' } }, '111122223333')?.arn).toBe('arn:aws:iam::111122223333:user/bob');
    expect(identityArn({ ...base, target: { kind: 'instance', region: 'eu-west-1', instanceId: 'i-1' } }, '1')).toBeUndefined();
    expect(identityArn(base, '1')).toBeUndefined();
  });

  it('does not match a different user whose name ends the same way', () => {
    const f: Finding = { ...base, resources: ['arn:aws:iam::111122223333:user/not-bob'], target: { kind: 'user', userName: 'bob' } };
    expect(identityArn(f, '111122223333')?.arn).toBe('arn:aws:iam::111122223333:user/bob');
  });

  it('parses only well-formed button values', () => {
    expect(parseInvestigateValue('{"scanId":"s","findingId":"f"}')).toEqual({ scanId: 's', findingId: 'f' });
    expect(parseInvestigateValue('{"scanId":1}')).toBeUndefined();
    expect(parseInvestigateValue('nope')).toBeUndefined();
    expect(parseInvestigateValue(undefined)).toBeUndefined();
  });
});
