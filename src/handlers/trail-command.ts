/**
 * `/aws-ir trail <access key id | user | role>` (runbook D3): the principal's CloudTrail activity in
 * every enabled region, posted in the thread of a short channel message saying who looked it up.
 */
import { clientsFor } from '../aws/clients';
import { toTrailView, trailGroups } from '../blocks/trail';
import { accountLabel } from '../blocks/scan-started';
import { esc, md, mention, mrkdwn, plural } from '../blocks/text';
import { parseTrailArgs, type TrailArgs } from './command-args';
import { replyEphemeral, type CommandContext } from './command-context';
import { signalCategory } from '../scan/signals';
import { principalActivity as enginePrincipalActivity } from '../scan/trail';
import { userMessage } from './user-errors';

export async function runTrailInSlack(ctx: CommandContext, args: TrailArgs): Promise<void> {
  const { services, poster, command } = ctx;
  const channel = command.channel_id;
  const principalActivity = ctx.lookups.principalActivity ?? enginePrincipalActivity;
  const what = args.label;
  const intro = mrkdwn`${mention(command.user_id)} looked up the CloudTrail activity of ${esc(what)} in ${esc(accountLabel(services.scanTarget.key))} (last ${plural(args.days, 'day')}).`;
  let threadTs: string;
  try {
    threadTs = await poster.post(channel, { text: intro, blocks: [{ type: 'section', text: md(mrkdwn`:footprints: ${intro}`) }] });
  } catch (err) {
    await replyEphemeral(ctx, mrkdwn`The trail lookup did not start. ${esc(userMessage(err))}`);
    return;
  }
  const end = services.now();
  const start = new Date(end.getTime() - args.days * 86_400_000);
  try {
    const raw = await principalActivity(clientsFor(services.scanTarget), {
      principal: args.principal,
      window: { start, end },
      ...(args.regions ? { regions: args.regions } : {}),
    });
    const view = toTrailView(raw);
    await poster.postGroups(
      channel,
      threadTs,
      trailGroups(what, view, (name) => signalCategory(name) !== undefined),
      mrkdwn`Activity of ${esc(what)}`,
    );
  } catch (err) {
    services.logger.error({ err, principal: args.principal }, 'trail lookup failed');
    await poster.post(channel, { text: mrkdwn`The trail lookup did not finish. ${esc(userMessage(err))}` }, threadTs);
  }
}

export const trailSubcommand = {
  parse: parseTrailArgs,
  run(ctx: CommandContext, args: TrailArgs): Promise<void> {
    ctx.tasks.run('trail', () => runTrailInSlack(ctx, args));
    return Promise.resolve();
  },
};
