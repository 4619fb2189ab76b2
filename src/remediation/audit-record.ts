/**
 * The incident record: every request and every audit entry of a channel (or of everything), in
 * order, with the evidence manifest and the checklist. One model, rendered as JSON and Markdown by the
 * CLI and as Block Kit in Slack.
 */
import type { ActionRequest, AuditEntry, OpenItem } from '../store/model';
import type { Store } from '../store/store';
import { describeTarget } from './action-ids';
import { evidenceManifest, type EvidenceManifest } from './evidence-manifest';

export interface IncidentRecord {
  generatedAt: string;
  channel: string | null;
  requests: ActionRequest[];
  entries: AuditEntry[];
  /** What was snapshotted or saved before a deletion, where, and how to restore from it (R6/R7). */
  evidence: EvidenceManifest;
  /** Steps only a person can do, open or closed (see src/checklist). */
  openItems: OpenItem[];
}

export async function incidentRecord(store: Store, channel: string | undefined, now: Date): Promise<IncidentRecord> {
  const filter = channel ? { channel } : {};
  return {
    generatedAt: now.toISOString(),
    channel: channel ?? null,
    requests: await store.listRequests(filter),
    entries: await store.listAudit(filter),
    evidence: await evidenceManifest(store, channel, now),
    openItems: await store.listOpenItems(filter),
  };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** One line of the timeline, without markup: what happened, to what, with the AWS request id. */
export function entrySummary(e: AuditEntry): string {
  const d = e.data;
  const req = e.requestId ? ` [${e.requestId}]` : '';
  switch (e.kind) {
    case 'aws.call': {
      const result = str(d.errorCode) ? `failed: ${str(d.errorCode)}` : 'ok';
      const rid = str(d.requestId) ? `, request id ${str(d.requestId)}` : '';
      return `AWS ${str(d.operation) ?? '?'} (${str(d.region) ?? '?'}) ${result}${rid} ${JSON.stringify(d.input ?? {})}${req}`;
    }
    case 'aws.intent':
      return `about to send AWS ${str(d.operation) ?? '?'} ${JSON.stringify(d.input ?? {})}${req}`;
    case 'aws.outcome':
      return `AWS ${str(d.operation) ?? '?'} ${d.result === 'ok' ? 'done' : `failed: ${str(d.errorCode) ?? '?'}`}${str(d.requestId) ? `, request id ${str(d.requestId)}` : ''}${req}`;
    case 'aws.readback':
      return `after a restart, AWS ${str(d.operation) ?? '?'} (sent, no answer recorded) reads back as ${str(d.state) ?? 'unknown'}. ${str(d.check) ?? ''}${req}`;
    case 'scan.interrupted':
      return `scan interrupted: ${str(d.reason) ?? ''}`;
    case 'request.created':
      return `requested ${str(d.action) ?? '?'} on ${str(d.target) ?? '?'}${d.dryRun ? ' (dry run)' : ''}${str(d.reason) ? `; reason: ${str(d.reason)}` : ''}${req}`;
    case 'request.break-glass':
      return `BREAK-GLASS: run without a second approver on ${str(d.target) ?? '?'}${d.dryRun ? ' (dry run)' : ''}; why: ${str(d.reason) ?? ''}${req}`;
    case 'request.reviewed':
      return `break-glass run reviewed by a second responder: ${str(d.target) ?? '?'}${req}`;
    case 'request.approved':
      return `approved${typeof d.needed === 'number' && d.needed > 1 ? ` (${String(d.approvals)} of ${d.needed})` : ''}: ${str(d.target) ?? '?'}${req}`;
    case 'request.refused':
      return `refused ${str(d.attempted) ?? ''} (${str(d.code) ?? ''}): ${str(d.reason) ?? ''}${req}`;
    case 'action.succeeded':
    case 'action.failed':
      return `${e.kind === 'action.succeeded' ? 'succeeded' : 'FAILED'}${d.dryRun ? ' (dry run, nothing changed)' : ''}: ${str(d.target) ?? ''}${str(d.error) ? ` - ${str(d.error)}` : ''}${Array.isArray(d.requestIds) && d.requestIds.length ? `; AWS request ids ${d.requestIds.join(', ')}` : ''}${req}`;
    case 'action.snapshot':
      return `saved to the record: ${str(d.what) ?? 'configuration'}${req}`;
    case 'checklist.opened':
      return `checklist item opened (${str(d.step) ?? '?'}): ${str(d.title) ?? ''}`;
    case 'checklist.done':
      return `checklist item marked done by a person, not verified in AWS (${str(d.step) ?? '?'}): ${str(d.title) ?? ''}`;
    case 'checklist.verified':
    case 'checklist.reopened':
      return `checklist item ${e.kind === 'checklist.verified' ? 'closed' : 'reopened'} (${str(d.step) ?? '?'}): ${str(d.title) ?? ''}. ${str(d.note) ?? ''}`;
    default:
      return `${e.kind.replace('.', ' ')}${str(d.target) ? `: ${str(d.target)}` : ''}${req}`;
  }
}

function mdCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function recordMarkdown(r: IncidentRecord): string {
  const lines = [`# aws-ir incident record${r.channel ? ` for channel ${r.channel}` : ''}`, '', `Generated ${r.generatedAt}.`, '', '## Requests', ''];
  if (!r.requests.length) lines.push('No action was requested.');
  else {
    lines.push('| Request | Action | Target | Requested by | Decided by | Status | Created | Decided |', '|---|---|---|---|---|---|---|---|');
    for (const q of r.requests) {
      const status = `${q.status}${q.dryRun ? ' (dry run)' : ''}${q.undoOf ? ` (undo of ${q.undoOf})` : ''}`;
      lines.push(
        `| ${[q.id, q.action, describeTarget(q.target), q.requestedBy, q.decidedBy ?? '', status, q.createdAt, q.decidedAt ?? ''].map(mdCell).join(' | ')} |`,
      );
    }
  }
  lines.push('', '## Timeline', '');
  if (!r.entries.length) lines.push('Nothing recorded.');
  for (const e of r.entries) lines.push(`- ${e.at} **${e.kind}**${e.user ? ` by ${e.user}` : ''}: ${mdCell(entrySummary(e))}`);
  lines.push(...evidenceMarkdown(r.evidence), ...checklistMarkdown(r.openItems));
  return `${lines.join('\n')}\n`;
}

function evidenceMarkdown(m: EvidenceManifest): string[] {
  const lines = ['', '## Evidence manifest', ''];
  if (!m.snapshots.length && !m.configurations.length) return [...lines, 'aws-ir took no snapshot and saved no configuration.'];
  lines.push(m.note, '', '### Snapshots', '');
  if (!m.snapshots.length) lines.push('No snapshot was taken.');
  else {
    lines.push(
      '| Snapshot | Volume | Device | Instance | Region | Account | Request | AWS request id | Requested by | Approved by | Taken |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const s of m.snapshots) {
      lines.push(
        `| ${[s.snapshotId, s.volumeId, s.device, s.instanceId, s.region, s.account, s.requestId, s.awsRequestId ?? '', s.requestedBy ?? '', s.approvedBy ?? '', s.takenAt].map(mdCell).join(' | ')} |`,
      );
    }
    lines.push('', ...m.snapshots.map((s) => `- To restore from ${s.snapshotId}: ${s.restore}`));
  }
  lines.push('', '### Configurations saved before a deletion', '');
  if (!m.configurations.length) lines.push('No configuration was saved.');
  for (const c of m.configurations) {
    const who = [c.requestedBy ? `requested by ${c.requestedBy}` : '', c.approvedBy ? `approved by ${c.approvedBy}` : ''].filter(Boolean).join(', ');
    lines.push(
      `#### ${c.resource}`,
      '',
      `Saved ${c.savedAt}${c.requestId ? ` by request ${c.requestId} (${c.action ?? '?'}, ${who}; deletion ${c.deletion ?? '?'})` : ''}${c.account ? ` in account ${c.account}` : ''}.`,
      '',
      `To restore: ${c.restore}`,
      '',
      '```json',
      JSON.stringify(c.configuration, null, 2),
      '```',
      '',
    );
  }
  return lines;
}

function checklistMarkdown(items: OpenItem[]): string[] {
  const lines = ['', '## Incident checklist', ''];
  if (!items.length) return [...lines, 'No open item was recorded.'];
  lines.push('| Step | Item | Status | Closed by | Closed | Note |', '|---|---|---|---|---|---|');
  for (const i of items) lines.push(`| ${[i.step, i.title, i.status, i.closedBy ?? '', i.closedAt ?? '', i.note ?? ''].map(mdCell).join(' | ')} |`);
  return lines;
}
