import { GenerateServiceLastAccessedDetailsCommand, GetRoleCommand, GetServiceLastAccessedDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { lastAccessedCheck, lastAccessedFor } from '../../../src/scan/checks/last-accessed';
import { ACCOUNT, daysAgo, testClients, testContext } from './helpers';

const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());
const ARN = `arn:aws:iam::${ACCOUNT}:user/svc-backup`;

describe('last accessed', () => {
  it('generates a job, polls until it completes and summarises the services used', async () => {
    iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-1' });
    iam
      .on(GetServiceLastAccessedDetailsCommand)
      .resolvesOnce({ JobStatus: 'IN_PROGRESS', JobCreationDate: daysAgo(0), ServicesLastAccessed: [] })
      .resolves({
        JobStatus: 'COMPLETED',
        JobCreationDate: daysAgo(0),
        JobCompletionDate: daysAgo(0),
        ServicesLastAccessed: [
          { ServiceName: 'AWS IAM', ServiceNamespace: 'iam', LastAuthenticated: daysAgo(1), LastAuthenticatedRegion: 'us-east-1' },
          { ServiceName: 'Amazon EC2', ServiceNamespace: 'ec2', LastAuthenticated: daysAgo(30) },
          { ServiceName: 'Amazon S3', ServiceNamespace: 's3' },
        ],
      });
    const s = await lastAccessedFor(testClients(), ARN, { pollIntervalMs: 0 });
    expect(iam.commandCalls(GetServiceLastAccessedDetailsCommand)).toHaveLength(2);
    expect(s.used.map((u) => u.namespace)).toEqual(['iam', 'ec2']);
    expect(s.neverUsed).toBe(1);
  });

  it('as a check: one finding per flagged identity, a gap when the job never finishes', async () => {
    iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-1' });
    iam.on(GetServiceLastAccessedDetailsCommand).resolves({ JobStatus: 'IN_PROGRESS', JobCreationDate: daysAgo(0), ServicesLastAccessed: [] });
    const { findings, gaps } = await lastAccessedCheck([ARN, ARN])(testContext());
    expect(findings).toEqual([]);
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.reason).toMatch(/^IAM user svc-backup: Service-last-accessed job .* did not finish/);
  });

  it('as a check: info (context for the finding that flagged the identity) listing the services used in the window', async () => {
    iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-1' });
    iam.on(GetServiceLastAccessedDetailsCommand).resolves({
      JobStatus: 'COMPLETED',
      JobCreationDate: daysAgo(0),
      ServicesLastAccessed: [{ ServiceName: 'AWS IAM', ServiceNamespace: 'iam', LastAuthenticated: daysAgo(1) }],
    });
    const { findings } = await lastAccessedCheck([ARN])(testContext());
    expect(findings[0]).toMatchObject({ severity: 'info', step: 'D2', title: 'IAM user svc-backup used 1 service in the incident window: iam' });
    expect(findings[0]?.evidence.usedInWindow).toEqual([expect.objectContaining({ namespace: 'iam' })]);
  });

  it('reads a role’s ARN with its path from IAM instead of rebuilding it, and skips service-linked roles', async () => {
    const withPath = `arn:aws:iam::${ACCOUNT}:role/teams/data/etl-runner`;
    iam
      .on(GetRoleCommand, { RoleName: 'etl-runner' })
      .resolves({ Role: { RoleName: 'etl-runner', Arn: withPath, Path: '/teams/data/', RoleId: 'R', CreateDate: daysAgo(9) } });
    iam.on(GetRoleCommand, { RoleName: 'AWSServiceRoleForSupport' }).resolves({
      Role: {
        RoleName: 'AWSServiceRoleForSupport',
        Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport`,
        Path: '/aws-service-role/support.amazonaws.com/',
        RoleId: 'S',
        CreateDate: daysAgo(9),
      },
    });
    iam.on(GenerateServiceLastAccessedDetailsCommand).resolves({ JobId: 'job-1' });
    iam.on(GetServiceLastAccessedDetailsCommand).resolves({ JobStatus: 'COMPLETED', JobCreationDate: daysAgo(0), ServicesLastAccessed: [] });
    const { findings, gaps } = await lastAccessedCheck(['role:etl-runner', 'role:AWSServiceRoleForSupport'])(testContext());
    expect(gaps).toEqual([]);
    expect(iam.commandCalls(GenerateServiceLastAccessedDetailsCommand).map((c) => c.args[0].input.Arn)).toEqual([withPath]);
    expect(findings.map((f) => f.resources)).toEqual([[withPath]]);
  });
});
