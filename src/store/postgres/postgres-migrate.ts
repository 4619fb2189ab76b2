/**
 * Applies the PostgreSQL migrations on start, one replica at a time: a session-level advisory lock
 * (held on one dedicated connection) serialises replicas starting together, and each migration runs
 * in its own transaction with its record, so a replica that dies half-way leaves nothing half-applied.
 * A replica that finds every migration applied needs no DDL privilege at all (least-privilege roles).
 */
import type { Pool, PoolClient } from 'pg';
import { loadMigrations, migrationsDir } from '../migrations';

/** The advisory lock's key: "aws-ir m" as a 64-bit number, so unrelated applications' locks do not collide. */
export const MIGRATION_LOCK_KEY = '7022344490891258989';

export async function migratePostgres(pool: Pool, now: () => Date = () => new Date()): Promise<number[]> {
  const migrations = loadMigrations(migrationsDir('postgres'));
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await applyMissing(client, migrations, now);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function applyMissing(client: PoolClient, migrations: ReturnType<typeof loadMigrations>, now: () => Date): Promise<number[]> {
  const exists = await client.query<{ found: string | null }>("SELECT to_regclass('migrations')::text AS found");
  if (!exists.rows[0]?.found)
    await client.query('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set((await client.query<{ version: number }>('SELECT version FROM migrations')).rows.map((r) => r.version));
  const done: number[] = [];
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(m.sql);
      await client.query('INSERT INTO migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now().toISOString()]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    done.push(m.version);
  }
  return done;
}
