/**
 * The values `/aws-ir` and `aws-ir` accept, checked once for both: the incident window, regions,
 * output formats, and the principal of a trail lookup.
 */
import { InvalidPrincipalError, parsePrincipal } from '../scan/trail';
import { ASSUMED_ROLE_ARN, REGION_NAME, WINDOW_DAYS } from '../limits';
import { quoted, UsageError } from './flags';

export function parseDays(raw: string | undefined): number {
  if (raw === undefined) return WINDOW_DAYS.default;
  const days = Number(raw);
  if (!/^\d+$/.test(raw) || days < WINDOW_DAYS.min || days > WINDOW_DAYS.max) {
    throw new UsageError(
      `--days must be a whole number from ${WINDOW_DAYS.min} to ${WINDOW_DAYS.max} (CloudTrail keeps ${WINDOW_DAYS.max} days of event history); got ${quoted(raw)}.`,
    );
  }
  return days;
}

/** Comma-separated region names, lower-cased and de-duplicated; undefined = every enabled region. */
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
  const bad = regions.filter((r) => !REGION_NAME.test(r));
  if (bad.length) {
    const listed = `${bad.slice(0, 5).map(quoted).join(', ')}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}`;
    throw new UsageError(`--regions: ${listed} ${bad.length === 1 ? 'is not a region name' : 'are not region names'} (e.g. us-east-1).`);
  }
  return regions;
}

export function parseChoice<C extends string>(flag: string, raw: string | undefined, choices: readonly C[], fallback: C): C {
  if (raw === undefined) return fallback;
  const found = choices.find((c) => c === raw.toLowerCase());
  if (!found) throw new UsageError(`--${flag} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)} (got ${quoted(raw)}).`);
  return found;
}

/** The incident window and regions of a scan or a trail lookup. */
export interface WindowArgs {
  days: number;
  regions?: string[];
}

export function windowArgs(flags: { days?: string; regions?: string }): WindowArgs {
  const regions = parseRegions(flags.regions);
  return regions ? { days: parseDays(flags.days), regions } : { days: parseDays(flags.days) };
}

export interface PrincipalArg {
  /** What the engine's parsePrincipal reads: access key id, user name, `role/NAME`, or a user/role ARN. */
  principal: string;
  /** How the principal is named in messages. */
  label: string;
}

export function parsePrincipalArg(positionals: readonly string[]): PrincipalArg {
  if (positionals.length === 0) throw new UsageError('Say whose activity to show: an access key id (AKIA…/ASIA…), an IAM user name, or role/NAME for a role.');
  if (positionals.length > 1) throw new UsageError(`Give one principal at a time (got ${positionals.length}).`);
  const given = positionals[0]!;
  // Sessions are named after the role they are a session of.
  const assumed = ASSUMED_ROLE_ARN.exec(given);
  const principal = assumed ? `role/${assumed[1]}` : given;
  try {
    const ref = parsePrincipal(principal);
    return { principal, label: ref.kind === 'access-key' ? `access key ${ref.name}` : `IAM ${ref.kind} ${ref.name}` };
  } catch (err) {
    if (err instanceof InvalidPrincipalError)
      throw new UsageError(`${quoted(principal)} is not an access key id, IAM user name or role name. For a role, write role/NAME.`);
    throw err;
  }
}
