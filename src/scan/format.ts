/**
 * Plain renderings of a ScanResult for the terminal and for pasting into tickets. The JSON form is the
 * one shared/design.md specifies (field order included); text and Markdown group findings by runbook step.
 */
import { RUNBOOK_STEPS, SEVERITIES, type Finding, type ScanResult } from './model';
import { reportLines } from './sources/describe';

export const STEP_TITLES: Record<string, string> = {
  D1: 'Credential report',
  D2: 'Last accessed',
  D3: 'Principal activity',
  D4: 'Cost',
  D5: 'IAM and Organizations changes',
  R1: 'Exposed access keys',
  R2: 'Quarantined users',
  R3: 'Temporary credentials',
  R4: 'CloudTrail event history',
  R5: 'Resources in every region',
  R6: 'Backups',
  R7: 'Restore',
  R8: 'Account information',
};

/** The design's JSON object. Finding fields beyond the specified ones (check, target, guidance) follow them. */
export function toJsonObject(r: ScanResult): Record<string, unknown> {
  return {
    account: r.account,
    window: { start: r.window.start, end: r.window.end },
    regions: r.regions,
    findings: r.findings.map((f) => ({
      id: f.id,
      severity: f.severity,
      step: f.step,
      title: f.title,
      resources: f.resources,
      evidence: f.evidence,
      actions: f.actions,
      check: f.check,
      ...(f.target ? { target: f.target } : {}),
      ...(f.guidance ? { guidance: f.guidance } : {}),
    })),
    gaps: r.gaps.map((g) => ({ check: g.check, ...(g.region ? { region: g.region } : {}), reason: g.reason })),
    stats: { durationMs: r.stats.durationMs, apiCalls: r.stats.apiCalls },
    // Additive: how CloudTrail was read in each region (strategy, source, coverage, requests, bytes).
    ...(r.cloudtrail ? { cloudtrail: r.cloudtrail } : {}),
    stories: (r.stories ?? []).map((s) => ({
      id: s.id,
      entry: s.entry,
      firstSeen: s.firstSeen,
      lastSeen: s.lastSeen,
      sourceAddresses: s.sourceAddresses,
      summary: s.summary,
      findingIds: s.findingIds,
      timeline: s.timeline,
      credentials: s.credentials,
      footprint: s.footprint,
      ...(s.cost ? { cost: s.cost } : {}),
      plan: s.plan,
    })),
  };
}

/** The stories as plain lines: summary, then the do-first plan (text and Markdown share it). */
function storyLines(r: ScanResult, bullet: (s: string) => string, quote: (s: string) => string): string[] {
  const lines: string[] = [];
  (r.stories ?? []).forEach((s, i) => {
    lines.push(`Story ${i + 1}: ${quote(s.entry.label)}`);
    for (const l of s.summary.split('\n')) lines.push(bullet(quote(l)));
    const plan = s.plan.map(
      (p, n) => `${n + 1}. [${p.phase}] ${quote(p.label)}${p.action ? ` (${p.action})` : ''}${p.guidance ? ` — ${quote(p.guidance)}` : ''}`,
    );
    if (plan.length) lines.push(bullet('Do first:'), ...plan.map((p) => `    ${p}`));
    lines.push(bullet(`${s.findingIds.length} findings, ${s.timeline.length} events in its timeline`), '');
  });
  return lines;
}

export function severityCounts(findings: Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of SEVERITIES) counts[s] = findings.filter((f) => f.severity === s).length;
  return counts;
}

function byStep(findings: Finding[]): [string, Finding[]][] {
  return RUNBOOK_STEPS.map((s) => [s, findings.filter((f) => f.step === s)] as [string, Finding[]]).filter(([, f]) => f.length > 0);
}

function evidenceLine(evidence: Record<string, unknown>): string {
  return Object.entries(evidence)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join('  ');
}

function totalCalls(r: ScanResult): number {
  return Object.values(r.stats.apiCalls).reduce((a, b) => a + b, 0);
}

export function toText(r: ScanResult): string {
  const counts = severityCounts(r.findings);
  const lines = [
    `aws-ir scan of account ${r.account}`,
    `window ${r.window.start} .. ${r.window.end}; regions: ${r.regions.join(', ') || 'none'}`,
    `findings: ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')}`,
    '',
    ...storyLines(
      r,
      (l) => `  ${l}`,
      (l) => l,
    ),
  ];
  for (const [step, findings] of byStep(r.findings)) {
    lines.push(`${step} ${STEP_TITLES[step] ?? ''}`);
    for (const f of findings) {
      lines.push(`  [${f.severity.toUpperCase()}] ${f.title}`);
      if (f.resources.length) lines.push(`      resources: ${f.resources.join(', ')}`);
      const ev = evidenceLine(f.evidence);
      if (ev) lines.push(`      ${ev.length > 400 ? `${ev.slice(0, 397)}...` : ev}`);
      if (f.actions.length) lines.push(`      actions: ${f.actions.join(', ')}`);
      if (f.guidance) lines.push(`      to do: ${f.guidance}`);
      lines.push(`      id: ${f.id}`);
    }
    lines.push('');
  }
  if (r.cloudtrail) {
    lines.push('CloudTrail read:');
    for (const l of reportLines(r.cloudtrail)) lines.push(`  - ${l}`);
    lines.push('');
  }
  if (r.gaps.length) {
    lines.push('Could not check:');
    for (const g of r.gaps) lines.push(`  - ${g.check}${g.region ? ` (${g.region})` : ''}: ${g.reason}`);
    lines.push('');
  }
  lines.push(`${totalCalls(r)} AWS API calls in ${(r.stats.durationMs / 1000).toFixed(1)} s`);
  return lines.join('\n');
}

const md = (s: string): string => s.replace(/([|*_`\\[\]])/g, '\\$1');

export function toMarkdown(r: ScanResult): string {
  const counts = severityCounts(r.findings);
  const lines = [
    `# aws-ir scan of account ${r.account}`,
    '',
    `- Window: ${r.window.start} to ${r.window.end}`,
    `- Regions: ${r.regions.join(', ') || 'none'}`,
    `- Findings: ${SEVERITIES.map((s) => `${counts[s]} ${s}`).join(', ')}`,
    `- AWS API calls: ${totalCalls(r)}, duration ${(r.stats.durationMs / 1000).toFixed(1)} s`,
    '',
  ];
  if (r.stories?.length) lines.push('## What happened', '', ...storyLines(r, (l) => `- ${l}`, md));
  for (const [step, findings] of byStep(r.findings)) {
    lines.push(`## ${step} ${STEP_TITLES[step] ?? ''}`, '');
    for (const f of findings) {
      lines.push(`- **${f.severity}** ${md(f.title)}`);
      if (f.resources.length) lines.push(`  - Resources: ${f.resources.map((x) => `\`${x}\``).join(', ')}`);
      const ev = evidenceLine(f.evidence);
      if (ev) lines.push(`  - Evidence: ${md(ev.length > 400 ? `${ev.slice(0, 397)}...` : ev)}`);
      if (f.actions.length) lines.push(`  - Actions: ${f.actions.map((a) => `\`${a}\``).join(', ')}`);
      if (f.guidance) lines.push(`  - To do: ${md(f.guidance)}`);
    }
    lines.push('');
  }
  if (r.cloudtrail) {
    lines.push('## CloudTrail read', '');
    for (const l of reportLines(r.cloudtrail)) lines.push(`- ${md(l)}`);
    lines.push('');
  }
  if (r.gaps.length) {
    lines.push('## Could not check', '');
    for (const g of r.gaps) lines.push(`- ${g.check}${g.region ? ` (${g.region})` : ''}: ${md(g.reason)}`);
    lines.push('');
  }
  return lines.join('\n');
}
