/**
 * What only the PostgreSQL backend does, against a real server (AWS_IR_TEST_DATABASE_URL): migrations
 * applied by one replica at a time, the append-only audit enforced by the database, a least-privilege
 * role that can run the app but not rewrite the audit, and one sentence (without the URL's secret)
 * for each way the database can be unusable, at start-up as the operator sees it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { Client } from 'pg';
import { startFromEnvironment } from '../../../src/app';
import { main as cliMain } from '../../../src/cli/main';
import { PostgresStore } from '../../../src/store/postgres/postgres-store';
import { StoreUnavailableError } from '../../../src/store/store-errors';
import { startTestSlack } from '../../support/test-slack';
import { adminQuery, describePostgres, freshSchema, TEST_DATABASE_URL, withSearchPath } from '../../support/postgres';
import { pendingRequest } from '../../unit/remediation/helpers';

function urlWith(change: (u: URL) => void): string {
  const u = new URL(TEST_DATABASE_URL!);
  change(u);
  return u.toString();
}

const PASSWORD = () => decodeURIComponent(new URL(TEST_DATABASE_URL!).password);

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** The sentence a store that cannot be used gives at its first call. */
async function problemOf(url: string): Promise<string> {
  const store = new PostgresStore(url, { connectTimeoutMs: 5000 });
  try {
    await store.ping();
    throw new Error('expected the database to be unusable');
  } catch (err) {
    expect(err).toBeInstanceOf(StoreUnavailableError);
    return (err as StoreUnavailableError).message;
  } finally {
    await store.close();
  }
}

describePostgres('PostgreSQL backend', () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop();
  });

  async function schema(prefix: string) {
    const s = await freshSchema(prefix);
    drops.push(s.drop);
    return s;
  }

  it('applies the migrations once when several replicas start together (advisory lock around migration)', async () => {
    const { url } = await schema('migrate');
    const replicas = Array.from({ length: 5 }, () => new PostgresStore(url, { poolSize: 2 }));
    const applied = await Promise.all(replicas.map((r) => r.migrated()));
    // Exactly one replica applied them; the others waited on the lock and found nothing to do.
    expect(applied.filter((a) => a.length > 0)).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(await replicas[0]!.appliedMigrations()).toEqual([1, 2, 3, 4, 5, 6]);
    await Promise.all(replicas.map((r) => r.close()));
    const again = new PostgresStore(url);
    expect(await again.migrated()).toEqual([]);
    await again.close();
  });

  it("the command line's audit and timeline read the app's database (DATABASE_URL), not an empty SQLite file", async () => {
    const { url } = await schema('cli');
    const store = new PostgresStore(url);
    const request = pendingRequest({ id: 'req-cli', channel: 'C0CLI' });
    await store.createRequest(request);
    await store.appendAudit({ at: '2026-01-01T00:00:01.000Z', channel: 'C0CLI', user: 'U0ALICE', kind: 'request.created', requestId: request.id, data: {} });
    await store.close();
    const dir = mkdtempSync(join(tmpdir(), 'aws-ir-cli-'));
    // AWS_IR_DB_PATH names a file that does not exist: the commands must read PostgreSQL, not look for it.
    const env = { DATABASE_URL: url, AWS_IR_DB_PATH: join(dir, 'absent.db') };
    for (const command of ['timeline', 'audit']) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await cliMain([command, '--channel', 'C0CLI', '--format', 'json'], {
        env,
        out: (l) => out.push(l),
        err: (l) => err.push(l),
        interactive: false,
      });
      expect({ command, code, err }).toEqual({ command, code: 0, err: [] });
      expect(out.join('\n')).toContain('req-cli');
    }
    expect(existsSync(join(dir, 'absent.db'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit table, whoever asks', async () => {
    const { url } = await schema('audit');
    const store = new PostgresStore(url);
    await store.appendAudit({ at: 't', kind: 'request.created', requestId: 'req-1', data: {} });
    await store.close();
    const raw = new Client({ connectionString: url });
    await raw.connect();
    try {
      await expect(raw.query("UPDATE audit SET kind = 'x'")).rejects.toThrow(/append-only/);
      await expect(raw.query('DELETE FROM audit')).rejects.toThrow(/append-only/);
      await expect(raw.query('TRUNCATE audit')).rejects.toThrow(/append-only/);
      expect((await raw.query('SELECT count(*)::int AS n FROM audit')).rows[0].n).toBe(1);
    } finally {
      await raw.end();
    }
  });

  it('runs with a least-privilege role (no DDL, audit SELECT and INSERT only) once an owner applied the migrations', async () => {
    const { schema: name, url } = await schema('grants');
    const owner = new PostgresStore(url);
    await owner.migrated();
    await owner.close();
    const role = `app_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(12).toString('hex');
    const db = new URL(TEST_DATABASE_URL!).pathname.slice(1);
    await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    drops.push(async () => void (await adminQuery(`DROP OWNED BY ${role}; DROP ROLE ${role}`)));
    // As the README's "Database" section grants it.
    await adminQuery(
      `SET search_path TO ${name};
       GRANT CONNECT ON DATABASE ${db} TO ${role};
       GRANT USAGE ON SCHEMA ${name} TO ${role};
       GRANT SELECT, INSERT, UPDATE ON scans, requests, open_items, leases, channel_schedule TO ${role};
       GRANT DELETE ON leases TO ${role};
       GRANT SELECT ON migrations TO ${role};
       GRANT SELECT, INSERT ON audit TO ${role};`,
    );
    const appUrl = withSearchPath(
      urlWith((u) => {
        u.username = role;
        u.password = password;
      }),
      name,
    );
    const app = new PostgresStore(appUrl);
    expect(await app.migrated()).toEqual([]);
    expect(await app.createRequest(pendingRequest({ id: 'req-1' }))).toBe(true);
    expect(await app.transitionRequest('req-1', 'pending', 'executing')).toBe(true);
    expect(await app.appendAudit({ at: 't', kind: 'request.created', requestId: 'req-1', data: {} })).toBeGreaterThan(0);
    expect(await app.claimLease('sweep', { id: 'a', host: 'h', pid: 1 }, 't2', 't1')).toBe(true);
    await app.releaseLease('sweep', 'a');
    await app.close();
    const raw = new Client({ connectionString: appUrl });
    await raw.connect();
    try {
      await expect(raw.query('DELETE FROM audit')).rejects.toThrow(/permission denied/);
      await expect(raw.query('CREATE TABLE x (id int)')).rejects.toThrow(/permission denied/);
    } finally {
      await raw.end();
    }
  });

  describe('a database that cannot be used is one sentence, without the password', () => {
    it('the server is unreachable', async () => {
      const port = await closedPort();
      const said = await problemOf(
        urlWith((u) => {
          u.port = String(port);
        }),
      );
      expect(said).toMatch(
        new RegExp(`^aws-ir cannot reach the PostgreSQL server at 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): check that PostgreSQL is running`),
      );
      expect(said).not.toContain(PASSWORD());
    });

    it('the credentials are wrong', async () => {
      const said = await problemOf(
        urlWith((u) => {
          u.password = 'not-the-password-123';
        }),
      );
      expect(said).toMatch(/refused the credentials of role "aws_ir_test": check the user name and password in DATABASE_URL/);
      expect(said).not.toContain('not-the-password-123');
      expect(said).not.toContain(PASSWORD());
    });

    it('the database does not exist', async () => {
      const said = await problemOf(
        urlWith((u) => {
          u.pathname = '/no_such_db_here';
        }),
      );
      expect(said).toMatch(/^The database "no_such_db_here" on 127\.0\.0\.1:\d+ does not exist: create it \(createdb no_such_db_here/);
    });

    it('the role may not create the tables', async () => {
      const { schema: name } = await schema('nogrant');
      const role = `weak_${randomBytes(4).toString('hex')}`;
      await adminQuery(`CREATE ROLE ${role} LOGIN PASSWORD 'weak-password-1'; GRANT USAGE ON SCHEMA ${name} TO ${role}`);
      drops.push(async () => void (await adminQuery(`DROP OWNED BY ${role}; DROP ROLE ${role}`)));
      const url = withSearchPath(
        urlWith((u) => {
          u.username = role;
          u.password = 'weak-password-1';
        }),
        name,
      );
      const said = await problemOf(url);
      expect(said).toMatch(
        new RegExp(`^The role "${role}" lacks a privilege aws-ir needs on the database "\\w+" \\(permission denied for schema ${name}\\): grant it`),
      );
      expect(said).not.toContain('weak-password-1');
    });

    it('at start-up: the operator reads one line naming the server, never the URL or its password', async () => {
      const slack = await startTestSlack('xoxb-test-0000-pgstart');
      const lines: string[] = [];
      try {
        const app = await startFromEnvironment(
          {
            SLACK_BOT_TOKEN: 'xoxb-test-0000-pgstart',
            SLACK_SIGNING_SECRET: 'pg-start-signing-secret',
            SLACK_API_URL: slack.apiUrl,
            HOST: '127.0.0.1',
            PORT: '0',
            LOG_LEVEL: 'silent',
            DATABASE_URL: urlWith((u) => {
              u.password = 'wrong-secret-value-9';
            }),
          },
          { err: (line) => lines.push(...line.split('\n')) },
        );
        expect(app).toBeUndefined();
      } finally {
        await slack.close();
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^aws-ir could not start: the PostgreSQL server at 127\.0\.0\.1:\d+ refused the credentials of role "aws_ir_test"/);
      expect(lines.join('\n')).not.toMatch(/wrong-secret-value-9|postgres:\/\/|\n\s+at /);
    });

    it('a DATABASE_URL that is not PostgreSQL is refused by the configuration, without echoing it', async () => {
      const lines: string[] = [];
      const app = await startFromEnvironment(
        {
          SLACK_BOT_TOKEN: 'xoxb-test-0000-pgconf',
          SLACK_SIGNING_SECRET: 's3cret-signing',
          DATABASE_URL: 'mysql://root:hunter2secret@db/x',
          LOG_LEVEL: 'silent',
        },
        { err: (line) => lines.push(...line.split('\n')) },
      );
      expect(app).toBeUndefined();
      expect(lines.join('\n')).toMatch(/DATABASE_URL must be a PostgreSQL URL such as postgres:\/\/USER:PASSWORD@HOST:5432\/DATABASE/);
      expect(lines.join('\n')).not.toContain('hunter2secret');
    });
  });
});
