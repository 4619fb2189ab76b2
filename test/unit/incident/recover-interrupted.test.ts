/**
 * Recovery of work whose process is gone, in the incident core: an approved action cut off mid-way is
 * taken over as interrupted (never re-run), each AWS write it recorded as intended without an outcome
 * is read back (done / not done / unknown with what to check), recorded in the audit and announced
 * exactly once; a live executor, or one elsewhere whose lease still runs, is left alone.
 */
import { DeleteAccessKeyCommand, GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { createIncidentCore, type IncidentCore } from '../../../src/incident/core';
import type { Announcer } from '../../../src/incident/ports';
import type { InterruptedWrite } from '../../../src/incident/recover-interrupted';
import type { ActionRequest, ProcessOwner } from '../../../src/store/model';
import { ACCOUNT, finding, harness, seedScan, type Harness } from '../remediation/helpers';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
const KEY = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' };
/** Far above any pid Linux hands out (pid_max is at most 2^22): a process that does not exist. */
const DEAD_PID = 2 ** 22 + 4242;

interface Announced {
  request: ActionRequest;
  writes: InterruptedWrite[];
}

async function setup(): Promise<{ h: Harness; core: IncidentCore; announced: Announced[]; request: ActionRequest }> {
  const h = harness();
  const announced: Announced[] = [];
  const announcer: Announcer = {
    scanInterrupted: async () => undefined,
    requestInterrupted: async (request, writes) => void announced.push({ request, writes }),
    requestExpired: async () => undefined,
  };
  const core = createIncidentCore(h.services, { directory: h.directory, announcer });
  await seedScan(h.store, [finding(KEY, ['key.delete'])]);
  // The key as it was when the request was made: inactive and unused, so it may be deleted.
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY.accessKeyId, Status: 'Inactive' }] });
  const created = await core.requestFromFinding({ scanId: 'scan-1', findingId: 'f-1', action: 'key.delete', userId: 'U1', reason: 'leaked' });
  if (!created.ok) throw new Error(created.reason);
  return { h, core, announced, request: created.request };
}

/** What a process that died during execution left in the store: executing, its executor, the writes it intended. */
async function cutOff(h: Harness, request: ActionRequest, executor: ProcessOwner, leaseMs = 120_000): Promise<void> {
  const leaseUntil = new Date(h.clock.now().getTime() + leaseMs).toISOString();
  await h.store.transitionRequest(request.id, 'pending', 'executing', { decidedBy: 'U2', decidedAt: h.clock.now().toISOString(), executor, leaseUntil });
  const base = { at: h.clock.now().toISOString(), channel: request.channel, requestId: request.id };
  const input = { UserName: KEY.userName, AccessKeyId: KEY.accessKeyId };
  await h.store.appendAudit({ ...base, kind: 'aws.intent', data: { operation: 'IAM:DeleteAccessKey', input } });
}

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/aws-ir-bot` });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
});

describe('recovery of interrupted actions', () => {
  it('reads back the write in flight as done, records it, announces once, and never re-runs the action', async () => {
    const { h, core, announced, request } = await setup();
    await cutOff(h, request, { id: 'crashed', host: h.services.owner.host, pid: DEAD_PID });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });

    const first = await core.sweep();
    expect(first.interruptedRequests.map((r) => r.id)).toEqual([request.id]);
    expect(announced).toHaveLength(1);
    expect(announced[0]!.writes).toEqual([
      expect.objectContaining({ operation: 'IAM:DeleteAccessKey', readBack: { state: 'done', check: expect.stringContaining('DeleteAccessKey') } }),
    ]);
    const audit = await h.store.listAudit({ requestId: request.id });
    expect(audit.find((e) => e.kind === 'aws.readback')?.data).toMatchObject({ operation: 'IAM:DeleteAccessKey', state: 'done' });
    expect(audit.filter((e) => e.kind === 'action.interrupted')).toHaveLength(1);
    expect(await h.store.getRequest(request.id)).toMatchObject({ status: 'interrupted', announcedAt: expect.any(String) });

    const again = await core.sweep();
    expect(again.interruptedRequests).toEqual([]);
    expect(again.announced).toEqual([]);
    expect(announced).toHaveLength(1);
    expect(await core.approve({ requestId: request.id, userId: 'U3' })).toMatchObject({ ok: false, code: 'already_decided' });
    expect(iam.commandCalls(DeleteAccessKeyCommand)).toHaveLength(0);
  });

  it('says "not done" when the resource shows the change did not happen, and "unknown" with what to check when it cannot be read', async () => {
    const { h, core, announced, request } = await setup();
    await cutOff(h, request, { id: 'crashed', host: h.services.owner.host, pid: DEAD_PID });
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ AccessKeyId: KEY.accessKeyId, Status: 'Inactive' }] });
    await core.sweep();
    expect(announced[0]!.writes[0]!.readBack.state).toBe('not done');

    const other = await setup();
    await cutOff(other.h, other.request, { id: 'crashed', host: other.h.services.owner.host, pid: DEAD_PID });
    iam.on(ListAccessKeysCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    await other.core.sweep();
    const readBack = other.announced[0]!.writes[0]!.readBack;
    expect(readBack.state).toBe('unknown');
    expect(readBack.check).toMatch(/AccessKeyId=AKIAEXAMPLE0001 in CloudTrail event history.*could not read it back/);
  });

  it('leaves a live executor alone, and takes over one elsewhere only when its lease has run out', async () => {
    const { h, core, announced, request } = await setup();
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [] });
    await cutOff(h, request, { id: 'replica-b', host: 'another-host', pid: 7 }, 120_000);
    expect((await core.sweep()).interruptedRequests).toEqual([]);
    await h.clock.advance(60_000);
    expect((await core.sweep()).interruptedRequests).toEqual([]);
    expect((await h.store.getRequest(request.id))?.status).toBe('executing');
    await h.clock.advance(61_000);
    expect((await core.sweep()).interruptedRequests.map((r) => r.id)).toEqual([request.id]);
    expect(announced).toHaveLength(1);

    const mine = await setup();
    await cutOff(mine.h, mine.request, mine.h.services.owner, 1);
    await mine.h.clock.advance(10 * 60_000);
    // This process's own execution is never taken over by its own sweep.
    expect((await mine.core.sweep()).interruptedRequests).toEqual([]);
  });
});
