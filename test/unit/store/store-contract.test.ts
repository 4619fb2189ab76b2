/**
 * The store contract, run against every backend: SQLite (in memory) and PostgreSQL (a fresh schema per
 * test on AWS_IR_TEST_DATABASE_URL). Same calls, same answers: the product cannot tell them apart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PostgresStore } from '../../../src/store/postgres/postgres-store';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest, OpenItem, ScanRecord } from '../../../src/store/model';
import type { NewScan, Store } from '../../../src/store/store';
import { describePostgres, freshSchema } from '../../support/postgres';
import { pendingRequest } from '../remediation/helpers';

type ContractStore = Store & { appliedMigrations(): number[] | Promise<number[]> };

/** Opens a store on an empty database; `second` opens another connection (pool) to the same database. */
interface Backend {
  open(): Promise<{ store: ContractStore; second: () => Promise<ContractStore>; dispose: () => Promise<void> }>;
}

const sqlite: Backend = {
  async open() {
    // A file in a fresh folder, so a second connection sees the same data (better-sqlite3 takes no URI names).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-contract-'));
    const file = path.join(dir, 'store.sqlite');
    const store = new SqliteStore(file);
    const others: SqliteStore[] = [];
    return {
      store,
      second: async () => {
        const other = new SqliteStore(file);
        others.push(other);
        return other;
      },
      dispose: async () => {
        for (const o of others) await o.close();
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Backend = {
  async open() {
    const schema = await freshSchema('contract');
    const store = new PostgresStore(schema.url, { poolSize: 4 });
    const others: PostgresStore[] = [];
    return {
      store,
      second: async () => {
        const other = new PostgresStore(schema.url, { poolSize: 4 });
        others.push(other);
        return other;
      },
      dispose: async () => {
        for (const o of others) await o.close();
        await store.close();
        await schema.drop();
      },
    };
  },
};

function request(overrides: Partial<ActionRequest> = {}): ActionRequest {
  return pendingRequest({ id: 'req-1', scanId: 'scan-1', findingId: 'f-1', ...overrides });
}

function openItem(overrides: Partial<OpenItem> = {}): OpenItem {
  return {
    id: 'item-1',
    channel: 'C1',
    key: 'finding:f-root-keys',
    step: 'R1',
    title: 'The root user has 1 active access key',
    guidance: 'Sign in as the root user and delete the key.',
    account: '111122223333',
    verifiedBy: 'scan',
    source: { scanId: 'scan-1', findingId: 'f-root-keys', check: 'credential-report' },
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const OWNER = { id: 'owner-a', host: 'h1', pid: 100 };
const scan: NewScan = {
  id: 'scan-1',
  channel: 'C1',
  threadTs: '1700000000.000100',
  requestedBy: 'U1',
  startedAt: '2026-01-01T00:00:00.000Z',
  status: 'running',
  owner: OWNER,
  leaseUntil: '2026-01-01T00:02:00.000Z',
};
const RESULT: ScanRecord['result'] = {
  account: '1',
  window: { start: 'a', end: 'b' },
  regions: [],
  findings: [],
  gaps: [],
  stats: { durationMs: 1, apiCalls: {} },
};

function storeContract(backend: Backend): void {
  let store: ContractStore;
  let second: () => Promise<ContractStore>;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, second, dispose } = await backend.open());
  });
  afterEach(() => dispose());

  it('records numbered migrations once', async () => {
    expect(await store.appliedMigrations()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await (await second()).appliedMigrations()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('counts each approver once, never the requester, and only approvals fresher than the execution TTL', async () => {
    await store.createRequest(request({ requestedBy: 'U1', approvalsNeeded: 2 }));
    const since = '2026-01-01T00:00:00.000Z';
    const rule = { needed: 2, freshSince: since };
    expect(await store.recordApproval('req-1', { user: 'U1', at: '2026-01-01T00:01:00.000Z' }, since)).toBe(true);
    expect(await store.recordApproval('req-1', { user: 'U2', at: '2026-01-01T00:01:00.000Z' }, since)).toBe(true);
    // The same person again: not a second approval.
    expect(await store.recordApproval('req-1', { user: 'U2', at: '2026-01-01T00:02:00.000Z' }, since)).toBe(false);
    expect(await store.startApprovedExecution('req-1', rule, { decidedBy: 'U2' })).toBe(false);
    expect((await store.getRequest('req-1'))?.approvals?.map((a) => a.user)).toEqual(['U1', 'U2']);

    // U3's approval is older than the TTL allows: it does not count until renewed.
    expect(await store.recordApproval('req-1', { user: 'U3', at: '2025-12-31T23:00:00.000Z' }, since)).toBe(true);
    expect(await store.startApprovedExecution('req-1', rule, { decidedBy: 'U3' })).toBe(false);
    expect(await store.recordApproval('req-1', { user: 'U3', at: '2026-01-01T00:03:00.000Z' }, since)).toBe(true);
    expect(await store.startApprovedExecution('req-1', rule, { decidedBy: 'U3' })).toBe(true);
    expect(await store.startApprovedExecution('req-1', rule, { decidedBy: 'U3' })).toBe(false);
    expect((await store.getRequest('req-1'))?.status).toBe('executing');
    // Once it runs, nothing more is recorded as an approval.
    expect(await store.recordApproval('req-1', { user: 'U4', at: '2026-01-01T00:04:00.000Z' }, since)).toBe(false);
  });

  it('starts a request needing two approvers once when both approve at the same moment through different connections', async () => {
    await store.createRequest(request({ requestedBy: 'U1', approvalsNeeded: 2 }));
    const other = await second();
    const since = '2026-01-01T00:00:00.000Z';
    const rule = { needed: 2, freshSince: since };
    const click = async (s: ContractStore, user: string) => {
      await s.recordApproval('req-1', { user, at: '2026-01-01T00:01:00.000Z' }, since);
      return s.startApprovedExecution('req-1', rule, { decidedBy: user });
    };
    const won = await Promise.all([click(store, 'U2'), click(other, 'U3')]);
    expect(won.filter(Boolean)).toHaveLength(1);
    expect((await store.getRequest('req-1'))?.status).toBe('executing');
  });

  it('lists a break-glass run until someone other than its runner reviews it, once', async () => {
    await store.createRequest(request());
    await store.transitionRequest('req-1', 'pending', 'executing', { breakGlass: { by: 'U2', reason: 'active attacker', at: 'x' } });
    expect((await store.listUnreviewed('C1')).map((r) => r.id)).toEqual(['req-1']);
    expect(await store.markReviewed('req-1', 'U2', '2026-01-01T00:05:00.000Z')).toBe(false);
    expect(await store.markReviewed('req-1', 'U3', '2026-01-01T00:05:00.000Z')).toBe(true);
    expect(await store.markReviewed('req-1', 'U4', '2026-01-01T00:06:00.000Z')).toBe(false);
    expect(await store.listUnreviewed('C1')).toEqual([]);
    expect(await store.getRequest('req-1')).toMatchObject({ reviewedBy: 'U3', reviewedAt: '2026-01-01T00:05:00.000Z' });
  });

  it('claims a channel for one running scan at a time, finishes it, and finds scans', async () => {
    expect(await store.claimScan(scan)).toBe(true);
    expect(await store.claimScan({ ...scan, id: 'scan-x', owner: { ...OWNER, id: 'owner-b' } })).toBe(false);
    expect(await store.claimScan({ ...scan, id: 'scan-other-channel', channel: 'C2' })).toBe(true);
    await store.setScanThread('scan-1', '1.5');
    expect(await store.finishScan('scan-1', 'owner-b', { status: 'done', finishedAt: '2026-01-01T00:01:00.000Z', result: RESULT })).toBe(false);
    expect(await store.finishScan('scan-1', OWNER.id, { status: 'done', finishedAt: '2026-01-01T00:01:00.000Z', result: RESULT })).toBe(true);
    const done = await store.getScan('scan-1');
    expect(done).toMatchObject({ status: 'done', threadTs: '1.5', finishedAt: '2026-01-01T00:01:00.000Z', owner: OWNER });
    expect(done?.result?.account).toBe('1');
    expect(await store.claimScan({ ...scan, id: 'scan-2', startedAt: '2026-01-02T00:00:00.000Z' })).toBe(true);
    expect(await store.getScan('missing')).toBeUndefined();
    expect((await store.latestScan('C1'))?.id).toBe('scan-2');
    expect(await store.latestScan('C9')).toBeUndefined();
    expect((await store.listScans({ status: 'running' })).map((x) => x.id)).toEqual(['scan-other-channel', 'scan-2']);
  });

  it('renews a scan lease only for its owner, and interrupts it only when the lease ran out or the owner is gone', async () => {
    await store.claimScan(scan);
    expect(await store.renewScanLease('scan-1', 'owner-b', '2026-01-01T00:05:00.000Z')).toBe(false);
    expect(await store.renewScanLease('scan-1', OWNER.id, '2026-01-01T00:05:00.000Z')).toBe(true);
    const takeover = { ownerId: OWNER.id, ownerGone: false, now: '2026-01-01T00:04:00.000Z' };
    expect(await store.interruptScan('scan-1', takeover, 'stale')).toBe(false);
    expect(await store.interruptScan('scan-1', { ...takeover, ownerId: 'someone-else', ownerGone: true }, 'wrong owner')).toBe(false);
    expect(await store.interruptScan('scan-1', { ...takeover, now: '2026-01-01T00:06:00.000Z' }, 'lease ran out')).toBe(true);
    expect(await store.interruptScan('scan-1', { ...takeover, ownerGone: true }, 'twice')).toBe(false);
    expect(await store.getScan('scan-1')).toMatchObject({ status: 'interrupted', reason: 'lease ran out' });
    // The channel is free at once.
    expect(await store.claimScan({ ...scan, id: 'scan-2' })).toBe(true);
  });

  it('round-trips requests and replaces top-level fields on update', async () => {
    const outcome = (n: number) => ({ ok: true, dryRun: false, verified: true, calls: [], requestIds: [`r${n}`], startedAt: 'a', finishedAt: 'b' });
    await store.createRequest(request({ outcome: outcome(1) }));
    await store.updateRequest('req-1', { messageTs: '1.2', outcome: outcome(2) });
    const got = await store.getRequest('req-1');
    expect(got?.messageTs).toBe('1.2');
    expect(got?.outcome).toEqual(outcome(2));
    expect(got?.target).toEqual({ kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' });
    await expect(store.createRequest(request())).rejects.toThrow(/already exists/);
  });

  it('creates one request per idempotency key: a replayed submission writes nothing', async () => {
    expect(await store.createRequest(request({ idempotencyKey: 'view:V1' }))).toBe(true);
    expect(await store.createRequest(request({ id: 'req-2', idempotencyKey: 'view:V1' }))).toBe(false);
    expect(await store.createRequest(request({ id: 'req-3' }))).toBe(true);
    expect(await store.createRequest(request({ id: 'req-4' }))).toBe(true);
    expect((await store.findRequestByKey('view:V1'))?.id).toBe('req-1');
    expect((await store.listRequests({})).map((r) => r.id)).toEqual(['req-1', 'req-3', 'req-4']);
  });

  it('ends an execution only for its executor, and takes it over only when it is gone or its lease ran out', async () => {
    await store.createRequest(request());
    const executor = { id: 'exec-a', host: 'h1', pid: 5 };
    expect(await store.transitionRequest('req-1', 'pending', 'executing', { executor, leaseUntil: '2026-01-01T00:02:00.000Z' })).toBe(true);
    expect(await store.renewExecutionLease('req-1', 'exec-b', '2026-01-01T00:09:00.000Z')).toBe(false);
    expect(await store.renewExecutionLease('req-1', 'exec-a', '2026-01-01T00:04:00.000Z')).toBe(true);
    expect(await store.interruptExecution('req-1', { ownerId: 'exec-a', ownerGone: false, now: '2026-01-01T00:03:00.000Z' })).toBe(false);
    expect(await store.finishExecution('req-1', 'exec-b', 'succeeded', {})).toBe(false);
    expect(await store.interruptExecution('req-1', { ownerId: 'exec-a', ownerGone: true, now: '2026-01-01T00:03:00.000Z' })).toBe(true);
    expect(await store.finishExecution('req-1', 'exec-a', 'succeeded', {})).toBe(false);
    expect((await store.getRequest('req-1'))?.status).toBe('interrupted');
    expect(await store.claimAnnouncement('req-1', 't1')).toBe(true);
    expect(await store.claimAnnouncement('req-1', 't2')).toBe(false);
    expect((await store.getRequest('req-1'))?.announcedAt).toBe('t1');
  });

  it('transitions with compare-and-set exactly once', async () => {
    await store.createRequest(request());
    expect(await store.transitionRequest('req-1', 'pending', 'executing', { decidedBy: 'U2' })).toBe(true);
    expect(await store.transitionRequest('req-1', 'pending', 'executing', { decidedBy: 'U3' })).toBe(false);
    const got = await store.getRequest('req-1');
    expect(got?.status).toBe('executing');
    expect(got?.decidedBy).toBe('U2');
    expect((await store.listRequests({ status: 'executing' })).map((r) => r.id)).toEqual(['req-1']);
    expect(await store.listRequests({ status: 'pending' })).toEqual([]);
  });

  it('filters requests by channel and status', async () => {
    await store.createRequest(request());
    await store.createRequest(request({ id: 'req-2', channel: 'C2' }));
    await store.transitionRequest('req-2', 'pending', 'rejected');
    expect((await store.listRequests({ channel: 'C2' })).map((r) => r.status)).toEqual(['rejected']);
    expect(await store.listRequests({ status: 'rejected', channel: 'C1' })).toEqual([]);
    expect((await store.listRequests({})).length).toBe(2);
  });

  it('never changes a status through updateRequest', async () => {
    await store.createRequest(request());
    await store.updateRequest('req-1', { messageTs: '9.9', status: 'succeeded' } as Partial<ActionRequest>);
    expect(await store.getRequest('req-1')).toMatchObject({ status: 'pending', messageTs: '9.9' });
    expect((await store.listRequests({ status: 'pending' })).length).toBe(1);
  });

  it('appends audit entries in order and filters them', async () => {
    const a = await store.appendAudit({ at: 't1', channel: 'C1', user: 'U1', kind: 'request.created', requestId: 'req-1', data: { x: 1 } });
    const b = await store.appendAudit({ at: 't2', channel: 'C1', kind: 'aws.call', requestId: 'req-1', data: { operation: 'IAM:UpdateAccessKey' } });
    await store.appendAudit({ at: 't3', channel: 'C2', kind: 'scan.started', scanId: 'scan-9', data: {} });
    expect(b).toBeGreaterThan(a);
    expect((await store.listAudit({ requestId: 'req-1' })).map((e) => e.kind)).toEqual(['request.created', 'aws.call']);
    expect((await store.listAudit({ channel: 'C2' }))[0]).toEqual({ seq: 3, at: 't3', channel: 'C2', kind: 'scan.started', scanId: 'scan-9', data: {} });
  });

  it('lets only one of two connections win the same transition, the same channel claim and the same announcement', async () => {
    const other = await second();
    await store.createRequest(request());
    const wins = await Promise.all([store.transitionRequest('req-1', 'pending', 'executing'), other.transitionRequest('req-1', 'pending', 'executing')]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const claims = await Promise.all([store.claimScan(scan), other.claimScan({ ...scan, id: 'scan-b', owner: { ...OWNER, id: 'owner-b' } })]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await store.interruptExecution('req-1', { ownerId: '', ownerGone: true, now: 't' });
    const announced = await Promise.all([store.claimAnnouncement('req-1', 'a'), other.claimAnnouncement('req-1', 'b')]);
    expect(announced.filter(Boolean)).toHaveLength(1);
  });

  it('allows one live undo per request; a new one once the previous was rejected', async () => {
    const undo = (id: string) => request({ id, action: 'key.reactivate', undoOf: 'req-1' });
    await store.createRequest(request());
    const other = await second();
    const created = await Promise.all([store.createRequest(undo('undo-1')), other.createRequest(undo('undo-2'))]);
    expect(created.filter(Boolean)).toHaveLength(1);
    const live = (await store.listRequests({})).filter((r) => r.undoOf === 'req-1');
    expect(live).toHaveLength(1);
    expect(await store.transitionRequest(live[0]!.id, 'pending', 'rejected')).toBe(true);
    expect(await store.createRequest(undo('undo-3'))).toBe(true);
  });

  it('grants a named lease to one owner at a time: renewed by it, taken when it ran out or its holder is gone, released', async () => {
    const a = { id: 'a', host: 'h', pid: 1 };
    const b = { id: 'b', host: 'h', pid: 2 };
    const other = await second();
    const first = await Promise.all([store.claimLease('sweep', a, 't2', 't1'), other.claimLease('sweep', b, 't2', 't1')]);
    expect(first.filter(Boolean)).toHaveLength(1);
    const [holder, waiter] = first[0] ? [a, b] : [b, a];
    expect(await store.claimLease('sweep', holder, 't3', 't1')).toBe(true);
    expect(await store.claimLease('sweep', waiter, 't9', 't2')).toBe(false);
    expect(await store.getLease('sweep')).toEqual({ name: 'sweep', owner: holder, leaseUntil: 't3' });
    expect(await store.claimLease('sweep', waiter, 't5', 't4')).toBe(true);
    expect(await store.claimLease('sweep', holder, 't9', 't4', 'someone-else')).toBe(false);
    expect(await store.claimLease('sweep', holder, 't9', 't4', waiter.id)).toBe(true);
    await store.releaseLease('sweep', waiter.id);
    expect((await store.getLease('sweep'))?.owner).toEqual(holder);
    await store.releaseLease('sweep', holder.id);
    expect(await store.getLease('sweep')).toBeUndefined();
    expect(await store.claimLease('sweep', waiter, 't9', 't4')).toBe(true);
  });

  it('hands out posting slots one interval apart per channel, across connections, never before now', async () => {
    const other = await second();
    const slots = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? other : store).reservePostSlot('C1', 10_000, 1000)));
    expect([...slots].sort((x, y) => x - y)).toEqual([10_000, 11_000, 12_000, 13_000, 14_000, 15_000]);
    expect(await store.reservePostSlot('C2', 10_500, 1000)).toBe(10_500);
    // An idle channel starts again at now, not at its old schedule.
    expect(await store.reservePostSlot('C1', 60_000, 1000)).toBe(60_000);
    expect(await store.reservePostSlot('C1', 60_000, 1000)).toBe(61_000);
  });

  it('adds an item once per channel and key, and lists by channel and status', async () => {
    expect(await store.addOpenItem(openItem())).toBe(true);
    expect(await store.addOpenItem(openItem({ id: 'item-dup' }))).toBe(false);
    expect(await store.addOpenItem(openItem({ id: 'item-2', channel: 'C2' }))).toBe(true);
    expect(await store.addOpenItem(openItem({ id: 'item-3', key: 'finding:other', createdAt: '2026-01-01T00:01:00.000Z' }))).toBe(true);
    expect(await store.getOpenItem('item-1')).toEqual(openItem());
    expect(await store.getOpenItem('item-dup')).toBeUndefined();
    expect((await store.listOpenItems({ channel: 'C1' })).map((i) => i.id)).toEqual(['item-1', 'item-3']);
    expect((await store.listOpenItems({})).length).toBe(3);
  });

  it('closes an item with compare-and-set exactly once and can reopen it', async () => {
    await store.addOpenItem(openItem());
    const patch = { closedBy: 'U2', closedAt: '2026-01-01T01:00:00.000Z' };
    expect(await store.transitionOpenItem('item-1', 'open', 'done', patch)).toBe(true);
    expect(await store.transitionOpenItem('item-1', 'open', 'done', { closedBy: 'U3' })).toBe(false);
    expect(await store.getOpenItem('item-1')).toMatchObject({ status: 'done', closedBy: 'U2' });
    expect(await store.listOpenItems({ channel: 'C1', status: 'open' })).toEqual([]);
    expect(await store.transitionOpenItem('item-1', 'done', 'open', { closedBy: undefined, closedAt: undefined, note: 'still there' })).toBe(true);
    const reopened = (await store.getOpenItem('item-1'))!;
    expect(reopened).toMatchObject({ status: 'open', note: 'still there' });
    expect(reopened.closedBy).toBeUndefined();
  });
}

describe('store contract: SQLite', () => storeContract(sqlite));
describePostgres('store contract: PostgreSQL', () => storeContract(postgres));
