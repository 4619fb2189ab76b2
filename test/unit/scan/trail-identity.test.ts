import { closest, distance, roleSessions } from '../../../src/scan/trail-identity';
import type { TrailEvent } from '../../../src/scan/cloudtrail-events';

describe('trail identity', () => {
  it('suggests the close names of a user or role that does not exist', () => {
    expect(distance('svc-bakup', 'svc-backup')).toBe(1);
    expect(closest('svc-bakup', ['alice', 'svc-backup', 'ci-deploy', 'svc-backup-2'])).toEqual(['svc-backup', 'svc-backup-2']);
    expect(closest('ops-suport', ['ops-support', 'OrganizationAccountAccessRole'])).toEqual(['ops-support']);
    expect(closest('zzz', ['alice', 'bob'])).toEqual([]);
  });

  it("reads who assumed a role and the session's key from AssumeRole's response", () => {
    const base = { time: new Date('2026-12-01T10:00:00Z'), region: 'us-east-1', resources: [] };
    const events: TrailEvent[] = [
      {
        ...base,
        eventName: 'AssumeRole',
        principal: 'arn:aws:iam::999988887777:root',
        sourceIp: '203.0.113.9',
        request: { roleArn: 'arn:aws:iam::111122223333:role/ops-support' },
        response: { credentials: { accessKeyId: 'ASIAOPSSESSION000001' } },
      },
      { ...base, eventName: 'AssumeRole', principal: 'x', request: { roleArn: 'arn:aws:iam::111122223333:role/other' } },
      { ...base, eventName: 'AssumeRole', principal: 'y', errorCode: 'AccessDenied', request: { roleArn: 'arn:aws:iam::111122223333:role/ops-support' } },
    ];
    expect(roleSessions(events, 'ops-support')).toEqual([
      { assumedBy: 'arn:aws:iam::999988887777:root', at: '2026-12-01T10:00:00.000Z', sourceIp: '203.0.113.9', accessKeyId: 'ASIAOPSSESSION000001' },
    ]);
  });
});
