/**
 * Modules other parts of aws-ir provide (remediation listeners, the audit command), loaded when
 * first needed, plus the types of the engine lookups tests may inject. Only "that module is not in
 * this build" is tolerated; any other load error is a real bug and is thrown.
 */
import type { App } from '@slack/bolt';
import type { AwsClients } from '../aws/clients';
import type { LastAccessedSummary } from '../scan/checks/last-accessed';
import type { PrincipalActivityInput } from '../scan/trail';
import type { AppServices } from '../services';
import type { CommandContext } from './command-context';

function isMissing(err: unknown, request: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  const leaf = request.split('/').pop() ?? request;
  return e.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(leaf);
}

function tryRequire(request: string): Record<string, unknown> | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy, optional load
    return require(request) as Record<string, unknown>;
  } catch (err) {
    if (isMissing(err, request)) return undefined;
    throw err;
  }
}

function fn<T>(mod: Record<string, unknown> | undefined, name: string): T | undefined {
  const value = mod?.[name];
  return typeof value === 'function' ? (value as T) : undefined;
}

export type RegisterRemediation = (app: App, services: AppServices) => void;
export type AuditHandler = (ctx: CommandContext) => Promise<void>;

/** src/scan/trail.ts `principalActivity`; its result is narrowed by blocks/trail.ts. */
export type PrincipalActivityFn = (clients: AwsClients, input: PrincipalActivityInput) => Promise<unknown>;
/** src/scan/checks/last-accessed.ts `lastAccessedFor`. */
export type LastAccessedFn = (clients: AwsClients, arn: string) => Promise<LastAccessedSummary>;

export function loadRemediation(): RegisterRemediation | undefined {
  return fn<RegisterRemediation>(tryRequire('./remediation'), 'registerRemediation');
}

export function loadAuditHandler(): AuditHandler | undefined {
  return fn<AuditHandler>(tryRequire('./audit'), 'handleAuditCommand');
}
