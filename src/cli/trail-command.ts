/** `aws-ir trail <access-key-id | user | role/NAME> [--days N] [--regions a,b] [--format text|json]` (runbook D3). */
import { clientsFor } from '../aws/clients';
import { ConfigError } from '../config';
import { MAX_DAYS } from '../scan/engine';
import { InvalidPrincipalError, parsePrincipal, principalActivity } from '../scan/trail';
import { cliTarget, type CliTarget } from './aws-target';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command';
import { parseScanArgs, type ScanArgs } from './scan-command';

const USAGE = `Usage: aws-ir trail <access-key-id | user-name | role/NAME | ARN> [--days N (1-${MAX_DAYS})] [--regions a,b] [--format text|json]`;

export async function run(argv: string[], io: CliIo): Promise<number> {
  const positional = argv.filter((a, i) => !a.startsWith('-') && !(i > 0 && ['--days', '--regions', '--format'].includes(argv[i - 1] as string)));
  const flags = argv.filter((a) => !positional.includes(a));
  let args: ScanArgs;
  try {
    args = parseScanArgs(flags);
    if (args.help) {
      io.out(USAGE);
      return EXIT_OK;
    }
    if (positional.length !== 1) throw new Error('give exactly one access key id, user or role.');
    if (args.format === 'markdown') throw new Error('--format must be text or json.');
    parsePrincipal(positional[0] as string);
  } catch (err) {
    io.err(`aws-ir trail: ${err instanceof Error ? err.message : 'bad arguments'} ${USAGE}`);
    return EXIT_USAGE;
  }
  let account: CliTarget | undefined;
  try {
    account = await cliTarget(io.env);
    const end = new Date();
    const activity = await principalActivity(clientsFor(account.target), {
      principal: positional[0] as string,
      window: { start: new Date(end.getTime() - args.days * 86_400_000), end },
      ...(args.regions ? { regions: args.regions } : {}),
    });
    if (args.format === 'json') {
      io.out(JSON.stringify(activity, null, 2));
      return EXIT_OK;
    }
    const lines = [
      `${activity.principal.kind} ${activity.principal.name}: ${activity.totalEvents} event(s) ${activity.window.start} .. ${activity.window.end}`,
    ];
    if (activity.sourceIps.length) lines.push(`source IPs: ${activity.sourceIps.join(', ')}`);
    for (const r of activity.regions) {
      lines.push(
        '',
        `${r.region}: ${Object.entries(r.counts)
          .map(([n, c]) => `${n} x${c}`)
          .join(', ')}`,
      );
      for (const e of r.events.slice(0, 50))
        lines.push(`  ${e.time}  ${e.name}${e.sourceIp ? `  from ${e.sourceIp}` : ''}${e.error ? `  ERROR ${e.error}` : ''}`);
    }
    for (const g of activity.gaps) lines.push(`could not check${g.region ? ` ${g.region}` : ''}: ${g.reason}`);
    io.out(lines.join('\n'));
    return EXIT_OK;
  } catch (err) {
    if (err instanceof ConfigError) io.err(`aws-ir trail: ${err.problems.join(' ')}`);
    else if (err instanceof InvalidPrincipalError) io.err(`aws-ir trail: ${err.message}`);
    else io.err(`aws-ir trail: ${err instanceof Error ? err.message.split('\n')[0] : 'failed'}`);
    return EXIT_FAILURE;
  } finally {
    await account?.close();
  }
}
