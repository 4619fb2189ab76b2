/**
 * `/aws-ir evidence`: the channel's evidence manifest (the core's answer, with the snapshots' current
 * state when AWS can be read), posted as a new message in the channel, like every shared answer.
 */
import { evidenceGroups } from '../blocks/evidence';
import { mention, mrkdwn } from '../blocks/text';
import { hasEvidence } from '../incident/evidence-query';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleEvidenceCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const manifest = await ctx.core.evidence(channel);
  if (!hasEvidence(manifest)) {
    await replyEphemeral(
      ctx,
      mrkdwn`aws-ir has taken no snapshot and saved no configuration in this channel yet. "Snapshot volumes" on an EC2 finding takes one; deletions save the configuration first.`,
    );
    return;
  }
  await ctx.poster.postAnswer(channel, evidenceGroups(manifest), mrkdwn`Evidence manifest (requested by ${mention(ctx.command.user_id)})`);
}
