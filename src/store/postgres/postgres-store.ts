/**
 * The Store on PostgreSQL (node-postgres with its pool), for several replicas sharing one database or a
 * team's managed database. DATABASE_URL=postgres://… selects it (store-from-config.ts). Same contract
 * and same records as SQLite: every write that decides something is one conditional statement whose
 * row count says whether this caller won, so no correctness rests on a replica's memory.
 *
 * Connecting and migrating start in the constructor; every method waits for them, and `ping()` (called
 * at start-up) reports a database that cannot be used as one sentence without the URL's secret.
 */
import { Pool, type PoolConfig, type QueryResultRow } from 'pg';
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
} from '../model';
import { StoreError } from '../store-errors';
import type { Lease, NewScan, ScanEnd, Store, Takeover } from '../store';
import { postgresTarget, type PostgresTarget } from './connection';
import { postgresUnavailable } from './postgres-errors';
import { migratePostgres } from './postgres-migrate';

export interface PostgresStoreOptions {
  /** Connections per process (AWS_IR_DATABASE_POOL_SIZE). */
  poolSize?: number;
  /** How long to wait for a connection before calling the server unreachable. */
  connectTimeoutMs?: number;
}

interface ScanRow {
  id: string;
  channel: string;
  thread_ts: string | null;
  requested_by: string;
  started_at: string;
  status: ScanStatus;
  result: ScanRecord['result'] | null;
  owner: ProcessOwner | null;
  lease_until: string | null;
  finished_at: string | null;
  reason: string | null;
  sweep: NonNullable<ScanRecord['sweep']> | null;
}

interface AuditRow {
  seq: string;
  at: string;
  channel: string | null;
  user: string | null;
  kind: AuditEntry['kind'];
  request_id: string | null;
  scan_id: string | null;
  data: Record<string, unknown>;
}

/** A JSON patch of top-level fields: `set` replaces values (objects whole), `remove` drops keys. */
interface JsonPatch {
  set: string;
  remove: string[];
}

function jsonPatchOf(patch: Partial<ActionRequest> | Partial<OpenItem>): JsonPatch {
  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id') continue;
    if (value === undefined) remove.push(key);
    else set[key] = value;
  }
  return { set: JSON.stringify(set), remove };
}

/** The request after the patch in parameters $2 (set) and $3 (remove), and the copied-out columns kept in step with it. */
const PATCHED = '((data || $2::jsonb) - $3::text[])';
const REQUEST_COLUMNS = `data = ${PATCHED}, status = ${PATCHED}->>'status', expires_at = ${PATCHED}->>'expiresAt',
  owner_id = ${PATCHED}#>>'{executor,id}', lease_until = ${PATCHED}->>'leaseUntil', announced_at = ${PATCHED}->>'announcedAt',
  break_glass_by = ${PATCHED}#>>'{breakGlass,by}', reviewed_at = ${PATCHED}->>'reviewedAt'`;

export class PostgresStore implements Store {
  private readonly pool: Pool;
  readonly target: PostgresTarget;
  private readonly ready: Promise<number[]>;

  constructor(url: string, options: PostgresStoreOptions = {}) {
    this.target = postgresTarget(url);
    const config: PoolConfig = {
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      idleTimeoutMillis: 30_000,
      application_name: 'aws-ir',
    };
    this.pool = new Pool(config);
    // An idle connection the server drops (restart, failover) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.ready = migratePostgres(this.pool).catch((err: unknown) => {
      throw postgresUnavailable(this.target, err);
    });
    // Awaited by every method; marked handled here so a failed start is reported once, by whoever asks.
    this.ready.catch(() => undefined);
  }

  /** Versions applied by this process's start (empty when another replica had applied them). */
  async migrated(): Promise<number[]> {
    return this.ready;
  }

  async appliedMigrations(): Promise<number[]> {
    const rows = await this.rows<{ version: number }>('SELECT version FROM migrations ORDER BY version');
    return rows.map((r) => r.version);
  }

  private async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<{ rows: R[]; rowCount: number }> {
    await this.ready;
    try {
      const res = await this.pool.query<R>(sql, params);
      return { rows: res.rows, rowCount: res.rowCount ?? 0 };
    } catch (err) {
      throw this.failure(err);
    }
  }

  private async rows<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  private async changed(sql: string, params: unknown[]): Promise<boolean> {
    return (await this.query(sql, params)).rowCount === 1;
  }

  /** Connection-level failures become the one-sentence error; SQL errors (bugs, constraint races) stay as they are. */
  private failure(err: unknown): unknown {
    const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
    if (typeof code === 'string' && /^(08|28|3D|53|57P)/.test(code)) return postgresUnavailable(this.target, err);
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return postgresUnavailable(this.target, err);
    return err;
  }

  async claimScan(scan: NewScan): Promise<boolean> {
    // The partial unique index (one running scan per channel) is the compare; DO NOTHING makes losing quiet.
    return this.changed(
      `INSERT INTO scans (id, channel, thread_ts, requested_by, started_at, status, owner, owner_id, lease_until, sweep)
       VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [
        scan.id,
        scan.channel,
        scan.threadTs ?? null,
        scan.requestedBy,
        scan.startedAt,
        JSON.stringify(scan.owner),
        scan.owner.id,
        scan.leaseUntil,
        scan.sweep === undefined ? null : JSON.stringify(scan.sweep),
      ],
    );
  }

  async saveSweepAccount(scanId: string, record: SweepAccountRecord, savedAt: string): Promise<void> {
    // Replacing keeps the row's first position, so the list stays in the order accounts were first saved.
    await this.query(
      `INSERT INTO sweep_accounts (scan_id, account, status, saved_at, data) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (scan_id, account) DO UPDATE SET status = excluded.status, saved_at = excluded.saved_at, data = excluded.data`,
      [scanId, record.account, record.status, savedAt, JSON.stringify(record)],
    );
  }

  async listSweepAccounts(scanId: string): Promise<SweepAccountRecord[]> {
    const rows = await this.rows<{ data: SweepAccountRecord }>('SELECT data FROM sweep_accounts WHERE scan_id = $1 ORDER BY ord', [scanId]);
    return rows.map((r) => r.data);
  }

  async setScanThread(id: string, threadTs: string): Promise<void> {
    await this.query('UPDATE scans SET thread_ts = $2 WHERE id = $1', [id, threadTs]);
  }

  async renewScanLease(id: string, ownerId: string, leaseUntil: string): Promise<boolean> {
    return this.changed(`UPDATE scans SET lease_until = $3 WHERE id = $1 AND owner_id = $2 AND status = 'running'`, [id, ownerId, leaseUntil]);
  }

  async finishScan(id: string, ownerId: string, end: ScanEnd): Promise<boolean> {
    return this.changed(
      `UPDATE scans SET status = $3, finished_at = $4, result = $5, reason = $6, lease_until = NULL
       WHERE id = $1 AND owner_id = $2 AND status IN ('running', 'interrupted')`,
      [id, ownerId, end.status, end.finishedAt, end.result === undefined ? null : JSON.stringify(end.result), end.reason ?? null],
    );
  }

  async interruptScan(id: string, takeover: Takeover, reason: string): Promise<boolean> {
    return this.changed(
      `UPDATE scans SET status = 'interrupted', finished_at = $4, reason = $5, lease_until = NULL
       WHERE id = $1 AND status = 'running' AND owner_id = $2 AND ($3 OR lease_until < $4)`,
      [id, takeover.ownerId, takeover.ownerGone, takeover.now, reason],
    );
  }

  async getScan(id: string): Promise<ScanRecord | undefined> {
    const [row] = await this.rows<ScanRow>('SELECT * FROM scans WHERE id = $1', [id]);
    return row && scanFromRow(row);
  }

  async latestScan(channel: string): Promise<ScanRecord | undefined> {
    const [row] = await this.rows<ScanRow>('SELECT * FROM scans WHERE channel = $1 ORDER BY started_at DESC, ord DESC LIMIT 1', [channel]);
    return row && scanFromRow(row);
  }

  async listScans(filter: { status?: ScanStatus; channel?: string }): Promise<ScanRecord[]> {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    return (await this.rows<ScanRow>(`SELECT * FROM scans ${where.sql} ORDER BY started_at, ord`, where.params)).map(scanFromRow);
  }

  async createRequest(req: ActionRequest): Promise<boolean> {
    try {
      return await this.changed(
        `INSERT INTO requests (id, channel, status, created_at, expires_at, idempotency_key, owner_id, lease_until, announced_at, undo_of, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
        [
          req.id,
          req.channel,
          req.status,
          req.createdAt,
          req.expiresAt,
          req.idempotencyKey ?? null,
          req.executor?.id ?? null,
          req.leaseUntil ?? null,
          req.announcedAt ?? null,
          req.undoOf ?? null,
          JSON.stringify(req),
        ],
      );
    } catch (err) {
      const constraint = typeof err === 'object' && err !== null && 'constraint' in err ? err.constraint : undefined;
      // Another live undo of the same request won (the partial unique index on undo_of).
      if (constraint === 'requests_one_live_undo') return false;
      if (constraint === 'requests_pkey') throw new StoreError(`Request ${req.id} already exists.`);
      throw err;
    }
  }

  async getRequest(id: string): Promise<ActionRequest | undefined> {
    const [row] = await this.rows<{ data: ActionRequest }>('SELECT data FROM requests WHERE id = $1', [id]);
    return row?.data;
  }

  async findRequestByKey(idempotencyKey: string): Promise<ActionRequest | undefined> {
    const [row] = await this.rows<{ data: ActionRequest }>('SELECT data FROM requests WHERE idempotency_key = $1', [idempotencyKey]);
    return row?.data;
  }

  async updateRequest(id: string, patch: Partial<Omit<ActionRequest, 'status'>>): Promise<void> {
    const { status: _ignored, ...rest } = patch as Partial<ActionRequest>;
    const p = jsonPatchOf(rest);
    await this.query(`UPDATE requests SET ${REQUEST_COLUMNS} WHERE id = $1`, [id, p.set, p.remove]);
  }

  async transitionRequest(id: string, from: RequestStatus, to: RequestStatus, patch: Partial<ActionRequest> = {}): Promise<boolean> {
    const p = jsonPatchOf({ ...patch, status: to });
    // One statement: the WHERE on the current status is the compare, the SET the swap (the row lock makes racers wait, then re-check).
    return this.changed(`UPDATE requests SET ${REQUEST_COLUMNS} WHERE id = $1 AND status = $4`, [id, p.set, p.remove, from]);
  }

  async finishExecution(id: string, ownerId: string, to: 'succeeded' | 'failed', patch: Partial<ActionRequest>): Promise<boolean> {
    const p = jsonPatchOf({ ...patch, status: to, leaseUntil: undefined });
    return this.changed(`UPDATE requests SET ${REQUEST_COLUMNS} WHERE id = $1 AND status = 'executing' AND owner_id = $4`, [id, p.set, p.remove, ownerId]);
  }

  async renewExecutionLease(id: string, ownerId: string, leaseUntil: string): Promise<boolean> {
    return this.changed(
      `UPDATE requests SET lease_until = $3, data = jsonb_set(data, '{leaseUntil}', to_jsonb($3::text))
       WHERE id = $1 AND status = 'executing' AND owner_id = $2`,
      [id, ownerId, leaseUntil],
    );
  }

  async interruptExecution(id: string, takeover: Takeover): Promise<boolean> {
    return this.changed(
      `UPDATE requests SET status = 'interrupted', lease_until = NULL,
         data = jsonb_set(data, '{status}', '"interrupted"') - 'leaseUntil'
       WHERE id = $1 AND status = 'executing' AND (owner_id = $2 OR owner_id IS NULL)
         AND ($3 OR owner_id IS NULL OR lease_until IS NULL OR lease_until < $4)`,
      [id, takeover.ownerId, takeover.ownerGone, takeover.now],
    );
  }

  async claimAnnouncement(id: string, at: string): Promise<boolean> {
    return this.changed(
      `UPDATE requests SET announced_at = $2, data = jsonb_set(data, '{announcedAt}', to_jsonb($2::text))
       WHERE id = $1 AND status = 'interrupted' AND announced_at IS NULL`,
      [id, at],
    );
  }

  async recordApproval(requestId: string, approval: Approval, freshSince: string): Promise<boolean> {
    // The primary key (request, user) counts each person once; a repeat only refreshes a stale approval.
    const recorded = await this.changed(
      `INSERT INTO approvals (request_id, "user", approved_at, break_glass)
       SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM requests WHERE id = $1 AND status = 'pending')
       ON CONFLICT (request_id, "user") DO UPDATE SET approved_at = excluded.approved_at, break_glass = excluded.break_glass
       WHERE approvals.approved_at < $5`,
      [requestId, approval.user, approval.at, approval.breakGlass === true, freshSince],
    );
    // The request's copy is for display; a statement after the insert sees every approval committed so far.
    await this.query(
      `UPDATE requests SET data = jsonb_set(data, '{approvals}', COALESCE((
         SELECT jsonb_agg(jsonb_build_object('user', a."user", 'at', a.approved_at, 'breakGlass', a.break_glass) ORDER BY a.approved_at, a.ord)
         FROM approvals a WHERE a.request_id = $1), '[]'::jsonb))
       WHERE id = $1`,
      [requestId],
    );
    return recorded;
  }

  async startApprovedExecution(id: string, rule: { needed: number; freshSince: string }, patch: Partial<ActionRequest>): Promise<boolean> {
    const p = jsonPatchOf({ ...patch, status: 'executing' });
    // The compare counts fresh approvals by people other than the requester in the same statement as the swap;
    // each approver runs this after their own approval committed, so the last of them sees every one.
    return this.changed(
      `UPDATE requests SET ${REQUEST_COLUMNS} WHERE id = $1 AND status = 'pending'
         AND (SELECT COUNT(*) FROM approvals a WHERE a.request_id = $1 AND a.approved_at >= $4
              AND a."user" <> requests.data->>'requestedBy') >= $5`,
      [id, p.set, p.remove, rule.freshSince, rule.needed],
    );
  }

  async listUnreviewed(channel: string): Promise<ActionRequest[]> {
    const rows = await this.rows<{ data: ActionRequest }>(
      'SELECT data FROM requests WHERE channel = $1 AND break_glass_by IS NOT NULL AND reviewed_at IS NULL ORDER BY created_at, ord',
      [channel],
    );
    return rows.map((r) => r.data);
  }

  async markReviewed(id: string, by: string, at: string): Promise<boolean> {
    return this.changed(
      `UPDATE requests SET reviewed_at = $3, data = data || jsonb_build_object('reviewedAt', $3::text, 'reviewedBy', $2::text)
       WHERE id = $1 AND break_glass_by IS NOT NULL AND break_glass_by <> $2 AND reviewed_at IS NULL`,
      [id, by, at],
    );
  }

  async listRequests(filter: { status?: RequestStatus; channel?: string }): Promise<ActionRequest[]> {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    return (await this.rows<{ data: ActionRequest }>(`SELECT data FROM requests ${where.sql} ORDER BY created_at, ord`, where.params)).map((r) => r.data);
  }

  async appendAudit(entry: AuditEntry): Promise<number> {
    const [row] = await this.rows<{ seq: string }>(
      `INSERT INTO audit (at, channel, "user", kind, request_id, scan_id, data) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq`,
      [entry.at, entry.channel ?? null, entry.user ?? null, entry.kind, entry.requestId ?? null, entry.scanId ?? null, JSON.stringify(entry.data ?? {})],
    );
    return Number(row!.seq);
  }

  async listAudit(filter: { channel?: string; requestId?: string; scanId?: string }): Promise<AuditEntry[]> {
    const where = whereOf(filter, { channel: 'channel', requestId: 'request_id', scanId: 'scan_id' });
    return (await this.rows<AuditRow>(`SELECT * FROM audit ${where.sql} ORDER BY seq`, where.params)).map(auditFromRow);
  }

  async addOpenItem(item: OpenItem): Promise<boolean> {
    return this.changed(
      `INSERT INTO open_items (id, channel, key, status, created_at, data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (channel, key) DO NOTHING`,
      [item.id, item.channel, item.key, item.status, item.createdAt, JSON.stringify(item)],
    );
  }

  async getOpenItem(id: string): Promise<OpenItem | undefined> {
    const [row] = await this.rows<{ data: OpenItem }>('SELECT data FROM open_items WHERE id = $1', [id]);
    return row?.data;
  }

  async listOpenItems(filter: { channel?: string; status?: OpenItemStatus }): Promise<OpenItem[]> {
    const where = whereOf(filter, { status: 'status', channel: 'channel' });
    return (await this.rows<{ data: OpenItem }>(`SELECT data FROM open_items ${where.sql} ORDER BY created_at, ord`, where.params)).map((r) => r.data);
  }

  async transitionOpenItem(id: string, from: OpenItemStatus, to: OpenItemStatus, patch: Partial<OpenItem> = {}): Promise<boolean> {
    const p = jsonPatchOf({ ...patch, status: to });
    return this.changed(`UPDATE open_items SET status = $5, data = ${PATCHED} WHERE id = $1 AND status = $4`, [id, p.set, p.remove, from, to]);
  }

  async claimLease(name: string, owner: ProcessOwner, until: string, now: string, goneOwnerId?: string): Promise<boolean> {
    return this.changed(
      `INSERT INTO leases AS l (name, owner_id, owner, lease_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (name) DO UPDATE SET owner_id = EXCLUDED.owner_id, owner = EXCLUDED.owner, lease_until = EXCLUDED.lease_until
       WHERE l.owner_id = $2 OR l.lease_until < $5 OR l.owner_id = $6`,
      [name, owner.id, JSON.stringify(owner), until, now, goneOwnerId ?? null],
    );
  }

  async releaseLease(name: string, ownerId: string): Promise<void> {
    await this.query('DELETE FROM leases WHERE name = $1 AND owner_id = $2', [name, ownerId]);
  }

  async getLease(name: string): Promise<Lease | undefined> {
    const [row] = await this.rows<{ owner: ProcessOwner; lease_until: string }>('SELECT owner, lease_until FROM leases WHERE name = $1', [name]);
    return row && { name, owner: row.owner, leaseUntil: row.lease_until };
  }

  async reservePostSlot(channel: string, nowMs: number, intervalMs: number): Promise<number> {
    const [row] = await this.rows<{ slot: string }>(
      `INSERT INTO channel_schedule AS s (channel, next_slot_ms) VALUES ($1, $2::bigint + $3::bigint)
       ON CONFLICT (channel) DO UPDATE SET next_slot_ms = GREATEST(s.next_slot_ms, $2::bigint) + $3::bigint
       RETURNING s.next_slot_ms - $3::bigint AS slot`,
      [channel, Math.floor(nowMs), Math.floor(intervalMs)],
    );
    return Number(row!.slot);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end().catch(() => undefined);
  }
}

/** A WHERE clause matching every filter field that is set, with $n parameters; `columns` names each field's column. */
function whereOf<F extends Record<string, string | undefined>>(filter: F, columns: { [K in keyof F]-?: string }): { sql: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  for (const field of Object.keys(columns) as (keyof F & string)[]) {
    const value = filter[field];
    if (!value) continue;
    params.push(value);
    where.push(`${columns[field]} = $${params.length}`);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

function scanFromRow(row: ScanRow): ScanRecord {
  const scan: ScanRecord = { id: row.id, channel: row.channel, requestedBy: row.requested_by, startedAt: row.started_at, status: row.status };
  if (row.thread_ts !== null) scan.threadTs = row.thread_ts;
  if (row.result !== null) scan.result = row.result;
  if (row.owner !== null) scan.owner = row.owner;
  if (row.lease_until !== null) scan.leaseUntil = row.lease_until;
  if (row.finished_at !== null) scan.finishedAt = row.finished_at;
  if (row.reason !== null) scan.reason = row.reason;
  if (row.sweep !== null && row.sweep !== undefined) scan.sweep = row.sweep;
  return scan;
}

function auditFromRow(row: AuditRow): AuditEntry {
  const entry: AuditEntry = { seq: Number(row.seq), at: row.at, kind: row.kind, data: row.data };
  if (row.channel !== null) entry.channel = row.channel;
  if (row.user !== null) entry.user = row.user;
  if (row.request_id !== null) entry.requestId = row.request_id;
  if (row.scan_id !== null) entry.scanId = row.scan_id;
  return entry;
}
