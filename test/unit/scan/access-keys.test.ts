/**
 * Two access keys created in the same second (seen against a second backend): the report's slots must
 * not be guessed from creation time. Each key's last use tells them apart; when it cannot, the finding
 * says so and offers the user-level action instead of acting on a key that may be the wrong one.
 */
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { credentialReportCheck } from '../../../src/scan/checks/credential-report';
import { reportTime, serveReport } from './credential-report-fixture';
import { ACCOUNT, daysAgo, testContext } from './helpers';

const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());

const CREATED = daysAgo(2);
const K1 = 'AKIASAMESECOND00001';
const K2 = 'AKIASAMESECOND00002';

function twoKeysSameSecond(used: { k1?: Date; k2?: Date }): void {
  serveReport(iam, [
    { user: '<root_account>', arn: `arn:aws:iam::${ACCOUNT}:root`, mfa_active: 'true', password_enabled: 'not_supported' },
    {
      user: 'svc',
      arn: `arn:aws:iam::${ACCOUNT}:user/svc`,
      user_creation_time: reportTime(daysAgo(300)),
      password_enabled: 'false',
      mfa_active: 'false',
      access_key_1_active: 'true',
      access_key_1_last_rotated: reportTime(CREATED),
      access_key_1_last_used_date: used.k1 ? reportTime(used.k1) : 'N/A',
      access_key_1_last_used_service: used.k1 ? 's3' : 'N/A',
      access_key_2_active: 'true',
      access_key_2_last_rotated: reportTime(CREATED),
      access_key_2_last_used_date: used.k2 ? reportTime(used.k2) : 'N/A',
      access_key_2_last_used_service: used.k2 ? 'ec2' : 'N/A',
    },
  ]);
  // IAM lists them in an order of its own; the same CreateDate to the second.
  iam.on(ListAccessKeysCommand).resolves({
    AccessKeyMetadata: [
      { AccessKeyId: K2, CreateDate: CREATED, Status: 'Active', UserName: 'svc' },
      { AccessKeyId: K1, CreateDate: CREATED, Status: 'Active', UserName: 'svc' },
    ],
  });
}

describe('keys created in the same second', () => {
  it('tells the two slots apart by each key’s last use, so each finding names its own key', async () => {
    twoKeysSameSecond({ k1: daysAgo(1), k2: daysAgo(0.5) });
    iam
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: K1 })
      .resolves({ UserName: 'svc', AccessKeyLastUsed: { LastUsedDate: daysAgo(1), ServiceName: 's3', Region: 'us-east-1' } });
    iam
      .on(GetAccessKeyLastUsedCommand, { AccessKeyId: K2 })
      .resolves({ UserName: 'svc', AccessKeyLastUsed: { LastUsedDate: daysAgo(0.5), ServiceName: 'ec2', Region: 'us-east-1' } });
    const { findings } = await credentialReportCheck(testContext());
    const bySlot = (slot: number) => findings.find((f) => f.evidence.slot === slot && f.step === 'R1');
    expect(bySlot(1)?.target).toEqual({ kind: 'access-key', userName: 'svc', accessKeyId: K1 });
    expect(bySlot(2)?.target).toEqual({ kind: 'access-key', userName: 'svc', accessKeyId: K2 });
  });

  it('names neither key when nothing tells them apart, and says why, with the user-level action', async () => {
    twoKeysSameSecond({});
    iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'svc', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
    const { findings } = await credentialReportCheck(testContext());
    const keys = findings.filter((f) => f.step === 'R1' && typeof f.evidence.slot === 'number');
    expect(keys).toHaveLength(2);
    for (const f of keys) {
      expect(f.target).toEqual({ kind: 'user', userName: 'svc', arn: `arn:aws:iam::${ACCOUNT}:user/svc` });
      expect(f.actions).toEqual(['user.deactivate-keys']);
      expect(f.evidence.keyIdUnknown).toMatch(new RegExp(`one of ${K2} and ${K1}: both were created in the same second`));
    }
  });
});
