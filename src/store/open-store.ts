/**
 * The store a configuration asks for: PostgreSQL when DATABASE_URL is set (several replicas, a managed
 * database), otherwise the SQLite file at AWS_IR_DB_PATH (one process, the default). The command line
 * and the app open it the same way, so `aws-ir scan`/`audit` share the app's database.
 */
import type { CoreConfig } from '../config';
import { postgresTarget } from './postgres/connection';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

export function openStore(config: Pick<CoreConfig, 'dbPath' | 'databaseUrl' | 'databasePoolSize'>): Store {
  if (config.databaseUrl) return new PostgresStore(config.databaseUrl, { poolSize: config.databasePoolSize ?? 10 });
  return new SqliteStore(config.dbPath);
}

/** Where the store is, for messages: never the URL (it carries a password). */
export function storeLabel(config: Pick<CoreConfig, 'dbPath' | 'databaseUrl'>): string {
  if (!config.databaseUrl) return `SQLite ${config.dbPath}`;
  const t = postgresTarget(config.databaseUrl);
  return `PostgreSQL ${t.database} on ${t.server}`;
}
