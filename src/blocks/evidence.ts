/**
 * Block Kit for `/aws-ir evidence`: the evidence manifest (R6/R7). Every snapshot aws-ir took and
 * every configuration it saved before a deletion, who asked and approved, and how a person restores
 * from it; aws-ir restores nothing by itself, and the message says so first.
 */
import type { KnownBlock } from '@slack/types';
import type { EvidenceManifest, SavedConfiguration, SnapshotEvidence } from '../remediation/evidence-manifest';
import { code, esc, formatTime, joinMrkdwn, md, mention, mrkdwn, plural, truncate, truncateMrkdwn, type Mrkdwn } from './text';

const CONFIG_PREVIEW_MAX = 1200;

function people(x: { requestedBy?: string; approvedBy?: string }): Mrkdwn {
  const who: Mrkdwn[] = [];
  if (x.requestedBy) who.push(mrkdwn`asked by ${mention(x.requestedBy)}`);
  if (x.approvedBy) who.push(mrkdwn`approved by ${mention(x.approvedBy)}`);
  return joinMrkdwn(who, ', ');
}

function snapshotBlock(s: SnapshotEvidence): KnownBlock {
  const lines = [
    mrkdwn`:camera: *${esc(s.snapshotId)}* of ${code(s.volumeId)} (${esc(s.device)}) on EC2 instance ${code(s.instanceId)} · ${esc(s.region)} · account ${esc(s.account)}`,
    mrkdwn`Taken ${formatTime(s.takenAt)} by request ${code(s.requestId)}${s.awsRequestId ? mrkdwn` (AWS request id ${code(s.awsRequestId)})` : mrkdwn``}; ${people(s)}.`,
  ];
  if (s.currentState) lines.push(mrkdwn`Current state: *${esc(truncate(s.currentState, 300))}*`);
  lines.push(mrkdwn`_To restore:_ ${esc(s.restore)}`);
  return { type: 'section', text: md(truncateMrkdwn(joinMrkdwn(lines, '\n'), 2900)) };
}

function configurationBlock(c: SavedConfiguration): KnownBlock {
  const saved = c.requestId
    ? mrkdwn` before ${esc(c.action ?? '?')} (request ${code(c.requestId)}, deletion *${esc(c.deletion ?? '?')}*; ${people(c)})`
    : mrkdwn``;
  // Escaped before it is cut, so the code block keeps its length bound and its closing fence.
  const preview = truncateMrkdwn(esc(JSON.stringify(c.configuration).replace(/```/g, "'''")), CONFIG_PREVIEW_MAX);
  const text = joinMrkdwn(
    [
      mrkdwn`:floppy_disk: *${esc(truncate(c.resource, 300))}* saved ${formatTime(c.savedAt)}${saved}${c.account ? mrkdwn` · account ${esc(c.account)}` : mrkdwn``}`,
      mrkdwn`_To restore:_ ${esc(c.restore)}`,
      mrkdwn`\`\`\`${preview}\`\`\``,
    ],
    '\n',
  );
  return { type: 'section', text: md(text) };
}

/** Groups of blocks (each fits one message) for SlackPoster.postGroups. */
export function evidenceGroups(m: EvidenceManifest): KnownBlock[][] {
  const summary = mrkdwn`${plural(m.snapshots.length, 'snapshot')} taken, ${plural(m.configurations.length, 'configuration')} saved before a deletion.`;
  const groups: KnownBlock[][] = [
    [
      { type: 'header', text: { type: 'plain_text', text: 'Evidence manifest' } },
      { type: 'section', text: md(mrkdwn`${summary} ${esc(m.note)}`) },
      { type: 'context', elements: [md(mrkdwn`Full saved documents: ${code(`aws-ir audit --channel ${m.channel ?? ''} --format markdown`)}.`)] },
    ],
  ];
  for (const s of m.snapshots) groups.push([snapshotBlock(s)]);
  for (const c of m.configurations) groups.push([configurationBlock(c)]);
  return groups;
}
