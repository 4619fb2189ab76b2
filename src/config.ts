/**
 * Environment -> typed, validated configuration. Every problem is reported at once, each as one
 * sentence that says what to do, in the way Bolt reports its own configuration errors.
 */
import { cloudTrailSourceConfig } from './scan/sources/config';
import type { CloudTrailSourceOptions } from './scan/sources/model';

export type SlackMode = 'http' | 'socket' | 'local';

export interface AppConfig {
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
    requestTtlMinutes: number;
  };
  dbPath: string;
  logLevel: string;
  /** True when messages must say this is a drill (real Slack, sandbox AWS). */
  drill: boolean;
}

export class ConfigError extends Error {
  readonly code = 'aws_ir_config_error';
  constructor(readonly problems: string[]) {
    super(`aws-ir cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const str = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const bool = (name: string): boolean => {
    const v = (env[name] ?? '').trim().toLowerCase();
    if (TRUE.has(v)) return true;
    if (!FALSE.has(v)) problems.push(`${name} must be true or false (got "${env[name]}").`);
    return false;
  };
  const int = (name: string, def: number, min: number, max: number): number => {
    const raw = str(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
      return def;
    }
    return n;
  };
  const list = (name: string): string[] =>
    (str(name) ?? '')
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);

  const botToken = str('SLACK_BOT_TOKEN');
  const signingSecret = str('SLACK_SIGNING_SECRET');
  const appToken = str('SLACK_APP_TOKEN');
  let mode: SlackMode = 'local';
  if (botToken || signingSecret || appToken) {
    mode = appToken ? 'socket' : 'http';
    if (!botToken)
      problems.push(
        'SLACK_BOT_TOKEN is missing: copy the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page, or unset all SLACK_* variables to run locally.',
      );
    else if (!botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token starting with "xoxb-".');
    if (mode === 'http' && !signingSecret)
      problems.push('SLACK_SIGNING_SECRET is missing: copy it from your Slack app\'s "Basic Information" page (or set SLACK_APP_TOKEN for Socket Mode).');
    if (appToken && !appToken.startsWith('xapp-'))
      problems.push('SLACK_APP_TOKEN must be an app-level token starting with "xapp-" with the connections:write scope.');
  }
  let apiUrl = str('SLACK_API_URL');
  if (apiUrl) {
    if (!/^https?:\/\/[^\s]+$/.test(apiUrl)) problems.push(`SLACK_API_URL must be an http(s) URL such as https://slack.com/api/ (got "${apiUrl}").`);
    else if (!apiUrl.endsWith('/')) apiUrl += '/';
  }

  const port = int('PORT', 3000, 0, 65535);
  const host = str('HOST');
  if (host && !/^[\w.:-]+$/.test(host)) problems.push(`HOST must be an address to listen on, such as 127.0.0.1 or 0.0.0.0 (got "${host}").`);
  const scanRoleArn = str('AWS_IR_SCAN_ROLE_ARN');
  if (scanRoleArn && !ROLE_ARN.test(scanRoleArn))
    problems.push(`AWS_IR_SCAN_ROLE_ARN must be an IAM role ARN like arn:aws:iam::123456789012:role/aws-ir-scan (got "${scanRoleArn}").`);
  const remediationRoleArn = str('AWS_IR_REMEDIATION_ROLE_ARN');
  if (remediationRoleArn && !ROLE_ARN.test(remediationRoleArn))
    problems.push(`AWS_IR_REMEDIATION_ROLE_ARN must be an IAM role ARN like arn:aws:iam::123456789012:role/aws-ir-remediate (got "${remediationRoleArn}").`);

  const region = str('AWS_REGION') ?? str('AWS_DEFAULT_REGION') ?? 'us-east-1';
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) problems.push(`AWS_REGION must be a region name such as us-east-1 (got "${region}").`);

  // Locally, with no Slack at all, the sandbox is the only account that makes sense.
  let sandboxScenario = str('AWS_IR_SANDBOX');
  if (mode === 'local' && !sandboxScenario) sandboxScenario = 'compromised-key';
  if (sandboxScenario && ['0', 'false', 'off', 'no'].includes(sandboxScenario.toLowerCase())) sandboxScenario = undefined;
  if (mode === 'local' && !sandboxScenario)
    problems.push('Without SLACK_* credentials aws-ir runs against the built-in sandbox; AWS_IR_SANDBOX cannot be turned off in local mode.');

  const responders = list('AWS_IR_RESPONDERS');
  for (const r of responders)
    if (!/^[UWS][A-Z0-9]{2,}$/.test(r)) problems.push(`AWS_IR_RESPONDERS entry "${r}" is not a Slack user id (U…/W…) or user group id (S…).`);
  const protectedArns = list('AWS_IR_PROTECTED_ARNS');
  for (const a of protectedArns) if (!a.startsWith('arn:')) problems.push(`AWS_IR_PROTECTED_ARNS entry "${a}" is not an ARN.`);

  const cloudTrail = cloudTrailSourceConfig(env, problems);

  const logLevel = (str('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}").`);

  const config: AppConfig = {
    slack: { mode, botToken, signingSecret, appToken, apiUrl },
    port,
    host,
    aws: { region, scanRoleArn, remediationRoleArn, sandboxScenario, cloudTrail },
    remediation: {
      responders,
      protectedArns,
      dryRun: bool('AWS_IR_DRY_RUN'),
      requestTtlMinutes: int('AWS_IR_REQUEST_TTL_MINUTES', 30, 1, 24 * 60),
    },
    dbPath: str('AWS_IR_DB_PATH') ?? './data/aws-ir.db',
    logLevel,
    drill: mode !== 'local' && sandboxScenario !== undefined,
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** Values that must never appear in logs or messages. */
export function secretsOf(config: AppConfig): string[] {
  return [config.slack.botToken, config.slack.signingSecret, config.slack.appToken].filter((s): s is string => !!s);
}
