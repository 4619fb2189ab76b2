/**
 * PostgreSQL for tests: AWS_IR_TEST_DATABASE_URL names a server (scripts/test.sh starts a throwaway one
 * when none is given). Each store gets its own schema, so tests are isolated and run in parallel on one
 * database. Without a server the PostgreSQL tests skip, loudly; in CI (CI=true) they fail instead.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const TEST_DATABASE_URL = process.env.AWS_IR_TEST_DATABASE_URL?.trim() || undefined;

const REASON = 'AWS_IR_TEST_DATABASE_URL is unset and no PostgreSQL server was started: the PostgreSQL tests are SKIPPED (scripts/test.sh starts one).';

/** `describe` when a server is configured; otherwise a loud skip, or a failure in CI. */
export function describePostgres(name: string, fn: () => void): void {
  if (TEST_DATABASE_URL) {
    describe(name, fn);
    return;
  }
  if (process.env.CI) {
    describe(name, () => {
      it('needs PostgreSQL', () => {
        throw new Error(REASON);
      });
    });
    return;
  }
  process.stderr.write(`\n!!! ${REASON}\n\n`);
  describe.skip(name, fn);
}

export function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function adminQuery(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** A new empty schema; its URL selects it. `drop` removes it with everything in it. */
export async function freshSchema(prefix = 't'): Promise<{ schema: string; url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('no test database');
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  return { schema, url: withSearchPath(TEST_DATABASE_URL, schema), drop: async () => void (await adminQuery(`DROP SCHEMA ${schema} CASCADE`)) };
}
