import { IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { credentialReportCheck } from '../../../src/scan/checks/credential-report';
import type { Finding } from '../../../src/scan/model';
import { correlateAndResolveKeys } from '../../../src/scan/resolve-key-ids';
import { serveReport, reportTime, type ReportRow } from './credential-report-fixture';
import { ACCOUNT, awsError, daysAgo, testContext } from './helpers';

const iam = mockClient(IAMClient);
const arn = (user: string): string => `arn:aws:iam::${ACCOUNT}:user/${user}`;

/** A user whose key 1 (created 300 days ago) was used yesterday. */
const row = (user: string): ReportRow => ({
  user,
  arn: arn(user),
  user_creation_time: reportTime(daysAgo(400)),
  password_enabled: 'false',
  mfa_active: 'false',
  access_key_1_active: 'true',
  access_key_1_last_rotated: reportTime(daysAgo(300)),
  access_key_1_last_used_date: reportTime(daysAgo(1)),
  access_key_1_last_used_region: 'us-east-1',
  access_key_1_last_used_service: 'iam',
  access_key_2_active: 'false',
});

const keyOf = (user: string): string => `AKIA${user.toUpperCase().padEnd(16, '0')}`;

const trail = (user: string, severity: Finding['severity'], title: string): Finding => ({
  id: `trail-${user}`,
  check: 'cloudtrail',
  step: 'R4',
  severity,
  title,
  resources: [arn(user), keyOf(user)],
  evidence: { accessKeyId: keyOf(user) },
  actions: ['key.deactivate', 'key.delete'],
  target: { kind: 'access-key', userName: user, accessKeyId: keyOf(user) },
});

async function keyUse(users: string[]): Promise<Finding[]> {
  serveReport(iam, users.map(row));
  for (const u of users) {
    iam
      .on(ListAccessKeysCommand, { UserName: u })
      .resolves({ AccessKeyMetadata: [{ AccessKeyId: keyOf(u), CreateDate: daysAgo(300), Status: 'Active', UserName: u }] });
  }
  const { findings } = await credentialReportCheck(testContext());
  return findings;
}

beforeEach(() => iam.reset());

describe('correlateAndResolveKeys', () => {
  it('looks up the ids of implicated keys only, names them with key actions and keeps their finding ids', async () => {
    const users = ['leaked', 'routine', 'quiet'];
    const own = await keyUse(users);
    const idsBefore = own.map((f) => f.id);
    const findings = [
      ...own,
      trail('leaked', 'high', 'IAM user leaked made 8 high-signal calls'),
      trail('routine', 'low', 'IAM user routine made 3 routine calls'),
    ];
    const gaps = await correlateAndResolveKeys(testContext(), findings);
    expect(gaps).toEqual([]);
    expect(own.map((f) => f.id)).toEqual(idsBefore);
    const [leaked, routine, quiet] = own;
    expect(leaked).toMatchObject({
      severity: 'high',
      title: expect.stringMatching(new RegExp(`^Access key ${keyOf('leaked')} of leaked was used in the incident window`)),
      resources: [arn('leaked'), keyOf('leaked')],
      actions: ['key.deactivate', 'key.delete'],
      target: { kind: 'access-key', userName: 'leaked', accessKeyId: keyOf('leaked') },
      evidence: { implicatedBy: ['IAM user leaked made 8 high-signal calls'] },
    });
    for (const f of [routine, quiet]) {
      expect(f).toMatchObject({ severity: 'low', actions: ['user.deactivate-keys'], target: { kind: 'user' } });
      expect(f?.title).toMatch(/^Access key 1 of /);
    }
    // Routine CloudTrail use implicates nothing, so only the leaked key's user costs a call.
    expect(iam.commandCalls(ListAccessKeysCommand).map((c) => c.args[0].input.UserName)).toEqual(['leaked']);
  });

  it('names a key raised through its quarantined user, with no CloudTrail key to match', async () => {
    const own = await keyUse(['q']);
    const quarantine: Finding = {
      id: 'q',
      check: 'quarantine',
      step: 'R2',
      severity: 'critical',
      title: 'AWS quarantined q',
      resources: [arn('q')],
      evidence: {},
      actions: ['user.deactivate-keys'],
      target: { kind: 'user', userName: 'q' },
    };
    await correlateAndResolveKeys(testContext(), [...own, quarantine]);
    expect(own[0]).toMatchObject({ severity: 'high', target: { kind: 'access-key', accessKeyId: keyOf('q') } });
  });

  it("leaves the key by its slot with the user-level action, and says why in one gap, when its user's key ids cannot be read", async () => {
    const own = await keyUse(['leaked']);
    iam.on(ListAccessKeysCommand).rejects(awsError('AccessDenied', 'not authorized to perform: iam:ListAccessKeys'));
    const gaps = await correlateAndResolveKeys(testContext(), [...own, trail('leaked', 'critical', 'IAM user leaked stopped logging')]);
    // Which slot CloudTrail's key is cannot be told, so the report line is not raised; the CloudTrail
    // finding itself carries the severity and the key actions.
    expect(own[0]).toMatchObject({ severity: 'low', actions: ['user.deactivate-keys'], target: { kind: 'user', userName: 'leaked' } });
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ check: 'credential-report', reason: expect.stringMatching(/^IAM user leaked: .*ListAccessKeys/) });
  });
});
