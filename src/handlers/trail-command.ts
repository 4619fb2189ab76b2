/**
 * `/aws-ir trail <access key id | user | role>` (runbook D3): the principal's CloudTrail activity in
 * every enabled region, posted in the thread of a short channel message saying who looked it up.
 */
import { parseFlags } from '../args/flags';
import { parsePrincipalArg, windowArgs, type PrincipalArg, type WindowArgs } from '../args/values';
import { fallbackText } from '../blocks/limits';
import { accountLabel } from '../blocks/scan-started';
import { trailGroups, trailViewOf } from '../blocks/trail';
import { esc, md, plural } from '../blocks/text';
import { userMessage } from '../errors';
import { signalCategory } from '../scan/signals';
import { replyEphemeral, type CommandContext } from './command-context';

export type TrailArgs = PrincipalArg & WindowArgs;

export function parseTrailCommand(tokens: string[]): TrailArgs {
  const { flags, positionals } = parseFlags(tokens, { days: 'string', regions: 'string' } as const, { maxPositionals: Number.POSITIVE_INFINITY });
  return { ...parsePrincipalArg(positionals), ...windowArgs(flags) };
}

export async function runTrailCommand(ctx: CommandContext, args: TrailArgs): Promise<void> {
  const { services, poster, command } = ctx;
  const channel = command.channel_id;
  const intro = `<@${command.user_id}> looked up the CloudTrail activity of ${esc(args.label)} in ${esc(accountLabel(services.scanTarget.key))} (last ${plural(args.days, 'day')}).`;
  let threadTs: string;
  try {
    threadTs = await poster.post(channel, { text: intro, blocks: [{ type: 'section', text: md(`:footprints: ${intro}`) }] });
  } catch (err) {
    await replyEphemeral(ctx, `The trail lookup did not start. ${esc(userMessage(err))}`);
    return;
  }
  try {
    const activity = await ctx.core.trail({ principal: args.principal, days: args.days, ...(args.regions ? { regions: args.regions } : {}) });
    const groups = trailGroups(args.label, trailViewOf(activity), (name) => signalCategory(name) !== undefined);
    await poster.postGroups(channel, threadTs, groups, fallbackText(`Activity of ${esc(args.label)}`));
  } catch (err) {
    services.logger.error({ err, principal: args.principal }, 'trail lookup failed');
    await poster.post(channel, { text: `The trail lookup did not finish. ${esc(userMessage(err))}` }, threadTs);
  }
}

export const trailSubcommand = {
  parse: parseTrailCommand,
  run(ctx: CommandContext, args: TrailArgs): Promise<void> {
    ctx.tasks.run('trail', () => runTrailCommand(ctx, args));
    return Promise.resolve();
  },
};
