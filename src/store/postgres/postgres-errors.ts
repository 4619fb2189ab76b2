/**
 * Why the PostgreSQL database cannot be used, as one sentence an operator can act on: start-up prints
 * it instead of a stack trace, and readiness reports it. It names the server, database and role, never
 * the password or the URL itself.
 */
import { StoreError, StoreUnavailableError } from '../store-errors';
import type { PostgresTarget } from './connection';

function field(err: unknown, name: string): string {
  const value = typeof err === 'object' && err !== null && name in err ? (err as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ENOENT']);

/** SQLSTATE classes and codes (PostgreSQL's appendix A) that mean the configuration, not the code, is wrong. */
export function postgresUnavailable(target: PostgresTarget, err: unknown): Error {
  if (err instanceof StoreError || err instanceof StoreUnavailableError) return err;
  const code = field(err, 'code');
  const message = field(err, 'message');
  const server = `the PostgreSQL server at ${target.server}`;
  const db = `The database "${target.database}" on ${target.server}`;
  if (UNREACHABLE.has(code) || /timeout|terminated unexpectedly/i.test(message))
    return new StoreUnavailableError(
      `aws-ir cannot reach ${server} (${code || 'no answer'}): check that PostgreSQL is running there and that DATABASE_URL names the right host and port.`,
    );
  if (code === '28P01' || code === '28000')
    return new StoreUnavailableError(
      `${server} refused the credentials of role "${target.user}": check the user name and password in DATABASE_URL (percent-encode special characters).`,
    );
  if (code === '3D000')
    return new StoreUnavailableError(
      `${db} does not exist: create it (createdb ${target.database}, owned by aws-ir's role) or fix the database name in DATABASE_URL.`,
    );
  if (code === '42501')
    return new StoreUnavailableError(
      `The role "${target.user}" lacks a privilege aws-ir needs on the database "${target.database}" (${firstLine(message)}): grant it as the README's "Database" section shows.`,
    );
  if (code === '53300' || code === '53400')
    return new StoreUnavailableError(`${server} has no free connection for aws-ir: lower AWS_IR_DATABASE_POOL_SIZE or raise the server's max_connections.`);
  if (code === '57P03') return new StoreUnavailableError(`${server} is starting up or shutting down: wait for it, then start aws-ir again.`);
  if (/SSL|certificate/i.test(message))
    return new StoreUnavailableError(`aws-ir could not set up SSL with ${server} (${firstLine(message)}): check sslmode in DATABASE_URL.`);
  return new StoreUnavailableError(`${db} cannot be used (${code || firstLine(message) || 'unknown error'}); check DATABASE_URL and the server's log.`);
}

/** The first line of a server message, which names the object but carries no secret. */
function firstLine(message: string): string {
  return message.split('\n')[0]!.slice(0, 200);
}
