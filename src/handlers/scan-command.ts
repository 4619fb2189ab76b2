/**
 * `/aws-ir scan [--days N] [--regions a,b]`: flags are checked before the ack (so a mistake is
 * answered at once); the scan starts after it, through the incident core, told as a thread. One scan
 * at a time per channel, decided by the store: a second one would double the AWS calls (and Cost
 * Explorer charges) and split the team's attention between two threads.
 */
import { parseFlags } from '../args/flags';
import { windowArgs, type WindowArgs } from '../args/values';
import { esc } from '../blocks/text';
import { replyEphemeral, type CommandContext } from './command-context';
import { SlackScanPublisher } from './slack-scan-publisher';

export function parseScanCommand(tokens: string[]): WindowArgs {
  return windowArgs(parseFlags(tokens, { days: 'string', regions: 'string' } as const).flags);
}

export async function runScanCommand(ctx: CommandContext, args: WindowArgs): Promise<void> {
  const { command, services } = ctx;
  const publisher = new SlackScanPublisher(ctx.poster, command.channel_id, {
    progressIntervalMs: ctx.progressIntervalMs,
    clock: services.clock,
    logger: services.logger.child({ channel: command.channel_id, user: command.user_id }),
  });
  const outcome = await ctx.core.startScan({ channel: command.channel_id, requestedBy: command.user_id, ...args }, publisher);
  if (outcome.kind === 'busy') {
    const who = outcome.running ? ` started by <@${outcome.running.requestedBy}>` : '';
    await replyEphemeral(ctx, `A scan${who} is still running in this channel; its progress and findings are in its thread.`);
  } else if (outcome.kind === 'not-started') {
    await replyEphemeral(ctx, `The scan did not start. ${esc(outcome.reason)}`);
  }
}

export const scanSubcommand = {
  parse: parseScanCommand,
  run(ctx: CommandContext, args: WindowArgs): Promise<void> {
    ctx.tasks.run('scan', () => runScanCommand(ctx, args));
    return Promise.resolve();
  },
};
