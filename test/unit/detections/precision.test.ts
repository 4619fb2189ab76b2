/**
 * Precision (issue 9 item 4): AWS acting for itself is AWS's, Auto Scaling's launches are judged with
 * their group, the usual principal doing its usual deployment from its usual address is low, a person at
 * their desk is not an intruder, and a one-day window still knows the habits of the days before it.
 */
import { classify } from '../../../src/scan/checks/cloudtrail';
import type { Finding } from '../../../src/scan/model';
import { SEVERITY_RANK } from '../../../src/scan/signals';
import { ACCOUNT, daysAgo, testContext } from '../scan/helpers';
import { events, INTRUDER_IP, OFFICE_IP, type RecordSpec } from './records';

const ci = {
  type: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deployer/build-1`,
  accountId: ACCOUNT,
  accessKeyId: 'ASIACI',
  sessionContext: { sessionIssuer: { type: 'Role', userName: 'ci-deployer', arn: `arn:aws:iam::${ACCOUNT}:role/ci-deployer` } },
};
const alice = (mfa: boolean) => ({
  type: 'IAMUser',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  userName: 'alice',
  accessKeyId: 'ASIAALICECONSOLE',
  sessionContext: { attributes: { mfaAuthenticated: String(mfa), creationDate: daysAgo(2).toISOString() } },
});
const deploy = (day: number, ip: string): RecordSpec => ({
  source: 'lambda',
  name: 'UpdateFunctionCode20150331v2',
  identity: ci,
  ip,
  at: daysAgo(day),
  req: { functionName: 'thumbnailer' },
});
const aliceAtWork = (day: number): RecordSpec => ({ source: 'ec2', name: 'DescribeInstances', identity: alice(true), ip: OFFICE_IP, at: daysAgo(day) });
const alarms = (found: Finding[]): string[] => found.filter((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK.medium).map((f) => `${f.severity} ${f.title}`);

describe('precision', () => {
  it("attributes Auto Scaling's launches under its service-linked role to AWS: an info note, no detection", () => {
    const found = classify(
      testContext(),
      events({
        source: 'ec2',
        name: 'RunInstances',
        ip: 'autoscaling.amazonaws.com',
        ua: 'autoscaling.amazonaws.com',
        identity: {
          type: 'AssumedRole',
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`,
          invokedBy: 'autoscaling.amazonaws.com',
          sessionContext: {
            sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling` },
          },
        },
        req: { instanceType: 'c5.large' },
        res: { instancesSet: { items: [{ instanceId: 'i-0asg0001' }] } },
      }),
    );
    expect(alarms(found)).toEqual([]);
    expect(found.map((f) => `${f.severity} ${f.title}`)).toEqual([
      'info AWS itself made 1 high-signal call in us-east-1: RunInstances (service-linked role AWSServiceRoleForAutoScaling (autoscaling.amazonaws.com))',
    ]);
  });

  it("keeps a CI's daily deploy from its usual address low, and the same deploy from a new address medium", () => {
    const week = [6, 5, 4, 3, 2, 1].map((d) => deploy(d, '198.51.100.20'));
    expect(classify(testContext(), events(...week)).find((f) => f.detection === 'lambda-code-updated')?.severity).toBe('low');
    const elsewhere = classify(testContext(), events(...week, deploy(0.5, INTRUDER_IP)));
    expect(elsewhere.find((f) => f.detection === 'lambda-code-updated')).toMatchObject({
      severity: 'medium',
      resources: [`arn:aws:lambda:us-east-1:${ACCOUNT}:function:thumbnailer`],
    });
  });

  it('sees the habit in a one-day window from the days read before it (the baseline)', () => {
    const week = [6, 5, 4, 3, 2, 0.5].map((d) => deploy(d, '198.51.100.20'));
    const found = classify(testContext({ days: 1 }), events(...week));
    // Only the deploy inside the window is a finding, and it is routine.
    expect(found.filter((f) => f.detection === 'lambda-code-updated').map((f) => [f.severity, f.evidence.count])).toEqual([['low', 1]]);
  });

  it('an admin at their desk (MFA, usual address) creating a user is low; the same call from a leaked key is high', () => {
    const create: RecordSpec = {
      source: 'iam',
      name: 'CreateUser',
      req: { userName: 'dave.new' },
      res: { user: { userName: 'dave.new', arn: `arn:aws:iam::${ACCOUNT}:user/dave.new` } },
    };
    const atDesk = classify(testContext(), events(aliceAtWork(5), aliceAtWork(3), { ...create, identity: alice(true), ip: OFFICE_IP }));
    expect(atDesk.find((f) => f.detection === 'iam-user-created')?.severity).toBe('low');
    const noMfa = classify(testContext(), events(aliceAtWork(5), aliceAtWork(3), { ...create, identity: alice(false), ip: OFFICE_IP }));
    expect(noMfa.find((f) => f.detection === 'iam-user-created')?.severity).toBe('high');
  });

  it("never counts the scan's own reads", () => {
    const scanner = { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/scanner`, accountId: ACCOUNT, userName: 'scanner', accessKeyId: 'AKIASCANNER' };
    const found = classify(
      testContext(),
      events(...Array.from({ length: 6 }, (): RecordSpec => ({ source: 'iam', name: 'GetCredentialReport', identity: scanner, error: 'AccessDenied' }))),
    );
    expect(found).toEqual([]);
  });

  it('names the outside account a snapshot was shared with in the title, and offers no action on another account', () => {
    const found = classify(
      testContext(),
      events({
        source: 'ec2',
        name: 'ModifySnapshotAttribute',
        req: { snapshotId: 'snap-0abc', createVolumePermission: { add: { items: [{ userId: '444455556666' }] } } },
      }),
    );
    const f = found.find((x) => x.detection === 'ebs-snapshot-shared');
    expect(f?.title).toBe('EBS snapshot shared outside the account: snap-0abc → 444455556666 (by IAM user ci-deploy (key AKIALEAKED000000001))');
    expect(f?.resources).toEqual([`arn:aws:ec2:us-east-1:${ACCOUNT}:snapshot/snap-0abc`, '444455556666']);
    expect(f?.actions).toEqual([]);
    expect(f?.guidance).toMatch(/Remove the permission/);
  });
});
