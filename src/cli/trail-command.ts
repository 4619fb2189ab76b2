/** `aws-ir trail <access-key-id | user | role/NAME | ARN> [--days N] [--regions a,b] [--format text|json]` (runbook D3). */
import { parseFlags, UsageError } from '../args/flags';
import { parseChoice, parsePrincipalArg, windowArgs } from '../args/values';
import { systemClock } from '../clock';
import { loadCoreConfig } from '../config';
import { engineLookups } from '../incident/lookups';
import { principalTrail } from '../incident/trail-query';
import { WINDOW_DAYS } from '../limits';
import type { PrincipalActivity } from '../scan/trail';
import { cliTarget, type CliTarget } from './aws-target';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, setupProblem, type CliIo } from './command';

const USAGE = `Usage: aws-ir trail <access-key-id | user-name | role/NAME | ARN> [--days N (${WINDOW_DAYS.min}-${WINDOW_DAYS.max})] [--regions a,b] [--format text|json]`;
const FLAGS = { days: 'string', regions: 'string', format: 'string', help: 'boolean' } as const;

function asText(activity: PrincipalActivity): string {
  const lines = [`${activity.principal.kind} ${activity.principal.name}: ${activity.totalEvents} event(s) ${activity.window.start} .. ${activity.window.end}`];
  if (activity.identity?.exists === false) {
    const close = activity.identity.suggestions?.length ? ` Close names: ${activity.identity.suggestions.join(', ')}.` : '';
    lines.unshift(
      `There is no ${activity.principal.kind === 'access-key' ? 'access key' : `IAM ${activity.principal.kind}`} ${activity.principal.name} in this account.${close}`,
    );
  }
  if (activity.sourceIps.length) lines.push(`source IPs: ${activity.sourceIps.join(', ')}`);
  for (const s of activity.sessions ?? [])
    lines.push(
      `assumed by ${s.assumedBy} at ${s.at}${s.sourceIp ? ` from ${s.sourceIp}` : ''}: ${s.accessKeyId ? `session ${s.accessKeyId} made ${s.events} call(s)${s.eventNames.length ? ` (${s.eventNames.join(', ')})` : ''}` : 'session key not recorded'}`,
    );
  for (const r of activity.regions) {
    const counts = Object.entries(r.counts).map(([n, c]) => `${n} x${c}`);
    lines.push('', `${r.region}: ${counts.join(', ')}`);
    for (const e of r.events.slice(0, 50))
      lines.push(`  ${e.time}  ${e.name}${e.sourceIp ? `  from ${e.sourceIp}` : ''}${e.error ? `  ERROR ${e.error}` : ''}`);
  }
  for (const g of activity.gaps) lines.push(`could not check${g.region ? ` ${g.region}` : ''}: ${g.reason}`);
  return lines.join('\n');
}

export async function run(argv: string[], io: CliIo): Promise<number> {
  let query: { principal: string; days: number; regions?: string[] };
  let format: 'text' | 'json';
  try {
    const { flags, positionals } = parseFlags(argv, FLAGS, { maxPositionals: Number.POSITIVE_INFINITY, short: { h: 'help' } });
    if (flags.help) {
      io.out(USAGE);
      return EXIT_OK;
    }
    format = parseChoice('format', flags.format, ['text', 'json'], 'text');
    query = { principal: parsePrincipalArg(positionals).principal, ...windowArgs(flags) };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`aws-ir trail: ${err.message} ${USAGE}`);
    return EXIT_USAGE;
  }
  let account: CliTarget | undefined;
  try {
    account = await cliTarget(loadCoreConfig(io.env), io.clock);
    const activity = await principalTrail({ services: { scanTarget: account.target, clock: io.clock ?? systemClock }, lookups: engineLookups }, query);
    io.out(format === 'json' ? JSON.stringify(activity, null, 2) : asText(activity));
    return EXIT_OK;
  } catch (err) {
    io.err(`aws-ir trail: ${setupProblem(err)}`);
    return EXIT_FAILURE;
  } finally {
    await account?.close();
  }
}
