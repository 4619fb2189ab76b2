/**
 * The default Store: one SQLite file (better-sqlite3, synchronous, WAL). Everything a restart must not
 * lose lives here: scans, action requests and the append-only audit trail.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ActionRequest, AuditEntry, OpenItem, OpenItemStatus, RequestStatus, ScanRecord, Store } from './store';
import { MIGRATIONS } from './migrations';

export class StoreError extends Error {
  readonly code = 'aws_ir_store_error';
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

interface ScanRow {
  id: string;
  channel: string;
  thread_ts: string;
  requested_by: string;
  started_at: string;
  status: ScanRecord['status'];
  result: string | null;
}

interface RequestRow {
  data: string;
}

interface AuditRow {
  seq: number;
  at: string;
  channel: string | null;
  user: string | null;
  kind: AuditEntry['kind'];
  request_id: string | null;
  scan_id: string | null;
  data: string;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  /** `path` is a file (its folder is created) or ':memory:' for tests. */
  constructor(readonly dbPath: string) {
    if (dbPath !== ':memory:' && !dbPath.startsWith('file:')) {
      fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
    }
    this.db = new Database(dbPath);
    this.db.pragma('journal_mode = WAL');
    // A second process (CLI export while the app runs) waits for the writer instead of failing.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** Applies every numbered migration not yet recorded, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM migrations').all() as { version: number }[]).map((r) => r.version));
    const record = this.db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of MIGRATIONS) {
      if (applied.has(m.version)) continue;
      this.db.transaction(() => {
        this.db.exec(m.sql);
        record.run(m.version, m.name, new Date().toISOString());
      })();
    }
  }

  /** Versions applied so far, oldest first (for tests and diagnostics). */
  appliedMigrations(): number[] {
    return (this.db.prepare('SELECT version FROM migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  saveScan(scan: ScanRecord): void {
    this.db
      .prepare(
        `INSERT INTO scans (id, channel, thread_ts, requested_by, started_at, status, result)
         VALUES (@id, @channel, @threadTs, @requestedBy, @startedAt, @status, @result)
         ON CONFLICT(id) DO UPDATE SET channel = excluded.channel, thread_ts = excluded.thread_ts,
           requested_by = excluded.requested_by, started_at = excluded.started_at,
           status = excluded.status, result = excluded.result`,
      )
      .run({ ...scan, result: scan.result === undefined ? null : JSON.stringify(scan.result) });
  }

  getScan(id: string): ScanRecord | undefined {
    const row = this.db.prepare('SELECT * FROM scans WHERE id = ?').get(id) as ScanRow | undefined;
    return row && scanFromRow(row);
  }

  latestScan(channel: string): ScanRecord | undefined {
    const row = this.db.prepare('SELECT * FROM scans WHERE channel = ? ORDER BY started_at DESC, rowid DESC LIMIT 1').get(channel) as ScanRow | undefined;
    return row && scanFromRow(row);
  }

  createRequest(req: ActionRequest): void {
    try {
      this.db
        .prepare(
          `INSERT INTO requests (id, channel, status, created_at, expires_at, data)
           VALUES (@id, @channel, @status, @createdAt, @expiresAt, @data)`,
        )
        .run({ ...pickRequestColumns(req), data: JSON.stringify(req) });
    } catch (err) {
      if (isUniqueViolation(err)) throw new StoreError(`Request ${req.id} already exists.`);
      throw err;
    }
  }

  getRequest(id: string): ActionRequest | undefined {
    const row = this.db.prepare('SELECT data FROM requests WHERE id = ?').get(id) as RequestRow | undefined;
    return row && (JSON.parse(row.data) as ActionRequest);
  }

  updateRequest(id: string, patch: Partial<ActionRequest>): void {
    const set = jsonSetOf(patch);
    this.db
      .prepare(
        `UPDATE requests SET data = ${set.sql},
           status = json_extract(${set.sql}, '$.status'),
           expires_at = json_extract(${set.sql}, '$.expiresAt')
         WHERE id = @id`,
      )
      .run({ id, ...set.params });
  }

  transitionRequest(id: string, from: RequestStatus, to: RequestStatus, patch: Partial<ActionRequest> = {}): boolean {
    const set = jsonSetOf({ ...patch, status: to });
    // One statement: the WHERE on the current status is the compare, the SET the swap. SQLite runs
    // it under the write lock, so of N concurrent approvals (in or across processes) exactly one wins.
    const info = this.db
      .prepare(
        `UPDATE requests SET status = @to, data = ${set.sql},
           expires_at = json_extract(${set.sql}, '$.expiresAt')
         WHERE id = @id AND status = @from`,
      )
      .run({ id, from, to, ...set.params });
    return info.changes === 1;
  }

  listRequests(filter: { status?: RequestStatus; channel?: string }): ActionRequest[] {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    const sql = `SELECT data FROM requests ${where.sql} ORDER BY created_at, rowid`;
    return (this.db.prepare(sql).all(where.params) as RequestRow[]).map((r) => JSON.parse(r.data) as ActionRequest);
  }

  appendAudit(entry: AuditEntry): number {
    const info = this.db
      .prepare(
        `INSERT INTO audit (at, channel, user, kind, request_id, scan_id, data)
         VALUES (@at, @channel, @user, @kind, @requestId, @scanId, @data)`,
      )
      .run({
        at: entry.at,
        channel: entry.channel ?? null,
        user: entry.user ?? null,
        kind: entry.kind,
        requestId: entry.requestId ?? null,
        scanId: entry.scanId ?? null,
        data: JSON.stringify(entry.data ?? {}),
      });
    return Number(info.lastInsertRowid);
  }

  listAudit(filter: { channel?: string; requestId?: string; scanId?: string }): AuditEntry[] {
    const where = whereOf(filter, { channel: 'channel', requestId: 'request_id', scanId: 'scan_id' });
    const sql = `SELECT * FROM audit ${where.sql} ORDER BY seq`;
    return (this.db.prepare(sql).all(where.params) as AuditRow[]).map(auditFromRow);
  }

  addOpenItem(item: OpenItem): boolean {
    const info = this.db
      .prepare(
        `INSERT INTO open_items (id, channel, key, status, created_at, data)
         VALUES (@id, @channel, @key, @status, @createdAt, @data)
         ON CONFLICT(channel, key) DO NOTHING`,
      )
      .run({ id: item.id, channel: item.channel, key: item.key, status: item.status, createdAt: item.createdAt, data: JSON.stringify(item) });
    return info.changes === 1;
  }

  getOpenItem(id: string): OpenItem | undefined {
    const row = this.db.prepare('SELECT data FROM open_items WHERE id = ?').get(id) as RequestRow | undefined;
    return row && (JSON.parse(row.data) as OpenItem);
  }

  listOpenItems(filter: { channel?: string; status?: OpenItemStatus }): OpenItem[] {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    const sql = `SELECT data FROM open_items ${where.sql} ORDER BY created_at, rowid`;
    return (this.db.prepare(sql).all(where.params) as RequestRow[]).map((r) => JSON.parse(r.data) as OpenItem);
  }

  transitionOpenItem(id: string, from: OpenItemStatus, to: OpenItemStatus, patch: Partial<OpenItem> = {}): boolean {
    const set = jsonSetOf({ ...patch, status: to });
    const info = this.db
      .prepare(`UPDATE open_items SET status = @to, data = ${set.sql} WHERE id = @id AND status = @from`)
      .run({ id, from, to, ...set.params });
    return info.changes === 1;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** A WHERE clause matching every filter field that is set; `columns` names each field's column. */
function whereOf<F extends Record<string, string | undefined>>(
  filter: F,
  columns: { [K in keyof F]-?: string },
): { sql: string; params: Record<string, string> } {
  const where: string[] = [];
  const params: Record<string, string> = {};
  for (const field of Object.keys(columns) as (keyof F & string)[]) {
    const value = filter[field];
    if (!value) continue;
    where.push(`${columns[field]} = @${field}`);
    params[field] = value;
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * A json_set() expression replacing top-level fields of the stored request or open item (nested
 * objects such as `outcome` are replaced whole, not merged). `undefined` removes the field. The id
 * never changes.
 */
function jsonSetOf(patch: Partial<ActionRequest> | Partial<OpenItem>): { sql: string; params: Record<string, string> } {
  let sql = 'data';
  const params: Record<string, string> = {};
  let n = 0;
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id' || !/^[A-Za-z]\w*$/.test(key)) continue;
    if (value === undefined) {
      sql = `json_remove(${sql}, '$.${key}')`;
    } else {
      const p = `p${n++}`;
      params[p] = JSON.stringify(value);
      sql = `json_set(${sql}, '$.${key}', json(@${p}))`;
    }
  }
  return { sql, params };
}

/** SqliteError comes from the native module (another realm under jest), so it is narrowed by shape. */
function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) || (typeof message === 'string' && message.includes('UNIQUE constraint'));
}

function pickRequestColumns(req: ActionRequest) {
  return { id: req.id, channel: req.channel, status: req.status, createdAt: req.createdAt, expiresAt: req.expiresAt };
}

function scanFromRow(row: ScanRow): ScanRecord {
  const scan: ScanRecord = {
    id: row.id,
    channel: row.channel,
    threadTs: row.thread_ts,
    requestedBy: row.requested_by,
    startedAt: row.started_at,
    status: row.status,
  };
  if (row.result !== null) scan.result = JSON.parse(row.result) as ScanRecord['result'];
  return scan;
}

function auditFromRow(row: AuditRow): AuditEntry {
  const entry: AuditEntry = { seq: row.seq, at: row.at, kind: row.kind, data: JSON.parse(row.data) as Record<string, unknown> };
  if (row.channel !== null) entry.channel = row.channel;
  if (row.user !== null) entry.user = row.user;
  if (row.request_id !== null) entry.requestId = row.request_id;
  if (row.scan_id !== null) entry.scanId = row.scan_id;
  return entry;
}
