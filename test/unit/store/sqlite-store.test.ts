import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest, OpenItem, ScanRecord } from '../../../src/store/store';
import { pendingRequest } from '../remediation/helpers';

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

const scan: ScanRecord = {
  id: 'scan-1',
  channel: 'C1',
  threadTs: '1700000000.000100',
  requestedBy: 'U1',
  startedAt: '2026-01-01T00:00:00.000Z',
  status: 'running',
};

describe('SqliteStore', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore(':memory:');
  });
  afterEach(() => store.close());

  it('records numbered migrations once', () => {
    expect(store.appliedMigrations()).toEqual([1, 2]);
  });

  it('saves, updates and finds scans', () => {
    store.saveScan(scan);
    store.saveScan({ ...scan, id: 'scan-2', startedAt: '2026-01-02T00:00:00.000Z' });
    store.saveScan({
      ...scan,
      status: 'done',
      result: { account: '1', window: { start: 'a', end: 'b' }, regions: [], findings: [], gaps: [], stats: { durationMs: 1, apiCalls: {} } },
    });
    expect(store.getScan('scan-1')?.status).toBe('done');
    expect(store.getScan('scan-1')?.result?.account).toBe('1');
    expect(store.getScan('missing')).toBeUndefined();
    expect(store.latestScan('C1')?.id).toBe('scan-2');
    expect(store.latestScan('C9')).toBeUndefined();
  });

  it('round-trips requests and replaces top-level fields on update', () => {
    store.createRequest(request({ outcome: { a: 1, b: 2 } }));
    store.updateRequest('req-1', { messageTs: '1.2', outcome: { a: 3 } });
    const got = store.getRequest('req-1');
    expect(got?.messageTs).toBe('1.2');
    expect(got?.outcome).toEqual({ a: 3 });
    expect(got?.target).toEqual({ kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' });
    expect(() => store.createRequest(request())).toThrow(/already exists/);
  });

  it('transitions with compare-and-set exactly once', () => {
    store.createRequest(request());
    expect(store.transitionRequest('req-1', 'pending', 'executing', { decidedBy: 'U2' })).toBe(true);
    expect(store.transitionRequest('req-1', 'pending', 'executing', { decidedBy: 'U3' })).toBe(false);
    const got = store.getRequest('req-1');
    expect(got?.status).toBe('executing');
    expect(got?.decidedBy).toBe('U2');
    expect(store.listRequests({ status: 'executing' }).map((r) => r.id)).toEqual(['req-1']);
    expect(store.listRequests({ status: 'pending' })).toEqual([]);
  });

  it('filters requests by channel and status', () => {
    store.createRequest(request());
    store.createRequest(request({ id: 'req-2', channel: 'C2' }));
    store.updateRequest('req-2', { status: 'rejected' });
    expect(store.listRequests({ channel: 'C2' }).map((r) => r.status)).toEqual(['rejected']);
    expect(store.listRequests({ status: 'rejected', channel: 'C1' })).toEqual([]);
    expect(store.listRequests({}).length).toBe(2);
  });

  it('appends audit entries in order and filters them', () => {
    const a = store.appendAudit({ at: 't1', channel: 'C1', user: 'U1', kind: 'request.created', requestId: 'req-1', data: { x: 1 } });
    const b = store.appendAudit({ at: 't2', channel: 'C1', kind: 'aws.call', requestId: 'req-1', data: { operation: 'IAM:UpdateAccessKey' } });
    store.appendAudit({ at: 't3', channel: 'C2', kind: 'scan.started', scanId: 'scan-9', data: {} });
    expect(b).toBeGreaterThan(a);
    expect(store.listAudit({ requestId: 'req-1' }).map((e) => e.kind)).toEqual(['request.created', 'aws.call']);
    expect(store.listAudit({ channel: 'C2' })[0]).toEqual({ seq: 3, at: 't3', channel: 'C2', kind: 'scan.started', scanId: 'scan-9', data: {} });
  });
});

describe('SqliteStore open items', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore(':memory:');
  });
  afterEach(() => store.close());

  it('adds an item once per channel and key, and lists by channel and status', () => {
    expect(store.addOpenItem(openItem())).toBe(true);
    expect(store.addOpenItem(openItem({ id: 'item-dup' }))).toBe(false);
    expect(store.addOpenItem(openItem({ id: 'item-2', channel: 'C2' }))).toBe(true);
    expect(store.addOpenItem(openItem({ id: 'item-3', key: 'finding:other', createdAt: '2026-01-01T00:01:00.000Z' }))).toBe(true);
    expect(store.getOpenItem('item-1')).toEqual(openItem());
    expect(store.getOpenItem('item-dup')).toBeUndefined();
    expect(store.listOpenItems({ channel: 'C1' }).map((i) => i.id)).toEqual(['item-1', 'item-3']);
    expect(store.listOpenItems({}).length).toBe(3);
  });

  it('closes an item with compare-and-set exactly once and can reopen it', () => {
    store.addOpenItem(openItem());
    const patch = { closedBy: 'U2', closedAt: '2026-01-01T01:00:00.000Z' };
    expect(store.transitionOpenItem('item-1', 'open', 'done', patch)).toBe(true);
    expect(store.transitionOpenItem('item-1', 'open', 'done', { closedBy: 'U3' })).toBe(false);
    expect(store.getOpenItem('item-1')).toMatchObject({ status: 'done', closedBy: 'U2' });
    expect(store.listOpenItems({ channel: 'C1', status: 'open' })).toEqual([]);
    expect(store.transitionOpenItem('item-1', 'done', 'open', { closedBy: undefined, closedAt: undefined, note: 'still there' })).toBe(true);
    const reopened = store.getOpenItem('item-1')!;
    expect(reopened).toMatchObject({ status: 'open', note: 'still there' });
    expect(reopened.closedBy).toBeUndefined();
  });
});

describe('SqliteStore on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the parent folder, uses WAL and keeps data across reopen', () => {
    const file = path.join(dir, 'nested', 'deeper', 'aws-ir.db');
    const first = new SqliteStore(file);
    first.createRequest(request());
    first.appendAudit({ at: 't', kind: 'request.created', requestId: 'req-1', data: {} });
    first.close();

    const second = new SqliteStore(file);
    expect(second.getRequest('req-1')?.status).toBe('pending');
    expect(second.appliedMigrations()).toEqual([1, 2]);
    second.close();

    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses UPDATE and DELETE on the audit table', () => {
    const file = path.join(dir, 'aws-ir.db');
    const store = new SqliteStore(file);
    store.appendAudit({ at: 't', kind: 'request.created', requestId: 'req-1', data: {} });
    store.close();
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE audit SET kind = 'x'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect((raw.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n).toBe(1);
    raw.close();
  });

  it('lets only one of two connections win the same transition', () => {
    const file = path.join(dir, 'aws-ir.db');
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    a.createRequest(request());
    const wins = [a.transitionRequest('req-1', 'pending', 'executing'), b.transitionRequest('req-1', 'pending', 'executing')];
    expect(wins.filter(Boolean)).toHaveLength(1);
    a.close();
    b.close();
  });
});
