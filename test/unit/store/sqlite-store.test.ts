/** What only the SQLite backend does: a file on disk, WAL, the audit trigger, upgrades from older files, two processes on one file. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrationsDir } from '../../../src/store/migrations';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest } from '../../../src/store/model';
import type { NewScan } from '../../../src/store/store';
import { pendingRequest } from '../remediation/helpers';

function request(overrides: Partial<ActionRequest> = {}): ActionRequest {
  return pendingRequest({ id: 'req-1', scanId: 'scan-1', findingId: 'f-1', ...overrides });
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

describe('SqliteStore on disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the parent folder, uses WAL and keeps data across reopen', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'aws-ir.db');
    const first = new SqliteStore(file);
    await first.createRequest(request());
    await first.appendAudit({ at: 't', kind: 'request.created', requestId: 'req-1', data: {} });
    await first.close();

    const second = new SqliteStore(file);
    expect((await second.getRequest('req-1'))?.status).toBe('pending');
    expect(second.appliedMigrations()).toEqual([1, 2, 3, 4, 5, 6]);
    await second.close();

    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses UPDATE and DELETE on the audit table', async () => {
    const file = path.join(dir, 'aws-ir.db');
    const store = new SqliteStore(file);
    await store.appendAudit({ at: 't', kind: 'request.created', requestId: 'req-1', data: {} });
    await store.close();
    const raw = new Database(file);
    expect(() => raw.prepare("UPDATE audit SET kind = 'x'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    expect((raw.prepare('SELECT count(*) AS n FROM audit').get() as { n: number }).n).toBe(1);
    raw.close();
  });

  it('lets only one of two connections win the same transition, and the same channel claim', async () => {
    const file = path.join(dir, 'aws-ir.db');
    const a = new SqliteStore(file);
    const b = new SqliteStore(file);
    await a.createRequest(request());
    const wins = await Promise.all([a.transitionRequest('req-1', 'pending', 'executing'), b.transitionRequest('req-1', 'pending', 'executing')]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    const claims = await Promise.all([a.claimScan(scan), b.claimScan({ ...scan, id: 'scan-b', owner: { ...OWNER, id: 'owner-b' } })]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    await a.close();
    await b.close();
  });

  it('upgrades a version-2 database: scans it left running become interrupted, pending requests stay', async () => {
    const file = path.join(dir, 'old.db');
    const raw = new Database(file);
    const migrations = loadMigrations(migrationsDir('sqlite')).slice(0, 2);
    raw.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of migrations) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO migrations VALUES (?, ?, ?)').run(m.version, m.name, 'then');
    }
    const insertScan = raw.prepare('INSERT INTO scans (id, channel, thread_ts, requested_by, started_at, status) VALUES (?, ?, ?, ?, ?, ?)');
    insertScan.run('old-1', 'C1', '1.1', 'U1', '2026-01-01T00:00:00.000Z', 'running');
    insertScan.run('old-2', 'C1', '1.2', 'U1', '2026-01-01T00:01:00.000Z', 'running');
    const req = request();
    raw
      .prepare('INSERT INTO requests (id, channel, status, created_at, expires_at, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(req.id, req.channel, req.status, req.createdAt, req.expiresAt, JSON.stringify(req));
    raw.close();

    const upgraded = new SqliteStore(file);
    expect(upgraded.appliedMigrations()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await upgraded.listScans({})).map((x) => [x.id, x.status])).toEqual([
      ['old-1', 'interrupted'],
      ['old-2', 'interrupted'],
    ]);
    expect((await upgraded.getRequest('req-1'))?.status).toBe('pending');
    expect(await upgraded.claimScan(scan)).toBe(true);
    await upgraded.close();
  });
});
