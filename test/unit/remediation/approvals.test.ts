import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ACCOUNT, finding, harness, seedScan, type Harness } from './helpers';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

const KEY = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' };

/** IAM state the mocks read: one key whose status UpdateAccessKey really changes. */
let keyStatus: 'Active' | 'Inactive';

beforeEach(() => {
  iam.reset();
  sts.reset();
  keyStatus = 'Active';
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/aws-ir-bot` });
  iam.on(ListAccessKeysCommand).callsFake(async () => ({ AccessKeyMetadata: [{ UserName: 'ci-deploy', AccessKeyId: KEY.accessKeyId, Status: keyStatus }] }));
  iam.on(UpdateAccessKeyCommand).callsFake(async (input: { Status: 'Active' | 'Inactive' }) => {
    await new Promise((r) => setImmediate(r)); // the write takes a turn of the event loop, as a real call does
    keyStatus = input.Status;
    return { $metadata: { requestId: 'rid-update' } };
  });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ UserName: 'ci-deploy', AccessKeyLastUsed: { ServiceName: 'iam', Region: 'us-east-1' } });
});

async function setup(config: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  const h = harness(config);
  await seedScan(h.store, [finding(KEY, ['key.deactivate', 'key.delete'])]);
  return h;
}

describe('request, approve, reject, undo (incident core)', () => {
  it('creates a request from the stored finding and runs it after a second responder approves', async () => {
    const h = await setup();
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.request).toMatchObject({
      status: 'pending',
      target: KEY,
      account: ACCOUNT,
      channel: 'C1',
      requestedBy: 'U1',
      reason: 'leaked',
      expiresAt: '2026-01-01T00:30:00.000Z',
    });

    const approved = await h.core.approve({ requestId: created.request.id, userId: 'U2' });
    expect(approved.ok).toBe(true);
    if (!approved.ok) return;
    expect(approved.request.status).toBe('succeeded');
    expect(approved.request.decidedBy).toBe('U2');
    expect(approved.request.outcome).toMatchObject({ ok: true, verified: true, before: { status: 'Active' }, after: { status: 'Inactive' } });
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
    expect((await h.store.listAudit({ requestId: created.request.id })).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['request.created', 'request.approved', 'action.started', 'action.succeeded']),
    );
  });

  it('refuses self-approval and records the refusal', async () => {
    const h = await setup();
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    const self = await h.core.approve({ requestId: created.request.id, userId: 'U1' });
    expect(self).toMatchObject({ ok: false, code: 'self_approval' });
    expect((await h.store.getRequest(created.request.id))?.status).toBe('pending');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect((await h.store.listAudit({ requestId: created.request.id })).some((e) => e.kind === 'request.refused' && e.user === 'U1')).toBe(true);
  });

  it('refuses actions the finding does not offer, and unknown findings', async () => {
    const h = await setup();
    expect(await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'user.delete', userId: 'U1', reason: 'leaked' })).toMatchObject({
      ok: false,
      code: 'not_offered',
    });
    expect(await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'nope', action: 'key.deactivate', userId: 'U1', reason: 'leaked' })).toMatchObject({
      ok: false,
      code: 'not_found',
    });
  });

  it('only lets responders (directly or through a user group) request and approve', async () => {
    const h = await setup({ responders: ['U1', 'S1'] });
    h.directory.groups.S1 = ['U3'];
    expect(await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U9', reason: 'leaked' })).toMatchObject({
      ok: false,
      code: 'not_responder',
    });
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    expect(await h.core.approve({ requestId: created.request.id, userId: 'U2' })).toMatchObject({ ok: false, code: 'not_responder' });
    expect((await h.core.approve({ requestId: created.request.id, userId: 'U3' })).ok).toBe(true);
  });

  it('always refuses guests, restricted and deactivated accounts', async () => {
    const h = await setup();
    h.directory.users.UG = { is_ultra_restricted: true };
    h.directory.users.UR = { is_restricted: true };
    h.directory.users.UD = { deleted: true };
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    for (const u of ['UG', 'UR', 'UD']) {
      expect(await h.core.approve({ requestId: created.request.id, userId: u })).toMatchObject({ ok: false, code: 'not_responder' });
    }
    expect(await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'UG', reason: 'leaked' })).toMatchObject({
      ok: false,
      code: 'not_responder',
    });
  });

  it('executes once under 50 concurrent approvals', async () => {
    const h = await setup();
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => h.core.approve({ requestId: created.request.id, userId: `U${100 + i}` })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'already_decided')).toHaveLength(49);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
    expect((await h.store.listAudit({ requestId: created.request.id })).filter((e) => e.kind === 'action.started')).toHaveLength(1);
  });

  it('expires requests at approval time and in the periodic sweep', async () => {
    const h = await setup();
    const a = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    const b = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!a.ok || !b.ok) throw new Error('not created');
    await h.clock.set(new Date('2026-01-01T00:30:00.000Z'));
    const late = await h.core.approve({ requestId: a.request.id, userId: 'U2' });
    expect(late).toMatchObject({ ok: false, code: 'expired', request: { status: 'expired' } });
    expect((await h.core.sweep()).expired.map((r) => r.id)).toEqual([b.request.id]);
    expect((await h.core.sweep()).expired).toEqual([]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('lets the requester withdraw and refuses decisions on decided requests', async () => {
    const h = await setup();
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    expect(await h.core.reject({ requestId: created.request.id, userId: 'U1' })).toMatchObject({
      ok: true,
      request: { status: 'rejected', decidedBy: 'U1' },
    });
    expect(await h.core.approve({ requestId: created.request.id, userId: 'U2' })).toMatchObject({ ok: false, code: 'already_decided' });
  });

  it('dry run shows the writes it would make and changes nothing', async () => {
    const h = await setup({ dryRun: true });
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    expect(created.request.dryRun).toBe(true);
    const done = await h.core.approve({ requestId: created.request.id, userId: 'U2' });
    if (!done.ok) throw new Error(done.reason);
    expect(done.request.outcome).toMatchObject({
      ok: true,
      dryRun: true,
      calls: [{ operation: 'IAM:UpdateAccessKey', input: { UserName: 'ci-deploy', AccessKeyId: KEY.accessKeyId, Status: 'Inactive' } }],
    });
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(keyStatus).toBe('Active');
  });

  it('refuses protected principals: configured ARNs and its own identity', async () => {
    const h = harness({ protectedArns: [`arn:aws:iam::${ACCOUNT}:user/break-glass`] });
    await seedScan(h.store, [
      finding({ kind: 'user', userName: 'break-glass' }, ['user.quarantine'], 'f-a'),
      finding({ kind: 'access-key', userName: 'aws-ir-bot', accessKeyId: 'AKIABOT' }, ['key.deactivate'], 'f-b'),
    ]);
    expect(await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-a', action: 'user.quarantine', userId: 'U1', reason: 'leaked' })).toMatchObject({
      ok: false,
      code: 'protected',
    });
    expect(await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-b', action: 'key.deactivate', userId: 'U1', reason: 'leaked' })).toMatchObject({
      ok: false,
      code: 'protected',
    });
  });

  it('refuses at request time when the precheck already fails', async () => {
    const h = await setup();
    keyStatus = 'Inactive';
    expect(await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' })).toMatchObject({
      ok: false,
      code: 'precheck_failed',
      reason: expect.stringContaining('already Inactive'),
    });
  });

  it('reports a failed change as failure, never success', async () => {
    const h = await setup();
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    iam.on(UpdateAccessKeyCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied' }));
    const done = await h.core.approve({ requestId: created.request.id, userId: 'U2' });
    if (!done.ok) throw new Error(done.reason);
    expect(done.request.status).toBe('failed');
    expect(done.request.outcome).toMatchObject({ ok: false, error: expect.stringContaining('AccessDenied') });
    expect((await h.store.listAudit({ requestId: created.request.id })).some((e) => e.kind === 'action.failed')).toBe(true);
  });

  it('undo is a new request that needs two people, and only once', async () => {
    const h = await setup();
    const created = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!created.ok) throw new Error(created.reason);
    await h.core.approve({ requestId: created.request.id, userId: 'U2' });
    const undo = await h.core.requestUndo({ requestId: created.request.id, userId: 'U2', reason: 'leaked' });
    if (!undo.ok) throw new Error(undo.reason);
    expect(undo.request).toMatchObject({ action: 'key.reactivate', undoOf: created.request.id, target: KEY, status: 'pending' });
    expect(await h.core.requestUndo({ requestId: created.request.id, userId: 'U3', reason: 'leaked' })).toMatchObject({ ok: false, code: 'already_decided' });
    expect(await h.core.approve({ requestId: undo.request.id, userId: 'U2' })).toMatchObject({ ok: false, code: 'self_approval' });
    const done = await h.core.approve({ requestId: undo.request.id, userId: 'U1' });
    expect(done).toMatchObject({ ok: true, request: { status: 'succeeded' } });
    expect(keyStatus).toBe('Active');
  });

  it('marks executing requests interrupted on restart and never re-runs them; pending ones stay approvable', async () => {
    const h = await setup();
    const a = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    const b = await h.core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.deactivate', userId: 'U1', reason: 'leaked' });
    if (!a.ok || !b.ok) throw new Error('not created');
    // Simulates a crash right after the compare-and-set.
    await h.store.transitionRequest(a.request.id, 'pending', 'executing', { decidedBy: 'U2', decidedAt: h.clock.now().toISOString() });
    const recovered = (await h.core.sweep()).interruptedRequests;
    expect(recovered.map((r) => r.id)).toEqual([a.request.id]);
    expect((await h.store.getRequest(a.request.id))?.status).toBe('interrupted');
    expect(await h.core.approve({ requestId: a.request.id, userId: 'U3' })).toMatchObject({ ok: false, code: 'already_decided' });
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect((await h.core.approve({ requestId: b.request.id, userId: 'U3' })).ok).toBe(true);
  });
});
