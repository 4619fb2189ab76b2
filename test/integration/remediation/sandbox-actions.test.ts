/**
 * Every action of the catalog, and its undo, against the built-in sandbox account (compromised-key
 * scenario) over real HTTP on 127.0.0.1: the SDK, the tracking middleware and the sandbox's AWS rules
 * (DeleteConflict order, NoSuchEntity, snapshot completion) all take part.
 */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand, GetRolePolicyCommand, GetUserCommand, GetUserPolicyCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import type { ActionId, ActionTarget } from '../../../src/remediation/action-ids';
import { runAction, type ActionOutcome } from '../../../src/remediation/executor';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest } from '../../../src/store/model';

let sandbox: RunningSandbox;
let clients: AwsClients;
let store: SqliteStore;
let n = 0;

/** The account's clock runs with the wall clock, moved ahead by the test instead of waiting (snapshots complete by it). */
let ahead = 0;

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'compromised-key', rateLimits: false, now: () => new Date(Date.now() + ahead) });
  clients = new AwsClients(
    { key: sandbox.accountId, region: 'us-east-1', endpoint: sandbox.endpoint, credentials: sandbox.adminCredentials, maxAttempts: 2 },
    new RateLimiterRegistry(),
  );
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  store = new SqliteStore(':memory:');
});
afterEach(() => store.close());

/** Runs `action` as an approved request and records it as the store would. */
async function run(action: ActionId, target: ActionTarget, extra: Partial<ActionRequest> = {}): Promise<{ request: ActionRequest; outcome: ActionOutcome }> {
  const now = new Date();
  const request: ActionRequest = {
    id: `req-${++n}`,
    action,
    target,
    account: sandbox.accountId,
    channel: 'C0INCIDENT',
    threadTs: '1.1',
    requestedBy: 'U1',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 60_000).toISOString(),
    status: 'executing',
    decidedBy: 'U2',
    decidedAt: now.toISOString(),
    dryRun: false,
    ...extra,
  };
  await store.createRequest(request);
  const outcome = await runAction(request, { clients, store, now: () => new Date() });
  await store.transitionRequest(request.id, 'executing', outcome.ok ? 'succeeded' : 'failed', { outcome });
  return { request: (await store.getRequest(request.id))!, outcome };
}

async function keyStatus(userName: string, keyId: string): Promise<string | undefined> {
  const out = await clients.iam().send(new ListAccessKeysCommand({ UserName: userName }));
  return out.AccessKeyMetadata?.find((k) => k.AccessKeyId === keyId)?.Status;
}

async function gone(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return false;
  } catch (err) {
    return (err as { name?: string }).name === 'NoSuchEntity' || (err as { name?: string }).name === 'NoSuchEntityException';
  }
}

const leakedKey = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIACIDEPLOYLEAKED01' };

describe('remediation actions against the sandbox', () => {
  it('deactivates the leaked key, audits every AWS call with its request id, and reactivates it as undo', async () => {
    const { request, outcome } = await run('key.deactivate', leakedKey);
    expect(outcome).toMatchObject({ ok: true, verified: true, before: { status: 'Active' }, after: { status: 'Inactive' } });
    expect(outcome.requestIds.length).toBe(1);
    expect(await keyStatus('ci-deploy', leakedKey.accessKeyId)).toBe('Inactive');
    const calls = (await store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'aws.call');
    expect(calls.map((c) => c.data.operation)).toEqual(['IAM:ListAccessKeys', 'IAM:UpdateAccessKey', 'IAM:ListAccessKeys']);
    expect(calls[1]!.data.requestId).toBe(outcome.requestIds[0]);
    // Write-ahead: the write's intent is recorded before it is sent, its outcome after.
    const trail = (await store.listAudit({ requestId: request.id })).map((e) => `${e.kind} ${String(e.data.operation ?? '')}`.trim());
    const intent = trail.indexOf('aws.intent IAM:UpdateAccessKey');
    expect(intent).toBeGreaterThan(-1);
    expect(trail.indexOf('aws.call IAM:UpdateAccessKey')).toBeGreaterThan(intent);
    expect(trail.indexOf('aws.outcome IAM:UpdateAccessKey')).toBeGreaterThan(trail.indexOf('aws.call IAM:UpdateAccessKey'));
    const done = (await store.listAudit({ requestId: request.id })).find((e) => e.kind === 'aws.outcome');
    expect(done?.data).toMatchObject({ result: 'ok', requestId: outcome.requestIds[0] });

    const undo = await run('key.reactivate', leakedKey, { undoOf: request.id });
    expect(undo.outcome).toMatchObject({ ok: true, verified: true });
    expect(await keyStatus('ci-deploy', leakedKey.accessKeyId)).toBe('Active');
  });

  it('deletes a key only after aws-ir deactivated it and it was not used since', async () => {
    const key = { kind: 'access-key' as const, userName: 'svc-backup', accessKeyId: 'AKIASVCBACKUP0000001' };
    expect((await run('key.delete', key)).outcome).toMatchObject({ ok: false, error: expect.stringContaining('still Active') });
    expect((await run('key.deactivate', key)).outcome.ok).toBe(true);
    const deleted = await run('key.delete', key);
    expect(deleted.outcome).toMatchObject({ ok: true, verified: true, after: { status: 'deleted' } });
    expect(await keyStatus('svc-backup', key.accessKeyId)).toBeUndefined();
  });

  it('quarantines a user and removes the quarantine as undo', async () => {
    const user = { kind: 'user' as const, userName: 'svc-backup' };
    const q = await run('user.quarantine', user);
    expect(q.outcome).toMatchObject({ ok: true, verified: true });
    const doc = (await clients.iam().send(new GetUserPolicyCommand({ UserName: 'svc-backup', PolicyName: 'AWSIRQuarantine' }))).PolicyDocument!;
    expect(JSON.parse(decodeURIComponent(doc)).Statement[0]).toMatchObject({ Effect: 'Deny', Action: '*', Resource: '*' });
    expect((await run('user.unquarantine', user, { undoOf: q.request.id })).outcome).toMatchObject({ ok: true, verified: true });
    expect(await gone(() => clients.iam().send(new GetUserPolicyCommand({ UserName: 'svc-backup', PolicyName: 'AWSIRQuarantine' })))).toBe(true);
  });

  it('deactivates all keys of a user and disables a console password', async () => {
    expect((await run('user.deactivate-keys', { kind: 'user', userName: 'svc-backup' })).outcome).toMatchObject({ ok: true, verified: true });
    expect(await keyStatus('svc-backup', 'AKIASVCBACKUP0000001')).toBe('Inactive');
    expect((await run('user.disable-password', { kind: 'user', userName: 'bob' })).outcome).toMatchObject({
      ok: true,
      verified: true,
      after: { consolePassword: 'disabled' },
    });
  });

  it('deletes users with all their dependents (the backdoor user, and ci-deploy with SSH keys and more)', async () => {
    for (const userName of ['svc-backup', 'ci-deploy']) {
      const { request, outcome } = await run('user.delete', { kind: 'user', userName });
      expect(outcome).toMatchObject({ ok: true, verified: true });
      expect(await gone(() => clients.iam().send(new GetUserCommand({ UserName: userName })))).toBe(true);
      const saved = (await store.listAudit({ requestId: request.id })).find((e) => e.kind === 'action.snapshot');
      expect(saved?.data).toMatchObject({ user: { userName } });
    }
  });

  it('resumes a user deletion that failed halfway', async () => {
    sandbox.faults.inject('IAM:DetachUserPolicy', { error: 'ServiceFailure', status: 500, times: 10 });
    const first = await run('user.delete', { kind: 'user', userName: 'svc-backup' });
    expect(first.outcome.ok).toBe(false);
    expect(await gone(() => clients.iam().send(new GetUserCommand({ UserName: 'svc-backup' })))).toBe(false);
    sandbox.faults.clear();
    const second = await run('user.delete', { kind: 'user', userName: 'svc-backup' });
    expect(second.outcome).toMatchObject({ ok: true, verified: true });
    // What the first attempt removed is not removed again.
    expect(second.outcome.calls.map((c) => c.operation)).not.toContain('IAM:DeleteAccessKey');
  });

  it('revokes role sessions with the approval time and deletes the role', async () => {
    const role = { kind: 'role' as const, roleName: 'ops-support' };
    const { request, outcome } = await run('role.revoke-sessions', role);
    expect(outcome).toMatchObject({ ok: true, verified: true });
    const doc = (await clients.iam().send(new GetRolePolicyCommand({ RoleName: 'ops-support', PolicyName: 'AWSRevokeOlderSessions' }))).PolicyDocument!;
    expect(JSON.parse(decodeURIComponent(doc)).Statement[0].Condition.DateLessThan['aws:TokenIssueTime']).toBe(request.decidedAt);
    expect((await run('role.delete', role)).outcome).toMatchObject({ ok: true, verified: true });
    expect(await gone(() => clients.iam().send(new GetRoleCommand({ RoleName: 'ops-support' })))).toBe(true);
  });

  it('deletes a customer-managed policy attached to a user', async () => {
    const arn = `arn:aws:iam::${sandbox.accountId}:policy/ci-deploy-artifacts`;
    expect((await run('policy.delete', { kind: 'policy', policyArn: arn })).outcome).toMatchObject({ ok: true, verified: true });
    expect((await run('policy.delete', { kind: 'policy', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })).outcome).toMatchObject({
      ok: false,
      error: expect.stringContaining('AWS managed'),
    });
  });

  it('isolates an instance and restores its security groups as undo', async () => {
    const target = { kind: 'instance' as const, region: 'ap-southeast-2', instanceId: 'i-0bad0bad0bad00001' };
    const groupsNow = async () =>
      (await clients.ec2('ap-southeast-2').send(new DescribeInstancesCommand({ InstanceIds: [target.instanceId] })))
        .Reservations![0]!.Instances![0]!.SecurityGroups!.map((g) => g.GroupId)
        .sort();
    const before = await groupsNow();
    const iso = await run('instance.isolate', target);
    expect(iso.outcome).toMatchObject({ ok: true, verified: true });
    expect(await groupsNow()).toEqual([iso.outcome.details!.isolationGroupId]);
    // A second isolation (another instance, same VPC) reuses the group.
    const other = await run('instance.isolate', { ...target, instanceId: 'i-0bad0bad0bad00002' });
    expect(other.outcome.details!.isolationGroupId).toBe(iso.outcome.details!.isolationGroupId);
    expect(other.outcome.calls.map((c) => c.operation)).not.toContain('EC2:CreateSecurityGroup');

    expect((await run('instance.unisolate', target, { undoOf: iso.request.id })).outcome).toMatchObject({ ok: true, verified: true });
    expect(await groupsNow()).toEqual(before);
  });

  it('snapshots every volume, and terminates only once the snapshots completed', async () => {
    const target = { kind: 'instance' as const, region: 'sa-east-1', instanceId: 'i-0bad0bad0bad00003' };
    expect((await run('instance.terminate', target)).outcome).toMatchObject({ ok: false, error: expect.stringContaining('snapshot') });
    const snap = await run('instance.snapshot', target);
    expect(snap.outcome).toMatchObject({ ok: true, verified: true });
    expect((await store.listAudit({ requestId: snap.request.id })).find((e) => e.kind === 'action.snapshot')?.data).toMatchObject({
      what: 'evidence manifest',
    });
    // Sandbox snapshots complete 2 s after they start, like AWS's (much longer) pending phase.
    ahead += 2200;
    const term = await run('instance.terminate', target);
    expect(term.outcome).toMatchObject({ ok: true, verified: true });
  });
});
