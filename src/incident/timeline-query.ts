/**
 * `/aws-ir timeline` and `aws-ir timeline`: one chronological record of the incident, ready for a
 * postmortem — what the attacker did (the stories of the channel's scans) and what the team did (its
 * scans, requests, approvals and rejections, AWS changes, undos and checklist marks, from the audit).
 * UI-free; Slack, Markdown and JSON render it.
 */
import { describeTarget, type ActionTarget } from '../remediation/action-ids';
import type { ActionRequest, AuditEntry, ScanRecord } from '../store/model';
import type { CoreServices } from '../services';

export type TimelineSide = 'attacker' | 'team';

export interface TimelineEntry {
  at: string;
  side: TimelineSide;
  /** Who acted: a credential for the attacker, a Slack user id (or cli:NAME) for the team. */
  who?: string;
  /** What kind of event: a CloudTrail event name, or an audit kind. */
  kind: string;
  what: string;
  /** Where it is recorded: the story or the request it belongs to. */
  ref?: string;
  region?: string;
  sourceIp?: string;
}

export interface IncidentTimeline {
  channel: string;
  generatedAt: string;
  entries: TimelineEntry[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The audit kinds a postmortem reads; intents, outcomes and snapshots are the detail behind "AWS change". */
const TEAM_KINDS = new Set([
  'scan.started',
  'scan.finished',
  'scan.interrupted',
  'request.created',
  'request.approved',
  'request.rejected',
  'request.expired',
  'action.succeeded',
  'action.failed',
  'action.interrupted',
  'aws.call',
  'checklist.done',
  'checklist.verified',
  'checklist.reopened',
]);

function targetText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && 'kind' in v) return describeTarget(v as ActionTarget);
  return 'its target';
}

function teamWhat(e: AuditEntry, requests: ReadonlyMap<string, ActionRequest>): string {
  const request = e.requestId ? requests.get(e.requestId) : undefined;
  // Approvals and outcomes record only the request id; the request says what and on what.
  const d: Record<string, unknown> = { ...(request ? { action: request.action, target: describeTarget(request.target) } : {}), ...e.data };
  const undo = request?.undoOf ? 'undo: ' : '';
  switch (e.kind) {
    case 'scan.started':
      return `scan started (${typeof d.days === 'number' ? `last ${d.days} days` : 'window'})`;
    case 'scan.finished':
      return d.status === 'done'
        ? `scan finished: ${String(d.findings ?? '?')} findings, ${String(d.gaps ?? 0)} not checked`
        : `scan failed: ${str(d.reason) ?? ''}`;
    case 'scan.interrupted':
      return `scan interrupted: ${str(d.reason) ?? ''}`;
    case 'request.created':
      return `${undo}requested ${str(d.action) ?? '?'} on ${targetText(d.target)}${str(d.reason) ? ` — "${str(d.reason)}"` : ''}`;
    case 'request.approved':
      return `${undo}approved ${str(d.action) ?? 'the request'} on ${targetText(d.target)}`;
    case 'request.rejected':
      return `${undo}rejected ${str(d.action) ?? 'the request'} on ${targetText(d.target)}`;
    case 'request.expired':
      return `request expired unapproved (${targetText(d.target)})`;
    case 'action.succeeded':
      return `${undo}done and verified on AWS: ${str(d.action) ?? ''} ${targetText(d.target)}`.replace(/\s+/g, ' ');
    case 'action.failed':
      return `${undo}action failed on ${targetText(d.target)}: ${str(d.error) ?? ''}`;
    case 'action.interrupted':
      return `action interrupted (${targetText(d.target)})`;
    case 'aws.call':
      return `AWS change: ${str(d.operation) ?? '?'}${str(d.region) ? ` in ${str(d.region)}` : ''}${str(d.errorCode) ? ` failed (${str(d.errorCode)})` : ''}`;
    case 'checklist.done':
      return `checklist item marked done: ${str(d.title) ?? str(d.item) ?? ''}`;
    case 'checklist.verified':
      return `checklist item verified by a scan: ${str(d.title) ?? str(d.item) ?? ''}`;
    case 'checklist.reopened':
      return `checklist item reopened: ${str(d.title) ?? str(d.item) ?? ''}`;
    default:
      return e.kind;
  }
}

/** The attacker's events of every story of the channel's scans, once each (a re-scan tells the same story again). */
export function attackerEntries(scans: readonly ScanRecord[]): TimelineEntry[] {
  const seen = new Set<string>();
  const out: TimelineEntry[] = [];
  for (const scan of scans) {
    for (const story of scan.result?.stories ?? []) {
      for (const e of story.timeline) {
        const key = `${e.at}|${e.event}|${e.actor}|${e.what}|${e.region}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({
          at: e.at,
          side: 'attacker',
          who: e.actor,
          kind: e.event,
          what: `${e.what}${e.failed ? ' (failed)' : ''}`,
          ref: story.id,
          region: e.region,
          ...(e.sourceIp ? { sourceIp: e.sourceIp } : {}),
        });
      }
    }
  }
  return out;
}

export function teamEntries(entries: readonly AuditEntry[], requests: ReadonlyMap<string, ActionRequest>): TimelineEntry[] {
  return entries
    .filter((e) => TEAM_KINDS.has(e.kind))
    .map((e) => ({
      at: e.at,
      side: 'team' as const,
      ...(e.user ? { who: e.user } : {}),
      kind: e.kind,
      what: teamWhat(e, requests),
      ...(e.requestId ? { ref: e.requestId } : e.scanId ? { ref: e.scanId } : {}),
    }));
}

export async function incidentTimeline(deps: { services: Pick<CoreServices, 'store' | 'clock'> }, channel: string): Promise<IncidentTimeline> {
  const { store, clock } = deps.services;
  const scans = (await store.listScans({ channel, status: 'done' })).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const requests = new Map((await store.listRequests({ channel })).map((r) => [r.id, r]));
  const entries = [...attackerEntries(scans), ...teamEntries(await store.listAudit({ channel }), requests)].sort(
    (a, b) => a.at.localeCompare(b.at) || (a.side === b.side ? 0 : a.side === 'attacker' ? -1 : 1),
  );
  return { channel, generatedAt: clock.now().toISOString(), entries };
}

/** Markdown for a postmortem: one line per entry, attacker and team marked. */
export function timelineMarkdown(t: IncidentTimeline): string {
  const esc = (s: string): string => s.replace(/([|*_`\\[\]])/g, '\\$1');
  const lines = [
    `# Incident timeline (${t.channel})`,
    '',
    `Generated ${t.generatedAt}. Attacker events come from the scans' stories; team events from the audit.`,
    '',
  ];
  if (!t.entries.length) lines.push('Nothing recorded yet.');
  lines.push('| Time (UTC) | Side | Who | What |', '| --- | --- | --- | --- |');
  for (const e of t.entries)
    lines.push(
      `| ${e.at.replace('T', ' ').slice(0, 19)} | ${e.side} | ${esc(e.who ?? '')} | ${esc(e.what)}${e.sourceIp ? ` (from ${esc(e.sourceIp)}${e.region ? `, ${esc(e.region)}` : ''})` : ''} |`,
    );
  return lines.join('\n');
}
