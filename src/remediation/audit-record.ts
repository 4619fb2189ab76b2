/**
 * The incident record: every request and every audit entry of a channel (or of everything), in
 * order. One model, rendered as JSON and Markdown by the CLI and as Block Kit in Slack.
 */
import type { ActionRequest, AuditEntry, Store } from '../store/store';
import { describeTarget } from './action-ids';

export interface IncidentRecord {
  generatedAt: string;
  channel: string | null;
  requests: ActionRequest[];
  entries: AuditEntry[];
}

export function incidentRecord(store: Store, channel: string | undefined, now: Date = new Date()): IncidentRecord {
  return {
    generatedAt: now.toISOString(),
    channel: channel ?? null,
    requests: store.listRequests(channel ? { channel } : {}),
    entries: store.listAudit(channel ? { channel } : {}),
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
    case 'request.created':
      return `requested ${str(d.action) ?? '?'} on ${str(d.target) ?? '?'}${d.dryRun ? ' (dry run)' : ''}${str(d.reason) ? `; reason: ${str(d.reason)}` : ''}${req}`;
    case 'request.refused':
      return `refused ${str(d.attempted) ?? ''} (${str(d.code) ?? ''}): ${str(d.reason) ?? ''}${req}`;
    case 'action.succeeded':
    case 'action.failed':
      return `${e.kind === 'action.succeeded' ? 'succeeded' : 'FAILED'}${d.dryRun ? ' (dry run, nothing changed)' : ''}: ${str(d.target) ?? ''}${str(d.error) ? ` - ${str(d.error)}` : ''}${Array.isArray(d.requestIds) && d.requestIds.length ? `; AWS request ids ${d.requestIds.join(', ')}` : ''}${req}`;
    case 'action.snapshot':
      return `saved to the record: ${str(d.what) ?? 'configuration'}${req}`;
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
      lines.push(`| ${[q.id, q.action, describeTarget(q.target), q.requestedBy, q.decidedBy ?? '', status, q.createdAt, q.decidedAt ?? ''].map(mdCell).join(' | ')} |`);
    }
  }
  lines.push('', '## Timeline', '');
  if (!r.entries.length) lines.push('Nothing recorded.');
  for (const e of r.entries) lines.push(`- ${e.at} **${e.kind}**${e.user ? ` by ${e.user}` : ''}: ${mdCell(entrySummary(e))}`);
  const evidence = r.entries.filter((e) => e.kind === 'action.snapshot');
  if (evidence.length) {
    lines.push('', '## Evidence and saved configurations', '');
    for (const e of evidence) lines.push(`### ${str(e.data.what) ?? 'configuration'} (${e.requestId ?? ''}, ${e.at})`, '', '```json', JSON.stringify(e.data, null, 2), '```', '');
  }
  return `${lines.join('\n')}\n`;
}
