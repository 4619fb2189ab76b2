/**
 * Environment -> typed, validated configuration. Every problem is reported at once, each as one
 * sentence that says what to do, in the way Bolt reports its own configuration errors.
 *
 * CoreConfig is what every surface shares (AWS, remediation safety, the database, logs); AppConfig
 * adds how the app meets Slack (or the local stand-in) and where it listens.
 */
import { ERROR_CODES } from './errors';
import { cloudTrailSourceConfig } from './scan/sources/config';
import type { CloudTrailSourceOptions } from './scan/sources/model';
import { DESTRUCTIVE_APPROVERS, EXECUTION_TTL_MINUTES, REGION_NAME, REQUEST_TTL_MINUTES, ROLE_ARN, SCAN_DEADLINE_SECONDS, SLACK_MEMBER_ID } from './limits';
import { isPostgresUrl, postgresTarget } from './store/postgres/connection';

export type SlackMode = 'http' | 'socket' | 'local';

export interface CoreConfig {
  aws: {
    region: string;
    scanRoleArn?: string;
    remediationRoleArn?: string;
    /** Scenario name or file for the built-in sandbox account; undefined = a real AWS account. */
    sandboxScenario?: string;
    /** CloudTrail sources: the trail's log archive, Athena, which to prefer (src/scan/sources/config.ts). */
    cloudTrail?: CloudTrailSourceOptions;
  };
  remediation: {
    /** Slack user ids (U…/W…) and user group ids (S…) allowed to request and approve; empty = anyone. */
    responders: string[];
    protectedArns: string[];
    dryRun: boolean;
    /** Member accounts where every action is a dry run even when dryRun is off (AWS_IR_DRY_RUN_ACCOUNTS). */
    dryRunAccounts?: string[];
    requestTtlMinutes: number;
    /** Minutes an approval counts for; unset: EXECUTION_TTL_MINUTES.default. */
    executionTtlMinutes?: number;
    /** Distinct approvers of a deletion or termination; unset: 1. */
    destructiveApprovers?: number;
    /** One responder may run a containment action alone (announced, flagged, reviewed later); unset: off. */
    breakGlass?: boolean;
  };
  /** Organization sweeps (`scan --org`); absent = the defaults of orgSettings(). */
  org?: OrgConfig;
  /** Seconds a scan may take before what has not finished becomes a gap; unset: SCAN_DEADLINE_SECONDS.default. */
  scanDeadlineSeconds?: number;
  dbPath: string;
  /**
   * DATABASE_URL (postgres://…): PostgreSQL instead of the SQLite file, for several replicas sharing one
   * database. Unset = SQLite at dbPath (one process; local mode always).
   */
  databaseUrl?: string;
  /** Connections per process to PostgreSQL (AWS_IR_DATABASE_POOL_SIZE). */
  databasePoolSize?: number;
  /** How often each process offers to run the sweep (AWS_IR_SWEEP_SECONDS); one process at a time runs it. */
  sweepIntervalMs?: number;
  logLevel: string;
}

/** How an organization sweep reaches and paces the member accounts. */
export interface OrgConfig {
  /** Read-only role in every member account (AWS_IR_MEMBER_ROLE_NAME). */
  memberRoleName: string;
  /** Role for approved writes in member accounts (AWS_IR_MEMBER_REMEDIATION_ROLE_NAME). */
  memberRemediationRoleName: string;
  /** sts:ExternalId the member roles' trust policies require (AWS_IR_MEMBER_EXTERNAL_ID). */
  externalId?: string;
  /** Accounts scanned at once (AWS_IR_ORG_CONCURRENCY). */
  concurrency: number;
  /** How long a sweep's finished accounts are reused by the same sweep started again (AWS_IR_ORG_RESUME_MINUTES; 0 = never). */
  resumeMinutes: number;
}

export const ORG_DEFAULTS: OrgConfig = {
  memberRoleName: 'aws-ir-scan',
  memberRemediationRoleName: 'aws-ir-remediate',
  concurrency: 8,
  resumeMinutes: 60,
};

/** The organization settings in force (tests and older callers may build a CoreConfig without them). */
export function orgSettings(config: Pick<CoreConfig, 'org'>): OrgConfig {
  return config.org ?? ORG_DEFAULTS;
}

export interface AppConfig extends CoreConfig {
  slack: {
    mode: SlackMode;
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    /** Base URL of the Slack Web API (ends with '/'); undefined = Slack's own. */
    apiUrl?: string;
  };
  /** HTTP port: Slack events in HTTP mode, the local page in local mode. */
  port: number;
  /**
   * Listening address (HOST). Unset: every interface in HTTP mode, 127.0.0.1 in local mode, because
   * the local page has no login. A container sets 0.0.0.0 and publishes the port explicitly.
   */
  host?: string;
  /** True when messages must say this is a drill (real Slack, sandbox AWS). */
  drill: boolean;
}

export class ConfigError extends Error {
  readonly code = ERROR_CODES.config;
  constructor(readonly problems: string[]) {
    super(`aws-ir cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads typed values from the environment, collecting a sentence per problem. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(readonly env: NodeJS.ProcessEnv) {}

  str(name: string): string | undefined {
    const v = this.env[name]?.trim();
    return v ? v : undefined;
  }

  bool(name: string): boolean {
    const v = (this.env[name] ?? '').trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (!FALSE.has(v)) this.problems.push(`${name} must be true or false (got "${this.env[name]}").`);
    return false;
  }

  int(name: string, def: number, min: number, max: number): number {
    const raw = this.str(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return def;
    }
    return n;
  }

  list(name: string): string[] {
    return (this.str(name) ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
  }

  roleArn(name: string, example: string): string | undefined {
    const arn = this.str(name);
    if (arn && !ROLE_ARN.test(arn)) this.problems.push(`${name} must be an IAM role ARN like arn:aws:iam::123456789012:role/${example} (got "${arn}").`);
    return arn;
  }
}

function readCore(r: EnvReader): CoreConfig {
  const region = r.str('AWS_REGION') ?? r.str('AWS_DEFAULT_REGION') ?? 'us-east-1';
  if (!REGION_NAME.test(region)) r.problems.push(`AWS_REGION must be a region name such as us-east-1 (got "${region}").`);
  let sandboxScenario = r.str('AWS_IR_SANDBOX');
  if (sandboxScenario && FALSE.has(sandboxScenario.toLowerCase())) sandboxScenario = undefined;

  const responders = r.list('AWS_IR_RESPONDERS');
  for (const id of responders)
    if (!SLACK_MEMBER_ID.test(id)) r.problems.push(`AWS_IR_RESPONDERS entry "${id}" is not a Slack user id (U…/W…) or user group id (S…).`);
  const protectedArns = r.list('AWS_IR_PROTECTED_ARNS');
  for (const a of protectedArns) if (!a.startsWith('arn:')) r.problems.push(`AWS_IR_PROTECTED_ARNS entry "${a}" is not an ARN.`);

  const dryRunAccounts = r.list('AWS_IR_DRY_RUN_ACCOUNTS');
  for (const a of dryRunAccounts) if (!/^\d{12}$/.test(a)) r.problems.push(`AWS_IR_DRY_RUN_ACCOUNTS entry "${a}" is not a 12-digit AWS account id.`);
  const roleName = (name: string, fallback: string): string => {
    const v = r.str(name) ?? fallback;
    if (!/^[\w+=,.@-]{1,64}$/.test(v)) r.problems.push(`${name} must be an IAM role name such as ${fallback} (got "${v}").`);
    return v;
  };
  const externalId = r.str('AWS_IR_MEMBER_EXTERNAL_ID');
  if (externalId && !/^[\w+=,.@:/-]{2,1224}$/.test(externalId))
    r.problems.push('AWS_IR_MEMBER_EXTERNAL_ID must be 2 to 1224 letters, digits or +=,.@:/- characters.');
  const org: OrgConfig = {
    memberRoleName: roleName('AWS_IR_MEMBER_ROLE_NAME', ORG_DEFAULTS.memberRoleName),
    memberRemediationRoleName: roleName('AWS_IR_MEMBER_REMEDIATION_ROLE_NAME', ORG_DEFAULTS.memberRemediationRoleName),
    concurrency: r.int('AWS_IR_ORG_CONCURRENCY', ORG_DEFAULTS.concurrency, 1, 32),
    resumeMinutes: r.int('AWS_IR_ORG_RESUME_MINUTES', ORG_DEFAULTS.resumeMinutes, 0, 1440),
    ...(externalId ? { externalId } : {}),
  };
  const executionTtlMinutes = r.int('AWS_IR_EXECUTION_TTL_MINUTES', EXECUTION_TTL_MINUTES.default, EXECUTION_TTL_MINUTES.min, EXECUTION_TTL_MINUTES.max);
  const destructiveApprovers = r.int('AWS_IR_DESTRUCTIVE_APPROVERS', DESTRUCTIVE_APPROVERS.default, DESTRUCTIVE_APPROVERS.min, DESTRUCTIVE_APPROVERS.max);
  // Only individual ids can be counted: with user groups the number of people is not known here.
  const people = responders.filter((id) => !id.startsWith('S'));
  if (responders.length && people.length === responders.length && people.length < destructiveApprovers + 1)
    r.problems.push(
      `AWS_IR_DESTRUCTIVE_APPROVERS=${destructiveApprovers} needs at least ${destructiveApprovers + 1} responders (the requester never counts), but AWS_IR_RESPONDERS lists ${people.length}: add responders or lower it.`,
    );
  const breakGlass = r.bool('AWS_IR_BREAK_GLASS');
  const scanDeadlineSeconds = r.int('AWS_IR_SCAN_DEADLINE_SECONDS', SCAN_DEADLINE_SECONDS.default, SCAN_DEADLINE_SECONDS.min, SCAN_DEADLINE_SECONDS.max);

  const logLevel = (r.str('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) r.problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);

  const databaseUrl = r.str('DATABASE_URL');
  if (databaseUrl) {
    // The URL carries a password: problems name what is wrong, never the value.
    if (!isPostgresUrl(databaseUrl))
      r.problems.push('DATABASE_URL must be a PostgreSQL URL such as postgres://USER:PASSWORD@HOST:5432/DATABASE (unset it to use the SQLite file).');
    else
      try {
        postgresTarget(databaseUrl);
      } catch (err) {
        r.problems.push(err instanceof Error ? err.message : 'DATABASE_URL cannot be read.');
      }
  }

  return {
    aws: {
      region,
      scanRoleArn: r.roleArn('AWS_IR_SCAN_ROLE_ARN', 'aws-ir-scan'),
      remediationRoleArn: r.roleArn('AWS_IR_REMEDIATION_ROLE_ARN', 'aws-ir-remediate'),
      sandboxScenario,
      cloudTrail: cloudTrailSourceConfig(r.env, r.problems),
    },
    remediation: {
      responders,
      protectedArns,
      dryRun: r.bool('AWS_IR_DRY_RUN'),
      dryRunAccounts,
      requestTtlMinutes: r.int('AWS_IR_REQUEST_TTL_MINUTES', REQUEST_TTL_MINUTES.default, REQUEST_TTL_MINUTES.min, REQUEST_TTL_MINUTES.max),
      executionTtlMinutes,
      destructiveApprovers,
      breakGlass,
    },
    org,
    scanDeadlineSeconds,
    dbPath: r.str('AWS_IR_DB_PATH') ?? './data/aws-ir.db',
    ...(databaseUrl ? { databaseUrl } : {}),
    databasePoolSize: r.int('AWS_IR_DATABASE_POOL_SIZE', 10, 1, 100),
    sweepIntervalMs: r.int('AWS_IR_SWEEP_SECONDS', 60, 1, 3600) * 1000,
    logLevel,
  };
}

/** What the command line needs: no Slack, no listening address. */
export function loadCoreConfig(env: NodeJS.ProcessEnv = process.env): CoreConfig {
  const r = new EnvReader(env);
  const core = readCore(r);
  if (r.problems.length) throw new ConfigError(r.problems);
  return core;
}

/** Addresses only this machine can reach: the local page (no login) may listen there without asking. */
export function isLoopback(host: string | undefined): boolean {
  return host === undefined || host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const r = new EnvReader(env);
  const core = readCore(r);
  const botToken = r.str('SLACK_BOT_TOKEN');
  const signingSecret = r.str('SLACK_SIGNING_SECRET');
  const appToken = r.str('SLACK_APP_TOKEN');
  const askedLocal = r.bool('AWS_IR_LOCAL');
  const port = r.int('PORT', 3000, 0, 65535);
  const host = r.str('HOST');
  if (host && !/^[\w.:-]+$/.test(host)) r.problems.push(`HOST must be an address to listen on, such as 127.0.0.1 or 0.0.0.0 (got "${host}").`);

  let mode: SlackMode = 'local';
  if (botToken || signingSecret || appToken) {
    mode = appToken ? 'socket' : 'http';
    if (askedLocal) r.problems.push('AWS_IR_LOCAL=1 asks for the local sandbox, but SLACK_* variables are set too: unset one or the other.');
    if (!botToken)
      r.problems.push(
        'SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page, or unset all SLACK_* variables to run locally.',
      );
    else if (!botToken.startsWith('xoxb-')) r.problems.push('SLACK_BOT_TOKEN must be a bot token starting with "xoxb-".');
    if (mode === 'http' && !signingSecret)
      r.problems.push('SLACK_SIGNING_SECRET is missing: copy it from your Slack app\'s "Basic Information" page (or set SLACK_APP_TOKEN for Socket Mode).');
    if (appToken && !appToken.startsWith('xapp-'))
      r.problems.push('SLACK_APP_TOKEN must be an app-level token starting with "xapp-" with the connections:write scope.');
  } else if (!askedLocal && !isLoopback(host)) {
    // The local page has no login: serving it beyond this machine must be asked for, never a fallback.
    r.problems.push(
      `No Slack credentials are set and HOST=${host} would serve the local demo, which has no login, beyond this machine: pass your Slack settings (docker run --env-file .env), or set AWS_IR_LOCAL=1 to serve the local sandbox on purpose.`,
    );
  }
  let apiUrl = r.str('SLACK_API_URL');
  if (apiUrl) {
    if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) r.problems.push(`SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got "${apiUrl}").`);
    else if (!apiUrl.endsWith('/')) apiUrl += '/';
  }

  // Locally, with no Slack at all, the sandbox is the only account that makes sense.
  const explicitlyOff = r.str('AWS_IR_SANDBOX') !== undefined && core.aws.sandboxScenario === undefined;
  if (mode === 'local') {
    // Local mode is one process with an in-memory channel: its store is always SQLite.
    delete core.databaseUrl;
    if (explicitlyOff)
      r.problems.push('Without SLACK_* credentials aws-ir runs against the built-in sandbox; AWS_IR_SANDBOX cannot be turned off in local mode.');
    core.aws.sandboxScenario ??= 'compromised-key';
  }

  if (r.problems.length) throw new ConfigError(r.problems);
  return {
    ...core,
    slack: { mode, botToken, signingSecret, appToken, apiUrl },
    port,
    host,
    drill: mode !== 'local' && core.aws.sandboxScenario !== undefined,
  };
}

/** The database URL and its password: never in a log or a message. */
export function databaseSecretsOf(config: CoreConfig): string[] {
  if (!config.databaseUrl) return [];
  const password = isPostgresUrl(config.databaseUrl) ? postgresTarget(config.databaseUrl).password : undefined;
  return [config.databaseUrl, password].filter((s): s is string => !!s);
}

/** Values that must never appear in logs or messages. */
export function secretsOf(config: AppConfig): string[] {
  return [config.slack.botToken, config.slack.signingSecret, config.slack.appToken, ...databaseSecretsOf(config)].filter((s): s is string => !!s);
}
