/**
 * Block Kit for `/aws-ir evidence`: the evidence manifest (R6/R7). Every snapshot aws-ir took and
 * every configuration it saved before a deletion, who asked and approved, and how a person restores
 * from it; aws-ir restores nothing by itself, and the message says so first.
 */
import type { KnownBlock } from '@slack/types';
import type { EvidenceManifest, SavedConfiguration, SnapshotEvidence } from '../remediation/evidence-manifest';
import { code, esc, formatTime, md, plural, truncate } from './text';

const CONFIG_PREVIEW_MAX = 1200;

function people(x: { requestedBy?: string; approvedBy?: string }): string {
  return [x.requestedBy ? `asked by <@${x.requestedBy}>` : '', x.approvedBy ? `approved by <@${x.approvedBy}>` : ''].filter(Boolean).join(', ');
}

function snapshotBlock(s: SnapshotEvidence): KnownBlock {
  const lines = [
    `:camera: *${esc(s.snapshotId)}* of ${code(s.volumeId)} (${esc(s.device)}) on EC2 instance ${code(s.instanceId)} · ${esc(s.region)} · account ${esc(s.account)}`,
    `Taken ${formatTime(s.takenAt)} by request ${code(s.requestId)}${s.awsRequestId ? ` (AWS request id ${code(s.awsRequestId)})` : ''}; ${people(s)}.`,
  ];
  if (s.currentState) lines.push(`Current state: *${esc(truncate(s.currentState, 300))}*`);
  lines.push(`_To restore:_ ${esc(s.restore)}`);
  return { type: 'section', text: md(truncate(lines.join('\n'), 2900)) };
}

function configurationBlock(c: SavedConfiguration): KnownBlock {
  const saved = c.requestId ? ` before ${esc(c.action ?? '?')} (request ${code(c.requestId)}, deletion *${esc(c.deletion ?? '?')}*; ${people(c)})` : '';
  const preview = truncate(JSON.stringify(c.configuration), CONFIG_PREVIEW_MAX).replace(/```/g, "'''");
  const text = [
    `:floppy_disk: *${esc(truncate(c.resource, 300))}* saved ${formatTime(c.savedAt)}${saved}${c.account ? ` · account ${esc(c.account)}` : ''}`,
    `_To restore:_ ${esc(c.restore)}`,
    `\`\`\`${esc(preview)}\`\`\``,
  ].join('\n');
  return { type: 'section', text: md(truncate(text, 2900)) };
}

/** Groups of blocks (each fits one message) for SlackPoster.postGroups. */
export function evidenceGroups(m: EvidenceManifest): KnownBlock[][] {
  const summary = `${plural(m.snapshots.length, 'snapshot')} taken, ${plural(m.configurations.length, 'configuration')} saved before a deletion.`;
  const groups: KnownBlock[][] = [
    [
      { type: 'header', text: { type: 'plain_text', text: 'Evidence manifest' } },
      { type: 'section', text: md(`${summary} ${esc(m.note)}`) },
      { type: 'context', elements: [md(`Full saved documents: \`aws-ir audit --channel ${esc(m.channel ?? '')} --format markdown\`.`)] },
    ],
  ];
  for (const s of m.snapshots) groups.push([snapshotBlock(s)]);
  for (const c of m.configurations) groups.push([configurationBlock(c)]);
  return groups;
}
