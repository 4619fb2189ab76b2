/**
 * The default Store: one SQLite file (better-sqlite3, WAL). better-sqlite3 is synchronous; the
 * methods return Promises to keep the contract a server database implements too. Every write that
 * decides something is one statement, run under SQLite's write lock, so of several processes sharing
 * the file exactly one wins.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type {
  ActionRequest,
  Approval,
  AuditEntry,
  OpenItem,
  OpenItemStatus,
  ProcessOwner,
  RequestStatus,
  ScanRecord,
  ScanStatus,
  SweepAccountRecord,
} from './model';
import { loadMigrations, migrationsDir } from './migrations';
import { StoreError } from './store-errors';
import { storeUnavailable } from './store-open-errors';
import type { Lease, NewScan, ScanEnd, Store, Takeover } from './store';

interface ScanRow {
  id: string;
  channel: string;
  thread_ts: string | null;
  requested_by: string;
  started_at: string;
  status: ScanStatus;
  result: string | null;
  owner: string | null;
  lease_until: string | null;
  finished_at: string | null;
  reason: string | null;
  sweep: string | null;
}

interface DataRow {
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

/** The request columns kept in step with its JSON whenever the JSON changes. */
function requestColumns(json: string): string {
  return `data = ${json}, status = json_extract(${json}, '$.status'), expires_at = json_extract(${json}, '$.expiresAt'),
    owner_id = json_extract(${json}, '$.executor.id'), lease_until = json_extract(${json}, '$.leaseUntil'),
    announced_at = json_extract(${json}, '$.announcedAt'), break_glass_by = json_extract(${json}, '$.breakGlass.by'),
    reviewed_at = json_extract(${json}, '$.reviewedAt')`;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;

  /** `dbPath` is a file (its folder is created) or ':memory:' for tests. */
  constructor(readonly dbPath: string) {
    try {
      if (dbPath !== ':memory:' && !dbPath.startsWith('file:')) fs.mkdirSync(path.dirname(path.resolve(dbPath)), { recursive: true });
      this.db = new Database(dbPath);
      this.db.pragma('journal_mode = WAL');
      // A second process (CLI export or scan while the app runs, another replica) waits for the writer instead of failing.
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('foreign_keys = ON');
      this.migrate();
    } catch (err) {
      throw storeUnavailable(dbPath, err);
    }
  }

  /** Applies every numbered migration not yet recorded, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    const applied = new Set((this.db.prepare('SELECT version FROM migrations').all() as { version: number }[]).map((r) => r.version));
    const record = this.db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of loadMigrations(migrationsDir('sqlite'))) {
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

  async claimScan(scan: NewScan): Promise<boolean> {
    // The partial unique index (one running scan per channel) is the compare; DO NOTHING makes losing quiet.
    const info = this.db
      .prepare(
        `INSERT INTO scans (id, channel, thread_ts, requested_by, started_at, status, owner, owner_id, lease_until, sweep)
         VALUES (@id, @channel, @threadTs, @requestedBy, @startedAt, 'running', @owner, @ownerId, @leaseUntil, @sweep)
         ON CONFLICT DO NOTHING`,
      )
      .run({
        id: scan.id,
        channel: scan.channel,
        threadTs: scan.threadTs ?? null,
        requestedBy: scan.requestedBy,
        startedAt: scan.startedAt,
        owner: JSON.stringify(scan.owner),
        ownerId: scan.owner.id,
        leaseUntil: scan.leaseUntil,
        sweep: scan.sweep === undefined ? null : JSON.stringify(scan.sweep),
      });
    return info.changes === 1;
  }

  async saveSweepAccount(scanId: string, record: SweepAccountRecord, savedAt: string): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sweep_accounts (scan_id, account, status, saved_at, data) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scan_id, account) DO UPDATE SET status = excluded.status, saved_at = excluded.saved_at, data = excluded.data`,
      )
      .run(scanId, record.account, record.status, savedAt, JSON.stringify(record));
  }

  async listSweepAccounts(scanId: string): Promise<SweepAccountRecord[]> {
    const rows = this.db.prepare('SELECT data FROM sweep_accounts WHERE scan_id = ? ORDER BY rowid').all(scanId) as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as SweepAccountRecord);
  }

  async setScanThread(id: string, threadTs: string): Promise<void> {
    this.db.prepare('UPDATE scans SET thread_ts = ? WHERE id = ?').run(threadTs, id);
  }

  async renewScanLease(id: string, ownerId: string, leaseUntil: string): Promise<boolean> {
    const info = this.db.prepare(`UPDATE scans SET lease_until = ? WHERE id = ? AND owner_id = ? AND status = 'running'`).run(leaseUntil, id, ownerId);
    return info.changes === 1;
  }

  async finishScan(id: string, ownerId: string, end: ScanEnd): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE scans SET status = @status, finished_at = @finishedAt, result = @result, reason = @reason, lease_until = NULL
         WHERE id = @id AND owner_id = @ownerId AND status IN ('running', 'interrupted')`,
      )
      .run({
        id,
        ownerId,
        status: end.status,
        finishedAt: end.finishedAt,
        result: end.result === undefined ? null : JSON.stringify(end.result),
        reason: end.reason ?? null,
      });
    return info.changes === 1;
  }

  async interruptScan(id: string, takeover: Takeover, reason: string): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE scans SET status = 'interrupted', finished_at = @now, reason = @reason, lease_until = NULL
         WHERE id = @id AND status = 'running' AND owner_id = @ownerId AND (@ownerGone = 1 OR lease_until < @now)`,
      )
      .run({ id, reason, ownerId: takeover.ownerId, ownerGone: takeover.ownerGone ? 1 : 0, now: takeover.now });
    return info.changes === 1;
  }

  async getScan(id: string): Promise<ScanRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM scans WHERE id = ?').get(id) as ScanRow | undefined;
    return row && scanFromRow(row);
  }

  async latestScan(channel: string): Promise<ScanRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM scans WHERE channel = ? ORDER BY started_at DESC, rowid DESC LIMIT 1').get(channel) as ScanRow | undefined;
    return row && scanFromRow(row);
  }

  async listScans(filter: { status?: ScanStatus; channel?: string }): Promise<ScanRecord[]> {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    return (this.db.prepare(`SELECT * FROM scans ${where.sql} ORDER BY started_at, rowid`).all(where.params) as ScanRow[]).map(scanFromRow);
  }

  async createRequest(req: ActionRequest): Promise<boolean> {
    try {
      const info = this.db
        .prepare(
          `INSERT INTO requests (id, channel, status, created_at, expires_at, idempotency_key, owner_id, lease_until, announced_at, undo_of, data)
           VALUES (@id, @channel, @status, @createdAt, @expiresAt, @idempotencyKey, @ownerId, @leaseUntil, @announcedAt, @undoOf, @data)
           ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
        )
        .run({
          id: req.id,
          channel: req.channel,
          status: req.status,
          createdAt: req.createdAt,
          expiresAt: req.expiresAt,
          idempotencyKey: req.idempotencyKey ?? null,
          ownerId: req.executor?.id ?? null,
          leaseUntil: req.leaseUntil ?? null,
          announcedAt: req.announcedAt ?? null,
          undoOf: req.undoOf ?? null,
          data: JSON.stringify(req),
        });
      return info.changes === 1;
    } catch (err) {
      // The partial unique index on undo_of: another live undo of the same request won.
      if (isUniqueViolation(err) && messageOf(err).includes('requests.undo_of')) return false;
      if (isUniqueViolation(err)) throw new StoreError(`Request ${req.id} already exists.`);
      throw err;
    }
  }

  async getRequest(id: string): Promise<ActionRequest | undefined> {
    const row = this.db.prepare('SELECT data FROM requests WHERE id = ?').get(id) as DataRow | undefined;
    return row && (JSON.parse(row.data) as ActionRequest);
  }

  async findRequestByKey(idempotencyKey: string): Promise<ActionRequest | undefined> {
    const row = this.db.prepare('SELECT data FROM requests WHERE idempotency_key = ?').get(idempotencyKey) as DataRow | undefined;
    return row && (JSON.parse(row.data) as ActionRequest);
  }

  async updateRequest(id: string, patch: Partial<Omit<ActionRequest, 'status'>>): Promise<void> {
    const { status: _ignored, ...rest } = patch as Partial<ActionRequest>;
    const set = jsonSetOf(rest);
    this.db.prepare(`UPDATE requests SET ${requestColumns(set.sql)} WHERE id = @id`).run({ id, ...set.params });
  }

  async transitionRequest(id: string, from: RequestStatus, to: RequestStatus, patch: Partial<ActionRequest> = {}): Promise<boolean> {
    const set = jsonSetOf({ ...patch, status: to });
    // One statement: the WHERE on the current status is the compare, the SET the swap.
    const info = this.db.prepare(`UPDATE requests SET ${requestColumns(set.sql)} WHERE id = @id AND status = @from`).run({ id, from, ...set.params });
    return info.changes === 1;
  }

  async finishExecution(id: string, ownerId: string, to: 'succeeded' | 'failed', patch: Partial<ActionRequest>): Promise<boolean> {
    const set = jsonSetOf({ ...patch, status: to, leaseUntil: undefined });
    const info = this.db
      .prepare(`UPDATE requests SET ${requestColumns(set.sql)} WHERE id = @id AND status = 'executing' AND owner_id = @ownerId`)
      .run({ id, ownerId, ...set.params });
    return info.changes === 1;
  }

  async renewExecutionLease(id: string, ownerId: string, leaseUntil: string): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE requests SET lease_until = @leaseUntil, data = json_set(data, '$.leaseUntil', @leaseUntil)
         WHERE id = @id AND status = 'executing' AND owner_id = @ownerId`,
      )
      .run({ id, ownerId, leaseUntil });
    return info.changes === 1;
  }

  async interruptExecution(id: string, takeover: Takeover): Promise<boolean> {
    // Requests a version without executors left executing have no owner: they are taken over like a dead one's.
    const info = this.db
      .prepare(
        `UPDATE requests SET status = 'interrupted', lease_until = NULL,
           data = json_remove(json_set(data, '$.status', 'interrupted'), '$.leaseUntil')
         WHERE id = @id AND status = 'executing' AND (owner_id = @ownerId OR owner_id IS NULL)
           AND (@ownerGone = 1 OR owner_id IS NULL OR lease_until IS NULL OR lease_until < @now)`,
      )
      .run({ id, ownerId: takeover.ownerId, ownerGone: takeover.ownerGone ? 1 : 0, now: takeover.now });
    return info.changes === 1;
  }

  async claimAnnouncement(id: string, at: string): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE requests SET announced_at = @at, data = json_set(data, '$.announcedAt', @at)
         WHERE id = @id AND status = 'interrupted' AND announced_at IS NULL`,
      )
      .run({ id, at });
    return info.changes === 1;
  }

  async listRequests(filter: { status?: RequestStatus; channel?: string }): Promise<ActionRequest[]> {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    const sql = `SELECT data FROM requests ${where.sql} ORDER BY created_at, rowid`;
    return (this.db.prepare(sql).all(where.params) as DataRow[]).map((r) => JSON.parse(r.data) as ActionRequest);
  }

  async recordApproval(requestId: string, approval: Approval, freshSince: string): Promise<boolean> {
    return this.db.transaction(() => {
      // The primary key (request, user) counts each person once; a repeat only refreshes a stale approval.
      const info = this.db
        .prepare(
          `INSERT INTO approvals (request_id, user, approved_at, break_glass)
           SELECT @requestId, @user, @at, @breakGlass WHERE EXISTS (SELECT 1 FROM requests WHERE id = @requestId AND status = 'pending')
           ON CONFLICT (request_id, user) DO UPDATE SET approved_at = excluded.approved_at, break_glass = excluded.break_glass
           WHERE approvals.approved_at < @freshSince`,
        )
        .run({ requestId, user: approval.user, at: approval.at, breakGlass: approval.breakGlass ? 1 : 0, freshSince });
      this.db
        .prepare(
          `UPDATE requests SET data = json_set(data, '$.approvals', (
             SELECT json_group_array(json_object('user', user, 'at', approved_at, 'breakGlass', json(CASE break_glass WHEN 1 THEN 'true' ELSE 'false' END)))
             FROM (SELECT * FROM approvals WHERE request_id = @requestId ORDER BY approved_at, rowid)))
           WHERE id = @requestId`,
        )
        .run({ requestId });
      return info.changes === 1;
    })();
  }

  async startApprovedExecution(id: string, rule: { needed: number; freshSince: string }, patch: Partial<ActionRequest>): Promise<boolean> {
    const set = jsonSetOf({ ...patch, status: 'executing' });
    // The compare counts fresh approvals by people other than the requester in the same statement as the swap.
    const info = this.db
      .prepare(
        `UPDATE requests SET ${requestColumns(set.sql)} WHERE id = @id AND status = 'pending'
           AND (SELECT COUNT(*) FROM approvals a WHERE a.request_id = @id AND a.approved_at >= @freshSince
                AND a.user != json_extract(requests.data, '$.requestedBy')) >= @needed`,
      )
      .run({ id, needed: rule.needed, freshSince: rule.freshSince, ...set.params });
    return info.changes === 1;
  }

  async listUnreviewed(channel: string): Promise<ActionRequest[]> {
    const rows = this.db
      .prepare('SELECT data FROM requests WHERE channel = ? AND break_glass_by IS NOT NULL AND reviewed_at IS NULL ORDER BY created_at, rowid')
      .all(channel) as DataRow[];
    return rows.map((r) => JSON.parse(r.data) as ActionRequest);
  }

  async markReviewed(id: string, by: string, at: string): Promise<boolean> {
    const info = this.db
      .prepare(
        `UPDATE requests SET reviewed_at = @at, data = json_set(data, '$.reviewedAt', @at, '$.reviewedBy', @by)
         WHERE id = @id AND break_glass_by IS NOT NULL AND break_glass_by != @by AND reviewed_at IS NULL`,
      )
      .run({ id, by, at });
    return info.changes === 1;
  }

  async appendAudit(entry: AuditEntry): Promise<number> {
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

  async listAudit(filter: { channel?: string; requestId?: string; scanId?: string }): Promise<AuditEntry[]> {
    const where = whereOf(filter, { channel: 'channel', requestId: 'request_id', scanId: 'scan_id' });
    return (this.db.prepare(`SELECT * FROM audit ${where.sql} ORDER BY seq`).all(where.params) as AuditRow[]).map(auditFromRow);
  }

  async addOpenItem(item: OpenItem): Promise<boolean> {
    const info = this.db
      .prepare(
        `INSERT INTO open_items (id, channel, key, status, created_at, data)
         VALUES (@id, @channel, @key, @status, @createdAt, @data)
         ON CONFLICT(channel, key) DO NOTHING`,
      )
      .run({ id: item.id, channel: item.channel, key: item.key, status: item.status, createdAt: item.createdAt, data: JSON.stringify(item) });
    return info.changes === 1;
  }

  async getOpenItem(id: string): Promise<OpenItem | undefined> {
    const row = this.db.prepare('SELECT data FROM open_items WHERE id = ?').get(id) as DataRow | undefined;
    return row && (JSON.parse(row.data) as OpenItem);
  }

  async listOpenItems(filter: { channel?: string; status?: OpenItemStatus }): Promise<OpenItem[]> {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    const sql = `SELECT data FROM open_items ${where.sql} ORDER BY created_at, rowid`;
    return (this.db.prepare(sql).all(where.params) as DataRow[]).map((r) => JSON.parse(r.data) as OpenItem);
  }

  async transitionOpenItem(id: string, from: OpenItemStatus, to: OpenItemStatus, patch: Partial<OpenItem> = {}): Promise<boolean> {
    const set = jsonSetOf({ ...patch, status: to });
    const info = this.db
      .prepare(`UPDATE open_items SET status = @to, data = ${set.sql} WHERE id = @id AND status = @from`)
      .run({ id, from, to, ...set.params });
    return info.changes === 1;
  }

  async claimLease(name: string, owner: ProcessOwner, until: string, now: string, goneOwnerId?: string): Promise<boolean> {
    const info = this.db
      .prepare(
        `INSERT INTO leases (name, owner_id, owner, lease_until) VALUES (@name, @ownerId, @owner, @until)
         ON CONFLICT (name) DO UPDATE SET owner_id = excluded.owner_id, owner = excluded.owner, lease_until = excluded.lease_until
         WHERE leases.owner_id = @ownerId OR leases.lease_until < @now OR leases.owner_id = @goneOwnerId`,
      )
      .run({ name, ownerId: owner.id, owner: JSON.stringify(owner), until, now, goneOwnerId: goneOwnerId ?? null });
    return info.changes === 1;
  }

  async releaseLease(name: string, ownerId: string): Promise<void> {
    this.db.prepare('DELETE FROM leases WHERE name = ? AND owner_id = ?').run(name, ownerId);
  }

  async getLease(name: string): Promise<Lease | undefined> {
    const row = this.db.prepare('SELECT owner, lease_until FROM leases WHERE name = ?').get(name) as { owner: string; lease_until: string } | undefined;
    return row && { name, owner: JSON.parse(row.owner) as ProcessOwner, leaseUntil: row.lease_until };
  }

  async reservePostSlot(channel: string, nowMs: number, intervalMs: number): Promise<number> {
    const row = this.db
      .prepare(
        `INSERT INTO channel_schedule (channel, next_slot_ms) VALUES (@channel, @nowMs + @intervalMs)
         ON CONFLICT (channel) DO UPDATE SET next_slot_ms = max(channel_schedule.next_slot_ms, @nowMs) + @intervalMs
         RETURNING next_slot_ms - @intervalMs AS slot`,
      )
      .get({ channel, nowMs: Math.floor(nowMs), intervalMs: Math.floor(intervalMs) }) as { slot: number };
    return Number(row.slot);
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
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

function messageOf(err: unknown): string {
  const message = typeof err === 'object' && err !== null && 'message' in err ? err.message : undefined;
  return typeof message === 'string' ? message : '';
}

/** SqliteError comes from the native module (another realm under jest), so it is narrowed by shape. */
function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = 'code' in err ? err.code : undefined;
  const message = 'message' in err ? err.message : undefined;
  return (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) || (typeof message === 'string' && message.includes('UNIQUE constraint'));
}

function scanFromRow(row: ScanRow): ScanRecord {
  const scan: ScanRecord = { id: row.id, channel: row.channel, requestedBy: row.requested_by, startedAt: row.started_at, status: row.status };
  if (row.thread_ts !== null) scan.threadTs = row.thread_ts;
  if (row.result !== null) scan.result = JSON.parse(row.result) as ScanRecord['result'];
  if (row.owner !== null) scan.owner = JSON.parse(row.owner) as ProcessOwner;
  if (row.lease_until !== null) scan.leaseUntil = row.lease_until;
  if (row.finished_at !== null) scan.finishedAt = row.finished_at;
  if (row.reason !== null) scan.reason = row.reason;
  if (row.sweep !== null && row.sweep !== undefined) scan.sweep = JSON.parse(row.sweep) as NonNullable<ScanRecord['sweep']>;
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
