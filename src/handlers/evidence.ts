/**
 * `/aws-ir evidence`: posts the channel's evidence manifest (every snapshot aws-ir took, every
 * configuration it saved before a deletion, and how to restore from them) in the thread of the
 * channel's latest scan, like `/aws-ir audit`. The snapshots' current state is read from AWS when it
 * can be; the manifest is posted either way.
 */
import { clientsFor } from '../aws/clients';
import { evidenceGroups } from '../blocks/evidence';
import { mention, mrkdwn } from '../blocks/text';
import { evidenceManifest } from '../remediation/evidence-manifest';
import { withSnapshotStates } from '../remediation/evidence-state';
import { replyEphemeral, type CommandContext } from './command-context';

export async function handleEvidenceCommand(ctx: CommandContext): Promise<void> {
  const channel = ctx.command.channel_id;
  const { store } = ctx.services;
  const manifest = evidenceManifest(store, channel, ctx.services.now());
  if (!manifest.snapshots.length && !manifest.configurations.length) {
    await replyEphemeral(
      ctx,
      'aws-ir has taken no snapshot and saved no configuration in this channel yet. "Snapshot volumes" on an EC2 finding takes one; deletions save the configuration first.',
    );
    return;
  }
  // The snapshots were made with the remediation identity, which may read them (ec2:DescribeSnapshots).
  const shown = manifest.snapshots.length ? await withSnapshotStates(manifest, clientsFor(ctx.services.remediationTarget)) : manifest;
  let threadTs = store.latestScan(channel)?.threadTs;
  if (!threadTs) threadTs = await ctx.poster.post(channel, { text: mrkdwn`Evidence manifest requested by ${mention(ctx.command.user_id)}` });
  await ctx.poster.postGroups(channel, threadTs, evidenceGroups(shown), mrkdwn`Evidence manifest (requested by ${mention(ctx.command.user_id)})`);
}
