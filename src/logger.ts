/**
 * Structured JSON logs. Secrets are removed twice: by field name (pino's redact) and by value, so a
 * token that ends up inside an error message is still never written.
 */
import pino, { type Logger } from 'pino';

const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'appToken',
  '*.appToken',
  'signingSecret',
  '*.signingSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'secretAccessKey',
  '*.secretAccessKey',
  'SecretAccessKey',
  '*.SecretAccessKey',
  'sessionToken',
  '*.sessionToken',
  'SessionToken',
  '*.SessionToken',
  'credentials',
  '*.credentials',
  'Password',
  '*.Password',
  'password',
  '*.password',
];

const secretValues = new Set<string>();

/** Registers a value (token, secret) to be masked wherever it appears in a log line. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) secretValues.add(value);
}

export function maskSecrets(text: string): string {
  let out = text;
  for (const s of secretValues) if (out.includes(s)) out = out.split(s).join('[redacted]');
  // AWS secret keys and Slack tokens have recognisable shapes even when never registered.
  return out.replace(/xox[abposr]-[A-Za-z0-9-]{10,}/g, '[redacted]').replace(/xapp-[A-Za-z0-9-]{10,}/g, '[redacted]');
}

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'aws-ir' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskSecrets(a) : maskDeep(a))) as Parameters<typeof method>;
          return method.apply(this, masked);
        },
      },
    },
    destination,
  );
}

function isErrorLike(value: unknown): value is Error & { code?: unknown } {
  // Errors from native modules or other realms fail instanceof; their shape is what matters.
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && typeof (value as Error).message === 'string' && typeof (value as Error).stack === 'string')
  );
}

/** Error fields are not enumerable, so JSON would drop the very message an operator needs. */
function errorFields(e: Error & { code?: unknown }): Record<string, unknown> {
  return { name: e.name, message: e.message, code: e.code, stack: e.stack };
}

function maskDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  try {
    const json = JSON.stringify(value, (_key, v: unknown) => (isErrorLike(v) ? errorFields(v) : v));
    return JSON.parse(maskSecrets(json));
  } catch {
    return value;
  }
}

export const logger = createLogger();
export type { Logger };
