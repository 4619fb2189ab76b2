/**
 * What a DATABASE_URL names, without its secret: the server, database and role that messages and logs
 * may show. The password (and any other query parameter, which may carry one) never leaves this file
 * except inside the pool's configuration.
 */
import { StoreError } from '../store-errors';

export interface PostgresTarget {
  /** host:port, or the socket folder for a unix-socket URL. */
  server: string;
  database: string;
  user: string;
  /** The password, for registering it with the log masker only. */
  password?: string;
}

const SCHEMES = new Set(['postgres:', 'postgresql:']);

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url.trim());
}

/** Parses the parts of a postgres:// URL that may be shown; refuses anything else without echoing it. */
export function postgresTarget(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError('DATABASE_URL is not a valid URL: write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode special characters).');
  }
  if (!SCHEMES.has(parsed.protocol)) throw new StoreError('DATABASE_URL must start with postgres:// (or postgresql://).');
  const socket = parsed.searchParams.get('host');
  const host = decodeURIComponent(parsed.hostname) || socket || 'localhost';
  const server = host.startsWith('/') ? `${host} (unix socket)` : `${host}:${parsed.port || '5432'}`;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || parsed.searchParams.get('dbname') || '';
  const user = decodeURIComponent(parsed.username) || parsed.searchParams.get('user') || process.env.PGUSER || 'the default user';
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  return { server, database: database || user, user, ...(password ? { password } : {}) };
}
