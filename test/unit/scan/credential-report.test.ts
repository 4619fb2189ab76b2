import { GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { credentialReportCheck, ROOT_KEY_GUIDANCE } from '../../../src/scan/checks/credential-report';
import { CREDENTIAL_REPORT_COLUMNS, credentialReport, parseCredentialReport } from '../../../src/scan/credential-report';
import { failureReason, StepTimeoutError } from '../../../src/scan/errors';
import { reportCsv, reportTime, serveReport, type ReportRow } from './credential-report-fixture';
import { ACCOUNT, awsError, daysAgo, testContext } from './helpers';

const iam = mockClient(IAMClient);

const ROOT: ReportRow = {
  user: '<root_account>',
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  user_creation_time: reportTime(daysAgo(900)),
  password_enabled: 'not_supported',
  password_last_used: reportTime(daysAgo(2)),
  password_last_changed: 'not_supported',
  password_next_rotation: 'not_supported',
  mfa_active: 'false',
  access_key_1_active: 'true',
  access_key_1_last_rotated: reportTime(daysAgo(800)),
  access_key_1_last_used_date: 'N/A',
  access_key_2_active: 'false',
  cert_1_active: 'false',
  cert_2_active: 'false',
};
const LEAKED: ReportRow = {
  user: 'ci-deploy',
  arn: `arn:aws:iam::${ACCOUNT}:user/ci-deploy`,
  user_creation_time: reportTime(daysAgo(400)),
  password_enabled: 'false',
  password_last_used: 'N/A',
  mfa_active: 'false',
  access_key_1_active: 'true',
  access_key_1_last_rotated: reportTime(daysAgo(300)),
  access_key_1_last_used_date: reportTime(daysAgo(1)),
  access_key_1_last_used_region: 'us-east-1',
  access_key_1_last_used_service: 'iam',
  access_key_2_active: 'true',
  access_key_2_last_rotated: reportTime(daysAgo(200)),
  access_key_2_last_used_date: 'no_information',
};
const BACKDOOR: ReportRow = {
  user: 'svc-backup',
  arn: `arn:aws:iam::${ACCOUNT}:user/svc-backup`,
  user_creation_time: reportTime(daysAgo(1)),
  password_enabled: 'TRUE',
  password_last_used: 'no_information',
  password_last_changed: reportTime(daysAgo(1)),
  mfa_active: 'FALSE',
  access_key_1_active: 'true',
  access_key_1_last_rotated: reportTime(daysAgo(1)),
  access_key_1_last_used_date: 'N/A',
};

const report = (rows: ReportRow[]): void => serveReport(iam, rows);

beforeEach(() => iam.reset());

describe('parseCredentialReport', () => {
  it('parses the root row and every special value', () => {
    const rows = parseCredentialReport(reportCsv([ROOT, LEAKED]));
    const [root, user] = rows;
    expect(root?.isRoot).toBe(true);
    expect(root?.passwordEnabled).toBe('not_supported');
    expect(root?.passwordLastChanged).toEqual({ kind: 'not_supported' });
    expect(root?.keys[0].active).toBe(true);
    expect(root?.keys[0].lastUsed).toEqual({ kind: 'N/A' });
    expect(user?.isRoot).toBe(false);
    expect(user?.passwordEnabled).toBe(false);
    expect(user?.keys[1].lastUsed).toEqual({ kind: 'no_information' });
    expect(user?.keys[0].lastUsed).toEqual({ kind: 'date', value: daysAgo(1) });
    expect(user?.keys[0].lastUsedRegion).toBe('us-east-1');
    expect(user?.keys[1].lastUsedRegion).toBeUndefined();
  });

  it('reads columns by name, so an unknown extra column does not shift the others', () => {
    const text = `extra,${CREDENTIAL_REPORT_COLUMNS.join(',')}\nX,${CREDENTIAL_REPORT_COLUMNS.map((c) => (c === 'user' ? 'bob' : c === 'mfa_active' ? 'true' : 'N/A')).join(',')}\n`;
    const [row] = parseCredentialReport(text);
    expect(row?.user).toBe('bob');
    expect(row?.mfaActive).toBe(true);
  });
});

describe('credential report generation', () => {
  it('polls GenerateCredentialReport until COMPLETE', async () => {
    iam.on(GenerateCredentialReportCommand).resolvesOnce({ State: 'STARTED' }).resolvesOnce({ State: 'INPROGRESS' }).resolves({ State: 'COMPLETE' });
    iam.on(GetCredentialReportCommand).resolves({ Content: Buffer.from(reportCsv([LEAKED])) });
    const r = await credentialReport(testContext());
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(3);
    expect(r.rows.map((x) => x.user)).toEqual(['ci-deploy']);
  });

  it('gives up after a bounded number of polls', async () => {
    iam.on(GenerateCredentialReportCommand).resolves({ State: 'INPROGRESS' });
    const err = await credentialReport(testContext()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepTimeoutError);
    expect(iam.commandCalls(GenerateCredentialReportCommand)).toHaveLength(10);
    expect(iam.commandCalls(GetCredentialReportCommand)).toHaveLength(0);
    expect(failureReason(err)).toMatch(/credential report did not finish/);
  });

  it('names the IAM action when access is denied', async () => {
    iam.on(GenerateCredentialReportCommand).rejects(awsError('AccessDenied'));
    const err = await credentialReport(testContext()).catch((e: unknown) => e);
    expect(failureReason(err)).toBe("aws-ir's scan role is not allowed to call iam:GenerateCredentialReport.");
  });
});

describe('credential-report check', () => {
  it('reports root keys as guidance without actions', async () => {
    report([ROOT]);
    const { findings } = await credentialReportCheck(testContext());
    const keys = findings.find((f) => f.title.startsWith('The root user has 1 active access key'));
    expect(keys).toMatchObject({ severity: 'high', step: 'R1', actions: [], guidance: ROOT_KEY_GUIDANCE });
    expect(keys?.target).toBeUndefined();
    expect(findings.find((f) => f.title === 'The root user was used in the incident window')?.severity).toBe('critical');
    expect(findings.some((f) => f.title === 'The root user has no MFA device')).toBe(true);
  });

  it('names a key used in the window by its slot with user-level actions (no ListAccessKeys), and an idle second key by its id', async () => {
    report([LEAKED]);
    iam.on(ListAccessKeysCommand, { UserName: 'ci-deploy' }).resolves({
      AccessKeyMetadata: [
        { AccessKeyId: 'AKIAOLDKEY000000001', CreateDate: daysAgo(300), Status: 'Active', UserName: 'ci-deploy' },
        { AccessKeyId: 'AKIANEWKEY000000002', CreateDate: daysAgo(200), Status: 'Active', UserName: 'ci-deploy' },
      ],
    });
    const { findings, gaps } = await credentialReportCheck(testContext());
    // This report has no root row: that is said, not skipped silently.
    expect(gaps.map((g) => g.reason)).toEqual([
      expect.stringMatching(/no row for the root user \(<root_account>\), so root access keys, root MFA and root use/),
    ]);
    const used = findings.find((f) => f.title.includes('was used in the incident window'));
    expect(used).toMatchObject({
      // Routine use on its own; the engine raises it (and looks up its id) when other checks implicate the key.
      severity: 'low',
      step: 'R1',
      title: `Access key 1 of ci-deploy was used in the incident window (last: iam in us-east-1 on ${daysAgo(1).toISOString().slice(0, 10)})`,
      resources: [LEAKED.arn],
      actions: ['user.deactivate-keys'],
      target: { kind: 'user', userName: 'ci-deploy', arn: LEAKED.arn },
    });
    expect(used?.evidence).toMatchObject({ slot: 1, lastUsedRegion: 'us-east-1', lastUsedService: 'iam' });
    expect(used?.evidence.accessKeyId).toBeUndefined();
    const idle = findings.find((f) => f.title.includes('unused for 90+ days'));
    expect(idle?.target).toEqual({ kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIANEWKEY000000002' });
    // One ListAccessKeys for the user, spent on the idle key, not one per key.
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(1);
  });

  it('spends no ListAccessKeys on keys merely used in the window', async () => {
    report([{ ...LEAKED, access_key_2_active: 'false' }]);
    const { findings } = await credentialReportCheck(testContext());
    expect(findings.map((f) => f.title)).toEqual([expect.stringMatching(/^Access key 1 of ci-deploy was used in the incident window/)]);
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(0);
  });

  it('flags a user created in the window with the backdoor-user actions, and console without MFA', async () => {
    report([BACKDOOR]);
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIABACKDOOR0000001', CreateDate: daysAgo(1) }] });
    const { findings } = await credentialReportCheck(testContext());
    const created = findings.find((f) => f.title === 'IAM user svc-backup was created in the incident window');
    expect(created).toMatchObject({
      severity: 'high',
      actions: ['user.deactivate-keys', 'user.quarantine', 'user.disable-password', 'user.delete'],
      target: { kind: 'user', userName: 'svc-backup' },
    });
    expect(findings.some((f) => f.title.includes('AKIABACKDOOR0000001') && f.title.includes('created in the incident window'))).toBe(true);
    expect(findings.some((f) => f.title === 'Console user svc-backup has no MFA device')).toBe(true);
    // A password set at creation is not also reported as "changed".
    expect(findings.some((f) => f.title.includes('password of svc-backup was changed'))).toBe(false);
  });

  it('lists a console sign-in in the window as low evidence (the engine raises it when other checks implicate the user)', async () => {
    report([
      {
        user: 'alice',
        arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
        user_creation_time: reportTime(daysAgo(900)),
        password_enabled: 'true',
        password_last_used: reportTime(daysAgo(1)),
        password_last_changed: reportTime(daysAgo(80)),
        mfa_active: 'true',
        access_key_1_active: 'false',
      },
    ]);
    const { findings } = await credentialReportCheck(testContext());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      severity: 'low',
      step: 'D1',
      title: 'IAM user alice signed in to the console in the incident window',
      evidence: { credential: 'password', passwordLastUsed: daysAgo(1).toISOString(), mfaActive: true },
      actions: ['user.disable-password'],
    });
  });

  it('bounds the key-id lookups spent on idle keys', async () => {
    const idle = (i: number): ReportRow => ({
      user: `idle${i}`,
      arn: `arn:aws:iam::${ACCOUNT}:user/idle${i}`,
      user_creation_time: reportTime(daysAgo(900)),
      password_enabled: 'false',
      mfa_active: 'false',
      access_key_1_active: 'true',
      access_key_1_last_rotated: reportTime(daysAgo(800)),
      access_key_1_last_used_date: reportTime(daysAgo(400)),
    });
    report(Array.from({ length: 30 }, (_, i) => idle(i)));
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const { findings } = await credentialReportCheck(testContext());
    expect(findings).toHaveLength(30);
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(25);
  });

  it('uses no per-user call for users with nothing to flag', async () => {
    report([
      {
        user: 'quiet',
        arn: `arn:aws:iam::${ACCOUNT}:user/quiet`,
        user_creation_time: reportTime(daysAgo(500)),
        password_enabled: 'false',
        mfa_active: 'true',
        access_key_1_active: 'false',
      },
    ]);
    const { findings } = await credentialReportCheck(testContext());
    expect(findings).toEqual([]);
    expect(iam.commandCalls(ListAccessKeysCommand)).toHaveLength(0);
  });

  it('gives the same ids on every run', async () => {
    report([LEAKED, BACKDOOR]);
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    const a = await credentialReportCheck(testContext());
    const b = await credentialReportCheck(testContext());
    expect(a.findings.map((f) => f.id)).toEqual(b.findings.map((f) => f.id));
    expect(new Set(a.findings.map((f) => f.id)).size).toBe(a.findings.length);
  });
});
