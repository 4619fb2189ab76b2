/**
 * `/aws-ir evidence`: the channel's evidence manifest (the core's answer, with the snapshots' current
 * state when AWS can be read), posted in the thread of the channel's latest scan, like `/aws-ir audit`.
 */
import { evidenceGroups } from '../blocks/evidence';
import { hasEvidence } from '../incident/evidence-query';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleEvidenceCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const manifest = await ctx.core.evidence(channel);
  if (!hasEvidence(manifest)) {
    await replyEphemeral(
      ctx,
      'aws-ir has taken no snapshot and saved no configuration in this channel yet. "Snapshot volumes" on an EC2 finding takes one; deletions save the configuration first.',
    );
    return;
  }
  const threadTs = (await ctx.core.thread(channel)) ?? (await ctx.poster.post(channel, { text: `Evidence manifest requested by <@${ctx.command.user_id}>` }));
  await ctx.poster.postGroups(channel, threadTs, evidenceGroups(manifest), `Evidence manifest (requested by <@${ctx.command.user_id}>)`);
}
