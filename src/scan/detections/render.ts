/**
 * The catalog as a document: `aws-ir detections --format markdown|json` and docs/detections.md (a test
 * fails when the committed doc differs from what this renders).
 */
import { SEVERITIES } from '../model';
import type { Detection } from './model';
import { FAMILIES } from './model';

export interface DetectionDoc {
  id: string;
  title: string;
  family: string;
  eventSource: string;
  events: string[];
  outcome: string;
  errorCodes?: string[];
  identities?: string[];
  conditions: string[];
  severity: string;
  severityRules: { severity: string; when: string }[];
  routine?: string;
  threshold?: string;
  step: string;
  technique: { id: string; name: string; url: string };
  why: string;
  targets: { kind: string; from: string }[];
  actions: Record<string, string[]>;
  guidance: string;
  sources: string[];
}

const ROUTINE_TEXT: Record<NonNullable<Detection['routine']>, string> = {
  habit: 'low when the principal makes this call from its usual address on 2+ days (its habit)',
  everyday:
    'low when from the principal’s usual address, not denied and not in a burst (sign-ins: not raised at all unless failed, without MFA or from a new address)',
};

export function detectionDoc(d: Detection): DetectionDoc {
  const doc: DetectionDoc = {
    id: d.id,
    title: d.title,
    family: d.family,
    eventSource: d.match.source,
    events: d.match.events,
    outcome: d.match.outcome ?? 'success',
    conditions: (d.match.conditions ?? []).map((c) => c.text),
    severity: d.severity,
    severityRules: (d.rules ?? []).map((r) => ({ severity: r.severity, when: r.text })),
    step: d.step,
    technique: { ...d.technique, url: `https://attack.mitre.org/techniques/${d.technique.id.replace('.', '/')}/` },
    why: d.why,
    targets: d.targets.map((t) => ({ kind: t.kind, from: t.from })),
    actions: Object.fromEntries(Object.entries(d.response.actions ?? {}).map(([k, v]) => [k, [...(v ?? [])]])),
    guidance: d.response.guidance,
    sources: d.sources,
  };
  if (d.match.errorCodes) doc.errorCodes = d.match.errorCodes;
  if (d.match.identities) doc.identities = d.match.identities;
  if (d.routine) doc.routine = ROUTINE_TEXT[d.routine];
  if (d.threshold) doc.threshold = d.threshold.text;
  return doc;
}

export function catalogJson(catalog: readonly Detection[]): string {
  return `${JSON.stringify({ detections: catalog.map(detectionDoc) }, null, 2)}\n`;
}

/** Markdown tables cannot hold a raw pipe or newline. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function catalogMarkdown(catalog: readonly Detection[]): string {
  const lines = [
    '# Detections',
    '',
    '<!-- Generated from src/scan/detections/catalog by `aws-ir detections --format markdown`; do not edit by hand. -->',
    '',
    `aws-ir's scan runs these ${catalog.length} detections over the CloudTrail event history of every enabled region.`,
    'Each finding names the resource it is about (the first target listed) and offers the actions listed for it;',
    'calls AWS makes for itself (`invokedBy`, AWS service identities, service-linked roles, `*.amazonaws.com`',
    'source addresses) are reported as AWS’s, never as the principal’s.',
    '',
    `Severities: ${SEVERITIES.join(', ')}. Steps: the runbook’s D1–D5 and R1–R8 (shared runbook).`,
    '',
    '| Detection | Matches | Severity | Step | ATT&CK | Names |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  const ordered = [...catalog].sort((a, b) => FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family) || a.id.localeCompare(b.id));
  for (const d of ordered) {
    const events = d.match.events.includes('*') ? 'any event' : d.match.events.map((e) => `\`${e}\``).join(', ');
    lines.push(
      `| [${cell(d.title)}](#${d.id}) | \`${d.match.source}\` ${events} | ${d.severity}${d.rules?.length ? ' (rules)' : ''}${d.routine ? ` (${d.routine})` : ''} | ${d.step} | ${d.technique.id} | ${d.targets.map((t) => t.kind).join(', ')} |`,
    );
  }
  for (const family of FAMILIES) {
    const entries = ordered.filter((d) => d.family === family);
    if (!entries.length) continue;
    lines.push('', `## ${family}`);
    for (const d of entries) {
      const doc = detectionDoc(d);
      lines.push('', `### ${d.id}`, '', `**${d.title}.** ${d.why}`, '');
      lines.push(`- Matches: \`${doc.eventSource}\` ${doc.events.includes('*') ? 'any event' : doc.events.map((e) => `\`${e}\``).join(', ')} (${doc.outcome})`);
      if (doc.errorCodes) lines.push(`- Error codes: ${doc.errorCodes.map((c) => `\`${c}\``).join(', ')}`);
      if (doc.identities) lines.push(`- Identity types: ${doc.identities.join(', ')}`);
      for (const c of doc.conditions) lines.push(`- When: ${c}`);
      if (doc.threshold) lines.push(`- Threshold: ${doc.threshold}`);
      lines.push(`- Severity: ${doc.severity}`);
      for (const r of doc.severityRules) lines.push(`  - ${r.severity} when ${r.when}`);
      if (doc.routine) lines.push(`  - ${doc.routine}`);
      lines.push(`- Runbook step: ${doc.step}; ATT&CK: [${doc.technique.id} ${doc.technique.name}](${doc.technique.url})`);
      lines.push(`- Names: ${doc.targets.map((t) => `${t.kind} (${t.from})`).join('; ')}`);
      const actions = Object.entries(doc.actions).map(([k, v]) => `${k}: ${v.map((a) => `\`${a}\``).join(', ')}`);
      lines.push(`- Response: ${actions.length ? `${actions.join('; ')}. ` : ''}${doc.guidance}`);
      lines.push(`- Sources: ${doc.sources.map((s) => `<${s}>`).join(', ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
