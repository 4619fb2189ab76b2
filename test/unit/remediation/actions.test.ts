import * as IAM from '@aws-sdk/client-iam';
import * as EC2 from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { runAction } from '../../../src/remediation/executor';
import { revokeSessionsDocument, REVOKE_POLICY_NAME } from '../../../src/remediation/actions/role';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionOutcomeRecord, ActionRequest } from '../../../src/store/model';
import { pendingRequest, testClients } from './helpers';

const iam = mockClient(IAM.IAMClient);
const ec2 = mockClient(EC2.EC2Client);
const noSuchEntity = () => Object.assign(new Error('not found'), { name: 'NoSuchEntity' });

let store: SqliteStore;
const now = () => new Date('2026-01-01T01:00:00.000Z');
const deps = () => ({ clients: testClients(), store, now });

beforeEach(() => {
  iam.reset();
  ec2.reset();
  store = new SqliteStore(':memory:');
});
afterEach(() => store.close());

/** Names of the IAM/EC2 commands sent, in order, skipping reads. */
function writes(): string[] {
  const names = [...iam.calls(), ...ec2.calls()].map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));
  return names.filter((n) => !/^(Get|List|Describe)/.test(n));
}

/** The outcome of an earlier execution that finished at `finishedAt`. */
function finishedOutcome(finishedAt: string): ActionOutcomeRecord {
  return { ok: true, dryRun: false, verified: true, calls: [], requestIds: [], startedAt: finishedAt, finishedAt };
}

function executing(overrides: Partial<ActionRequest>): ActionRequest {
  return pendingRequest({ id: 'req-a', status: 'executing', decidedBy: 'U2', decidedAt: '2026-01-01T00:59:00.000Z', ...overrides });
}

/** An IAM user with one of every dependent; each delete really removes it, so lists reflect progress. */
function mockUserWithEverything() {
  const state = {
    user: true,
    login: true,
    keys: ['AKIA1', 'AKIA2'],
    certs: ['CERT1'],
    ssh: ['SSH1'],
    creds: ['SSC1'],
    mfa: ['arn:aws:iam::111122223333:mfa/svc-backup', 'GAHT12345678'],
    mfaActive: new Set(['arn:aws:iam::111122223333:mfa/svc-backup', 'GAHT12345678']),
    inline: ['backdoor'],
    attached: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    groups: ['admins'],
  };
  const gone = <T>(list: T[], item: T) => {
    const i = list.indexOf(item);
    if (i < 0) throw noSuchEntity();
    list.splice(i, 1);
    return {};
  };
  iam.on(IAM.GetUserCommand).callsFake(async () => {
    if (!state.user) throw noSuchEntity();
    return {
      User: {
        UserName: 'svc-backup',
        Arn: 'arn:aws:iam::111122223333:user/svc-backup',
        UserId: 'AIDA',
        Path: '/',
        CreateDate: new Date('2026-01-01T00:00:00Z'),
      },
    };
  });
  iam.on(IAM.GetLoginProfileCommand).callsFake(async () => {
    if (!state.login) throw noSuchEntity();
    return { LoginProfile: { UserName: 'svc-backup', CreateDate: new Date('2026-01-01T00:00:00Z') } };
  });
  iam.on(IAM.DeleteLoginProfileCommand).callsFake(async () => {
    if (!state.login) throw noSuchEntity();
    state.login = false;
    return {};
  });
  iam.on(IAM.ListUserPoliciesCommand).callsFake(async () => ({ PolicyNames: [...state.inline] }));
  iam.on(IAM.GetUserPolicyCommand).resolves({ PolicyDocument: encodeURIComponent('{"Statement":[]}') });
  iam.on(IAM.ListAccessKeysCommand).callsFake(async () => ({ AccessKeyMetadata: state.keys.map((k) => ({ AccessKeyId: k, Status: 'Active' as const })) }));
  iam.on(IAM.DeleteAccessKeyCommand).callsFake(async (i: { AccessKeyId: string }) => gone(state.keys, i.AccessKeyId));
  iam.on(IAM.ListSigningCertificatesCommand).callsFake(async () => ({
    Certificates: state.certs.map((c) => ({ CertificateId: c, UserName: 'svc-backup', CertificateBody: 'x', Status: 'Active' as const })),
  }));
  iam.on(IAM.DeleteSigningCertificateCommand).callsFake(async (i: { CertificateId: string }) => gone(state.certs, i.CertificateId));
  iam.on(IAM.ListSSHPublicKeysCommand).callsFake(async () => ({
    SSHPublicKeys: state.ssh.map((k) => ({ SSHPublicKeyId: k, UserName: 'svc-backup', Status: 'Active' as const, UploadDate: new Date() })),
  }));
  iam.on(IAM.DeleteSSHPublicKeyCommand).callsFake(async (i: { SSHPublicKeyId: string }) => gone(state.ssh, i.SSHPublicKeyId));
  iam.on(IAM.ListServiceSpecificCredentialsCommand).callsFake(async () => ({
    ServiceSpecificCredentials: state.creds.map((c) => ({
      ServiceSpecificCredentialId: c,
      UserName: 'svc-backup',
      ServiceName: 'codecommit.amazonaws.com',
      ServiceUserName: 'x',
      Status: 'Active' as const,
      CreateDate: new Date(),
    })),
  }));
  iam
    .on(IAM.DeleteServiceSpecificCredentialCommand)
    .callsFake(async (i: { ServiceSpecificCredentialId: string }) => gone(state.creds, i.ServiceSpecificCredentialId));
  iam
    .on(IAM.ListMFADevicesCommand)
    .callsFake(async () => ({ MFADevices: [...state.mfaActive].map((s) => ({ SerialNumber: s, UserName: 'svc-backup', EnableDate: new Date() })) }));
  iam.on(IAM.DeactivateMFADeviceCommand).callsFake(async (i: { SerialNumber: string }) => {
    if (!state.mfaActive.delete(i.SerialNumber)) throw noSuchEntity();
    return {};
  });
  iam.on(IAM.DeleteVirtualMFADeviceCommand).callsFake(async (i: { SerialNumber: string }) => gone(state.mfa, i.SerialNumber));
  iam.on(IAM.DeleteUserPolicyCommand).callsFake(async (i: { PolicyName: string }) => gone(state.inline, i.PolicyName));
  iam
    .on(IAM.ListAttachedUserPoliciesCommand)
    .callsFake(async () => ({ AttachedPolicies: state.attached.map((a) => ({ PolicyArn: a, PolicyName: a.split('/').pop() })) }));
  iam.on(IAM.DetachUserPolicyCommand).callsFake(async (i: { PolicyArn: string }) => gone(state.attached, i.PolicyArn));
  iam
    .on(IAM.ListGroupsForUserCommand)
    .callsFake(async () => ({ Groups: state.groups.map((g) => ({ GroupName: g, Path: '/', GroupId: 'G', Arn: 'a', CreateDate: new Date() })) }));
  iam.on(IAM.RemoveUserFromGroupCommand).callsFake(async (i: { GroupName: string }) => gone(state.groups, i.GroupName));
  iam.on(IAM.DeleteUserCommand).callsFake(async () => {
    const left =
      state.login ||
      state.keys.length ||
      state.certs.length ||
      state.ssh.length ||
      state.creds.length ||
      state.mfaActive.size ||
      state.inline.length ||
      state.attached.length ||
      state.groups.length;
    if (left) throw Object.assign(new Error('Cannot delete entity, must remove dependents first.'), { name: 'DeleteConflict' });
    state.user = false;
    return {};
  });
  return state;
}

const USER_DELETE_ORDER = [
  'DeleteLoginProfile',
  'DeleteAccessKey',
  'DeleteAccessKey',
  'DeleteSigningCertificate',
  'DeleteSSHPublicKey',
  'DeleteServiceSpecificCredential',
  'DeactivateMFADevice',
  'DeleteVirtualMFADevice',
  'DeactivateMFADevice',
  'DeleteUserPolicy',
  'DetachUserPolicy',
  'RemoveUserFromGroup',
  'DeleteUser',
];

describe('user.delete', () => {
  const target = { kind: 'user' as const, userName: 'svc-backup' };

  it("removes every dependent in AWS's documented order, after saving the configuration to the audit", async () => {
    const state = mockUserWithEverything();
    const outcome = await runAction(executing({ action: 'user.delete', target }), deps());
    expect(outcome).toMatchObject({ ok: true, verified: true, after: { exists: false } });
    expect(writes()).toEqual(USER_DELETE_ORDER);
    expect(state.mfa).toEqual(['GAHT12345678']); // hardware MFA is deactivated, not deleted
    const evidence = (await store.listAudit({ requestId: 'req-a' })).filter((e) => e.kind === 'action.snapshot');
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.data).toMatchObject({
      what: 'configuration of IAM user svc-backup',
      inlinePolicies: { backdoor: '{"Statement":[]}' },
      groups: ['admins'],
      attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
    });
    // The evidence was written before the first write call.
    expect(outcome.calls[0]!.operation).toBe('IAM:DeleteLoginProfile');
  });

  it('resumes after a failure halfway, redoing nothing that is already gone', async () => {
    const state = mockUserWithEverything();
    iam.on(IAM.DeleteUserPolicyCommand).rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));
    const first = await runAction(executing({ action: 'user.delete', target }), deps());
    expect(first.ok).toBe(false);
    expect(first.error).toMatch(/partly done/);
    expect(state.user).toBe(true);
    expect(state.keys).toEqual([]);

    iam.resetHistory();
    iam.on(IAM.DeleteUserPolicyCommand).callsFake(async (i: { PolicyName: string }) => {
      state.inline.splice(state.inline.indexOf(i.PolicyName), 1);
      return {};
    });
    const second = await runAction(executing({ id: 'req-b', action: 'user.delete', target }), deps());
    expect(second).toMatchObject({ ok: true, verified: true });
    expect(writes()).toEqual(['DeleteUserPolicy', 'DetachUserPolicy', 'RemoveUserFromGroup', 'DeleteUser']);
  });

  it('treats an item that vanished between list and delete as done', async () => {
    const state = mockUserWithEverything();
    // Someone else removes the certificate between our list and our delete.
    iam.on(IAM.DeleteSigningCertificateCommand).callsFake(async () => {
      state.certs.length = 0;
      throw noSuchEntity();
    });
    const outcome = await runAction(executing({ action: 'user.delete', target }), deps());
    expect(outcome).toMatchObject({ ok: true, verified: true });
    expect(outcome.details?.removed).toContain('signing certificate CERT1 (already gone)');
  });
});

describe('access keys', () => {
  const target = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIAOLD' };

  it('key.delete refuses an active key and a key used after aws-ir deactivated it', async () => {
    iam.on(IAM.ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLD', Status: 'Active' }] });
    let outcome = await runAction(executing({ action: 'key.delete', target }), deps());
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining('still Active') });

    iam.on(IAM.ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: 'AKIAOLD', Status: 'Inactive' }] });
    iam
      .on(IAM.GetAccessKeyLastUsedCommand)
      .resolves({ AccessKeyLastUsed: { LastUsedDate: new Date('2026-01-01T00:20:00Z'), ServiceName: 's3', Region: 'us-east-1' } });
    await store.createRequest(
      pendingRequest({
        id: 'deact',
        action: 'key.deactivate',
        target,
        status: 'succeeded',
        decidedAt: '2026-01-01T00:10:00.000Z',
        outcome: finishedOutcome('2026-01-01T00:10:01.000Z'),
      }),
    );
    outcome = await runAction(executing({ action: 'key.delete', target }), deps());
    expect(outcome).toMatchObject({ ok: false, error: expect.stringContaining('after it was deactivated') });
    expect(writes()).toEqual([]);
  });

  it('key.delete deletes an inactive key with no use since deactivation', async () => {
    let exists = true;
    iam.on(IAM.ListAccessKeysCommand).callsFake(async () => ({ AccessKeyMetadata: exists ? [{ AccessKeyId: 'AKIAOLD', Status: 'Inactive' as const }] : [] }));
    iam
      .on(IAM.GetAccessKeyLastUsedCommand)
      .resolves({ AccessKeyLastUsed: { LastUsedDate: new Date('2026-01-01T00:05:00Z'), ServiceName: 's3', Region: 'us-east-1' } });
    iam.on(IAM.DeleteAccessKeyCommand).callsFake(async () => {
      exists = false;
      return {};
    });
    await store.createRequest(
      pendingRequest({
        id: 'deact',
        action: 'key.deactivate',
        target,
        status: 'succeeded',
        decidedAt: '2026-01-01T00:10:00.000Z',
        outcome: finishedOutcome('2026-01-01T00:10:01.000Z'),
      }),
    );
    const outcome = await runAction(executing({ action: 'key.delete', target }), deps());
    expect(outcome).toMatchObject({ ok: true, verified: true, after: { status: 'deleted' } });
    expect(iam.commandCalls(IAM.DeleteAccessKeyCommand)[0]!.args[0].input).toEqual({ UserName: 'ci-deploy', AccessKeyId: 'AKIAOLD' });
  });
});

describe('users and roles', () => {
  it('user.quarantine puts the deny-all inline policy; unquarantine removes it', async () => {
    let present = false;
    iam.on(IAM.GetUserCommand).resolves({ User: { UserName: 'ci-deploy', Arn: 'a', UserId: 'u', Path: '/', CreateDate: new Date() } });
    iam.on(IAM.GetUserPolicyCommand).callsFake(async () => {
      if (!present) throw noSuchEntity();
      return { UserName: 'ci-deploy', PolicyName: 'AWSIRQuarantine', PolicyDocument: '{}' };
    });
    iam.on(IAM.PutUserPolicyCommand).callsFake(async () => {
      present = true;
      return {};
    });
    iam.on(IAM.DeleteUserPolicyCommand).callsFake(async () => {
      present = false;
      return {};
    });
    const target = { kind: 'user' as const, userName: 'ci-deploy' };
    expect(await runAction(executing({ action: 'user.quarantine', target }), deps())).toMatchObject({ ok: true, verified: true });
    const put = iam.commandCalls(IAM.PutUserPolicyCommand)[0]!.args[0].input;
    expect(put.PolicyName).toBe('AWSIRQuarantine');
    expect(JSON.parse(put.PolicyDocument!)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'AWSIRQuarantineDenyAll', Effect: 'Deny', Action: '*', Resource: '*' }],
    });
    expect(await runAction(executing({ id: 'req-u', action: 'user.unquarantine', target }), deps())).toMatchObject({ ok: true, verified: true });
    expect(writes()).toEqual(['PutUserPolicy', 'DeleteUserPolicy']);
  });

  it('role.revoke-sessions writes the console document with the approval time', async () => {
    let doc: string | undefined;
    iam.on(IAM.GetRoleCommand).resolves({ Role: { RoleName: 'ops-support', Path: '/', Arn: 'a', RoleId: 'r', CreateDate: new Date() } });
    iam.on(IAM.GetRolePolicyCommand).callsFake(async () => {
      if (!doc) throw noSuchEntity();
      return { RoleName: 'ops-support', PolicyName: REVOKE_POLICY_NAME, PolicyDocument: encodeURIComponent(doc) };
    });
    iam.on(IAM.PutRolePolicyCommand).callsFake(async (i: { PolicyDocument: string }) => {
      doc = i.PolicyDocument;
      return {};
    });
    const outcome = await runAction(executing({ action: 'role.revoke-sessions', target: { kind: 'role', roleName: 'ops-support' } }), deps());
    expect(outcome).toMatchObject({ ok: true, verified: true, after: { revokedBefore: '2026-01-01T00:59:00.000Z' } });
    expect(iam.commandCalls(IAM.PutRolePolicyCommand)[0]!.args[0].input).toEqual({
      RoleName: 'ops-support',
      PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: revokeSessionsDocument(new Date('2026-01-01T00:59:00.000Z')),
    });
    expect(JSON.parse(doc!).Statement[0]).toEqual({
      Effect: 'Deny',
      Action: ['*'],
      Resource: ['*'],
      Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-01-01T00:59:00.000Z' } },
    });
  });

  it('role.delete removes instance profiles, inline and attached policies, then the role', async () => {
    let exists = true;
    iam.on(IAM.GetRoleCommand).callsFake(async () => {
      if (!exists) throw noSuchEntity();
      return {
        Role: { RoleName: 'ops-support', Path: '/', Arn: 'a', RoleId: 'r', CreateDate: new Date(), AssumeRolePolicyDocument: encodeURIComponent('{"x":1}') },
      };
    });
    iam
      .on(IAM.ListInstanceProfilesForRoleCommand)
      .resolves({ InstanceProfiles: [{ InstanceProfileName: 'ip1', Path: '/', InstanceProfileId: 'i', Arn: 'a', CreateDate: new Date(), Roles: [] }] });
    iam.on(IAM.ListRolePoliciesCommand).resolves({ PolicyNames: ['inline1'] });
    iam.on(IAM.GetRolePolicyCommand).resolves({ PolicyDocument: '{}' });
    iam.on(IAM.ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [{ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });
    iam.on(IAM.DeleteRoleCommand).callsFake(async () => {
      exists = false;
      return {};
    });
    const outcome = await runAction(executing({ action: 'role.delete', target: { kind: 'role', roleName: 'ops-support' } }), deps());
    expect(outcome).toMatchObject({ ok: true, verified: true });
    expect(writes()).toEqual(['RemoveRoleFromInstanceProfile', 'DeleteRolePolicy', 'DetachRolePolicy', 'DeleteRole']);
    expect((await store.listAudit({ requestId: 'req-a' })).find((e) => e.kind === 'action.snapshot')?.data).toMatchObject({
      role: { assumeRolePolicyDocument: '{"x":1}' },
    });
  });

  it('policy.delete detaches from every entity, deletes non-default versions, then the policy', async () => {
    let exists = true;
    const arn = 'arn:aws:iam::111122223333:policy/backdoor';
    iam.on(IAM.GetPolicyCommand).callsFake(async () => {
      if (!exists) throw noSuchEntity();
      return { Policy: { Arn: arn, PolicyName: 'backdoor', DefaultVersionId: 'v2' } };
    });
    iam
      .on(IAM.ListEntitiesForPolicyCommand)
      .resolves({ PolicyUsers: [{ UserName: 'u1' }], PolicyGroups: [{ GroupName: 'g1' }], PolicyRoles: [{ RoleName: 'r1' }] });
    iam.on(IAM.ListPolicyVersionsCommand).resolves({
      Versions: [
        { VersionId: 'v2', IsDefaultVersion: true },
        { VersionId: 'v1', IsDefaultVersion: false },
      ],
    });
    iam.on(IAM.GetPolicyVersionCommand).resolves({ PolicyVersion: { Document: encodeURIComponent('{"v":1}') } });
    iam.on(IAM.DeletePolicyCommand).callsFake(async () => {
      exists = false;
      return {};
    });
    const outcome = await runAction(executing({ action: 'policy.delete', target: { kind: 'policy', policyArn: arn } }), deps());
    expect(outcome).toMatchObject({ ok: true, verified: true });
    expect(writes()).toEqual(['DetachUserPolicy', 'DetachGroupPolicy', 'DetachRolePolicy', 'DeletePolicyVersion', 'DeletePolicy']);
    expect(iam.commandCalls(IAM.DeletePolicyVersionCommand)[0]!.args[0].input).toEqual({ PolicyArn: arn, VersionId: 'v1' });
  });
});

describe('instances', () => {
  const target = { kind: 'instance' as const, region: 'ap-south-1', instanceId: 'i-0abc' };
  const instance = (groups: string[], state = 'running') => ({
    Reservations: [
      {
        Instances: [
          {
            InstanceId: 'i-0abc',
            VpcId: 'vpc-1',
            State: { Name: state as EC2.InstanceStateName },
            NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1', Attachment: { DeviceIndex: 0 }, Groups: groups.map((g) => ({ GroupId: g })) }],
            BlockDeviceMappings: [
              { DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-1' } },
              { DeviceName: '/dev/sdb', Ebs: { VolumeId: 'vol-2' } },
            ],
          },
        ],
      },
    ],
  });

  it('instance.isolate creates the isolation group, revokes its default egress, swaps groups; unisolate restores them', async () => {
    let groups = ['sg-web', 'sg-ssh'];
    ec2.on(EC2.DescribeInstancesCommand).callsFake(async () => instance(groups));
    ec2
      .on(EC2.DescribeSecurityGroupsCommand)
      .callsFake(async (i: EC2.DescribeSecurityGroupsCommandInput) =>
        i.GroupIds
          ? { SecurityGroups: [{ GroupId: 'sg-iso', IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], IpPermissions: [] }] }
          : { SecurityGroups: [] },
      );
    ec2.on(EC2.CreateSecurityGroupCommand).resolves({ GroupId: 'sg-iso' });
    ec2.on(EC2.ModifyInstanceAttributeCommand).callsFake(async (i: { Groups: string[] }) => {
      groups = i.Groups;
      return {};
    });
    const isolated = await runAction(executing({ action: 'instance.isolate', target }), deps());
    expect(isolated).toMatchObject({ ok: true, verified: true, details: { isolationGroupId: 'sg-iso' } });
    expect(writes()).toEqual(['CreateSecurityGroup', 'RevokeSecurityGroupEgress', 'ModifyInstanceAttribute']);
    expect(ec2.commandCalls(EC2.CreateSecurityGroupCommand)[0]!.args[0].input).toMatchObject({ GroupName: 'aws-ir-isolation', VpcId: 'vpc-1' });
    expect(ec2.commandCalls(EC2.ModifyInstanceAttributeCommand)[0]!.args[0].input).toEqual({ InstanceId: 'i-0abc', Groups: ['sg-iso'] });

    await store.createRequest(executing({ action: 'instance.isolate', target, status: 'succeeded', outcome: isolated }));
    ec2.resetHistory();
    const restored = await runAction(executing({ id: 'req-undo', action: 'instance.unisolate', target, undoOf: 'req-a' }), deps());
    expect(restored).toMatchObject({ ok: true, verified: true });
    expect(ec2.commandCalls(EC2.ModifyInstanceAttributeCommand)[0]!.args[0].input).toEqual({ InstanceId: 'i-0abc', Groups: ['sg-ssh', 'sg-web'] });
  });

  it('instance.isolate reuses an existing isolation group without creating another', async () => {
    let groups = ['sg-web'];
    ec2.on(EC2.DescribeInstancesCommand).callsFake(async () => instance(groups));
    ec2.on(EC2.DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: 'sg-iso', IpPermissionsEgress: [], IpPermissions: [] }] });
    ec2.on(EC2.ModifyInstanceAttributeCommand).callsFake(async (i: { Groups: string[] }) => {
      groups = i.Groups;
      return {};
    });
    expect(await runAction(executing({ action: 'instance.isolate', target }), deps())).toMatchObject({ ok: true });
    expect(writes()).toEqual(['ModifyInstanceAttribute']);
  });

  it('instance.snapshot snapshots every volume with incident tags and writes the evidence manifest', async () => {
    ec2.on(EC2.DescribeInstancesCommand).resolves(instance(['sg-web']));
    ec2.on(EC2.CreateSnapshotCommand).callsFake(async (i: { VolumeId: string }) => ({ SnapshotId: `snap-${i.VolumeId}`, State: 'pending' }));
    ec2.on(EC2.DescribeSnapshotsCommand).resolves({
      Snapshots: ['vol-1', 'vol-2'].map((v) => ({
        SnapshotId: `snap-${v}`,
        VolumeId: v,
        State: 'pending' as const,
        Tags: [{ Key: 'aws-ir:request-id', Value: 'req-a' }],
      })),
    });
    const outcome = await runAction(executing({ action: 'instance.snapshot', target }), deps());
    expect(outcome).toMatchObject({ ok: true, verified: true });
    expect(writes()).toEqual(['CreateSnapshot', 'CreateSnapshot']);
    const tags = ec2.commandCalls(EC2.CreateSnapshotCommand)[0]!.args[0].input.TagSpecifications![0]!.Tags;
    expect(tags).toEqual(
      expect.arrayContaining([
        { Key: 'aws-ir:request-id', Value: 'req-a' },
        { Key: 'aws-ir:incident-channel', Value: 'C1' },
      ]),
    );
    const manifest = (await store.listAudit({ requestId: 'req-a' })).find((e) => e.kind === 'action.snapshot');
    expect(manifest?.data).toMatchObject({ what: 'evidence manifest', snapshots: [{ snapshotId: 'snap-vol-1' }, { snapshotId: 'snap-vol-2' }] });
  });

  it('instance.terminate refuses until every volume has a completed aws-ir snapshot', async () => {
    let state = 'running';
    ec2.on(EC2.DescribeInstancesCommand).callsFake(async () => instance(['sg-web'], state));
    ec2.on(EC2.DescribeSnapshotsCommand).resolves({
      Snapshots: [
        { SnapshotId: 'snap-1', VolumeId: 'vol-1', State: 'completed', Tags: [{ Key: 'aws-ir:request-id', Value: 'r' }] },
        { SnapshotId: 'snap-2', VolumeId: 'vol-2', State: 'pending', Tags: [{ Key: 'aws-ir:request-id', Value: 'r' }] },
      ],
    });
    const refused = await runAction(executing({ action: 'instance.terminate', target }), deps());
    expect(refused).toMatchObject({ ok: false, error: expect.stringContaining('vol-2') });
    expect(writes()).toEqual([]);

    ec2.on(EC2.DescribeSnapshotsCommand).resolves({
      Snapshots: ['vol-1', 'vol-2'].map((v) => ({
        SnapshotId: `snap-${v}`,
        VolumeId: v,
        State: 'completed' as const,
        Tags: [{ Key: 'aws-ir:request-id', Value: 'r' }],
      })),
    });
    ec2.on(EC2.TerminateInstancesCommand).callsFake(async () => {
      state = 'shutting-down';
      return {};
    });
    const done = await runAction(executing({ id: 'req-t', action: 'instance.terminate', target }), deps());
    expect(done).toMatchObject({ ok: true, verified: true, after: { state: 'shutting-down' } });
    expect((await store.listAudit({ requestId: 'req-t' })).find((e) => e.kind === 'action.snapshot')?.data).toMatchObject({
      instanceId: 'i-0abc',
      vpcId: 'vpc-1',
    });
  });
});
