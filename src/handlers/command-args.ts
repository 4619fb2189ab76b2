/**
 * Parsing of `/aws-ir` text. Slack's clients turn "--" into an em dash and quotes into curly quotes
 * when a user types fast, so both are normalised before parsing; problems become UsageError with a
 * sentence saying what was wrong.
 */
import { esc, truncate } from '../blocks/text';
import type { ScanOptions } from '../scan/model';
import { InvalidPrincipalError, parsePrincipal, type PrincipalRef } from '../scan/trail';

export class UsageError extends Error {
  readonly code = 'aws_ir_usage';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const MAX_DAYS = 90;
export const DEFAULT_DAYS = 7;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * A piece of what the user typed, as it is echoed back in an error: short (a pasted log line must not
 * come back as a wall of text) and escaped (so `<!channel>` is shown, not turned into a mention).
 */
export function quoted(token: string): string {
  return `"${esc(truncate(token, 60))}"`;
}

export function tokenize(text: string): string[] {
  return text
    .replace(/[\u2014\u2013]/g, '--')
    .replace(/[\u201c\u201d\u2018\u2019]/g, '')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
}

export interface ParsedCommand {
  subcommand: string;
  args: string[];
}

export function parseCommand(text: string): ParsedCommand {
  const [subcommand = '', ...args] = tokenize(text);
  return { subcommand: subcommand.toLowerCase(), args };
}

/** Reads `--name value` or `--name=value` flags; every token must be a known flag. */
function readFlags(args: string[], known: readonly string[], positional?: (token: string) => void): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (!token.startsWith('--')) {
      if (positional) positional(token);
      else throw new UsageError(`Unexpected ${quoted(token)}.`);
      continue;
    }
    const eq = token.indexOf('=');
    const name = (eq >= 0 ? token.slice(2, eq) : token.slice(2)).toLowerCase();
    if (!known.includes(name)) throw new UsageError(`Unknown option ${quoted(`--${name}`)}.`);
    if (flags.has(name)) throw new UsageError(`--${name} is given twice.`);
    const value = eq >= 0 ? token.slice(eq + 1) : args[++i];
    if (value === undefined || value === '' || value.startsWith('--')) throw new UsageError(`--${name} needs a value.`);
    flags.set(name, value);
  }
  return flags;
}

export function parseDays(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_DAYS;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new UsageError(`--days must be a whole number from 1 to ${MAX_DAYS} (CloudTrail keeps ${MAX_DAYS} days of event history); got ${quoted(raw)}.`);
  }
  return days;
}

export function parseRegions(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const regions = [
    ...new Set(
      raw
        .split(',')
        .map((r) => r.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (!regions.length) throw new UsageError('--regions needs at least one region, e.g. --regions us-east-1,eu-west-1.');
  const bad = regions.filter((r) => !REGION.test(r));
  if (bad.length)
    throw new UsageError(
      `--regions: ${bad.slice(0, 5).map(quoted).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''} ${bad.length === 1 ? 'is not a region name' : 'are not region names'} (e.g. us-east-1).`,
    );
  return regions;
}

export function parseScanArgs(args: string[]): Pick<ScanOptions, 'days' | 'regions'> {
  const flags = readFlags(args, ['days', 'regions']);
  const regions = parseRegions(flags.get('regions'));
  return regions ? { days: parseDays(flags.get('days')), regions } : { days: parseDays(flags.get('days')) };
}

export interface TrailArgs {
  /** What the engine's parsePrincipal reads: access key id, user name, `role/NAME`, or a user/role ARN. */
  principal: string;
  /** How the principal is named in messages. */
  label: string;
  days: number;
  regions?: string[];
}

/** Sessions are named after the role: arn:aws:sts::<account>:assumed-role/<role>/<session>. */
const ASSUMED_ROLE_ARN = /^arn:aws[a-z-]*:sts::\d{12}:assumed-role\/([\w+=,.@-]{1,128})\/[\w+=,.@-]+$/;

export function parseTrailArgs(args: string[]): TrailArgs {
  const positional: string[] = [];
  const flags = readFlags(args, ['days', 'regions'], (t) => positional.push(t));
  if (positional.length === 0) throw new UsageError('Say whose activity to show: an access key id (AKIA…/ASIA…), an IAM user name, or role/NAME for a role.');
  if (positional.length > 1) throw new UsageError(`Give one principal at a time (got ${positional.length}).`);
  const assumed = ASSUMED_ROLE_ARN.exec(positional[0]);
  const principal = assumed ? `role/${assumed[1]}` : positional[0];
  let ref: PrincipalRef;
  try {
    ref = parsePrincipal(principal);
  } catch (err) {
    if (err instanceof InvalidPrincipalError)
      throw new UsageError(`${quoted(principal)} is not an access key id, IAM user name or role name. For a role, write role/NAME.`);
    throw err;
  }
  const label = ref.kind === 'access-key' ? `access key ${ref.name}` : `IAM ${ref.kind} ${ref.name}`;
  const regions = parseRegions(flags.get('regions'));
  return { principal, label, days: parseDays(flags.get('days')), ...(regions ? { regions } : {}) };
}
