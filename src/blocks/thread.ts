/**
 * The scan's thread in priority order: each story's findings together (most severe first), then the
 * rest by severity, every finding keeping its runbook-step label. Findings that repeat across many
 * identities (no MFA, idle keys, old passwords…) outside the stories become one entry with the count
 * and the first names; their full lists go out as a file. The JSON output keeps every finding.
 */
import type { KnownBlock } from '@slack/types';
import type { ScanComparison } from '../incident/scan-progress';
import type { Finding, ScanResult } from '../scan/model';
import { RUNBOOK_STEPS } from '../scan/model';
import { SEVERITY_RANK } from '../scan/signals';
import { targetKey } from '../scan/stories';
import { type ButtonCounter, findingBlocks, type FindingView } from './findings';
import { SEVERITY_ICON, SEVERITY_LABEL, STEP_TITLE } from './labels';
import { code, esc, joinMrkdwn, md, mrkdwn, plain, plural, truncate } from './text';

/** From this many look-alikes on, findings outside the stories are shown as one. */
export const AGGREGATE_MIN = 4;
const NAMES_SHOWN = 12;

export interface IdentityList {
  title: string;
  filename: string;
  /** One line per finding: identity, title, finding id. */
  content: string;
  count: number;
}

export interface ThreadPlan {
  groups: KnownBlock[][];
  lists: IdentityList[];
}

function byPriority(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || RUNBOOK_STEPS.indexOf(a.step) - RUNBOOK_STEPS.indexOf(b.step) || a.title.localeCompare(b.title)
  );
}

/** The identity a finding is about, when it is one of many alike. */
function identityOf(f: Finding): string | undefined {
  const t = f.target;
  if (t?.kind === 'user') return t.userName;
  if (t?.kind === 'access-key') return `${t.userName} (${t.accessKeyId})`;
  if (t?.kind === 'role') return t.roleName;
  if (f.check === 'last-accessed') return /^(?:IAM user|Role) (\S+) /.exec(f.title)?.[1];
  return undefined;
}

/** The finding's title with the identity taken out: findings alike share it. */
export function templateOf(f: Finding): string | undefined {
  if (!identityOf(f)) return undefined;
  const t = f.title
    .replace(/\bA[KS]IA[A-Z0-9]{12,}\b/g, '…')
    .replace(/\b(IAM user|Console user|user|Role|role|of) ([^\s,()]+)/g, '$1 …')
    .replace(/\b\d+ (days?)\b/g, 'N $1')
    // "(last: ec2 in us-west-2 on 2026-12-02)": where and when each one was last used differs; the list says it.
    .replace(/\s*\([^()]*\)\s*$/, '');
  return `${f.check}|${f.severity}|${f.step}|${t}`;
}

function aggregateGroup(template: string, findings: Finding[], withFile: boolean): KnownBlock[] {
  const [, severity, step, title] = template.split('|') as [string, Finding['severity'], Finding['step'], string];
  const names = findings.map((f) => identityOf(f) ?? f.id);
  const shown = joinMrkdwn(
    names.slice(0, NAMES_SHOWN).map((n) => code(truncate(n, 80))),
    ', ',
  );
  const rest = names.length > NAMES_SHOWN ? mrkdwn` and ${names.length - NAMES_SHOWN} more` : mrkdwn``;
  return [
    {
      type: 'section',
      text: md(
        mrkdwn`${SEVERITY_ICON[severity]} *${esc(truncate(title, 400))}* — *${plural(findings.length, 'identity', 'identities')}*  _${esc(SEVERITY_LABEL[severity])} · ${esc(step)} ${esc(STEP_TITLE[step])}_\n${shown}${rest}`,
      ),
    },
    {
      type: 'context',
      elements: [
        md(
          withFile
            ? mrkdwn`The full list is in the file posted below; each identity's finding, with its buttons, is in \`/aws-ir trail\` and the JSON output.`
            : mrkdwn`Each identity's finding is in \`/aws-ir trail\` and the JSON output.`,
        ),
      ],
    },
  ];
}

function storyHeader(index: number, label: string, count: number): KnownBlock[] {
  return [
    { type: 'divider' },
    { type: 'header', text: plain(truncate(`Story ${index + 1} · ${label}`, 150)) },
    { type: 'context', elements: [md(mrkdwn`${plural(count, 'finding')} of this story, most severe first · \`/aws-ir timeline\` tells it in order`)] },
  ];
}

function viewOf(f: Finding, c: ScanComparison | undefined): FindingView {
  if (!c) return {};
  const view: FindingView = { targets: c.targets };
  if (c.cameBack.includes(f.id)) view.cameBack = true;
  else if (c.contained.includes(f.id) && f.target) {
    const done = c.targets[targetKey(f.target)]?.done ?? {};
    const action = f.actions.find((a) => done[a]);
    const at = action ? done[action] : undefined;
    if (action && at) view.contained = { at, action };
  }
  if (c.new.includes(f.id)) view.isNew = true;
  return view;
}

/**
 * The thread's groups of blocks (a group stays in one message): stories first, then the rest, with
 * look-alikes outside the stories folded into one entry each. `skip`: findings already posted (the
 * first actionable ones, posted while the scan ran).
 */
export function threadGroups(
  scanId: string,
  result: ScanResult,
  comparison: ScanComparison | undefined,
  counter: ButtonCounter,
  skip: ReadonlySet<string> = new Set(),
): ThreadPlan {
  const groups: KnownBlock[][] = [];
  const lists: IdentityList[] = [];
  const byId = new Map(result.findings.map((f) => [f.id, f]));
  const placed = new Set<string>(skip);
  for (const [i, story] of (result.stories ?? []).entries()) {
    const mine = story.findingIds
      .map((id) => byId.get(id))
      .filter((f): f is Finding => !!f && !placed.has(f.id))
      .sort(byPriority);
    if (!mine.length) continue;
    mine.forEach((f, n) => {
      placed.add(f.id);
      const blocks = findingBlocks(scanId, f, counter, viewOf(f, comparison));
      groups.push(n === 0 ? [...storyHeader(i, story.entry.label, mine.length), ...blocks] : blocks);
    });
  }
  const rest = result.findings.filter((f) => !placed.has(f.id)).sort(byPriority);
  const alike = new Map<string, Finding[]>();
  for (const f of rest) {
    const t = templateOf(f);
    if (t) alike.set(t, [...(alike.get(t) ?? []), f]);
  }
  const folded = new Set<string>();
  let first = true;
  const header = (count: number): KnownBlock[] =>
    first && (result.stories?.length ?? 0) > 0
      ? [
          { type: 'divider' },
          { type: 'header', text: plain('Everything else') },
          { type: 'context', elements: [md(mrkdwn`${plural(count, 'finding')} not tied to a story, most severe first`)] },
        ]
      : [];
  for (const f of rest) {
    if (folded.has(f.id)) continue;
    const t = templateOf(f);
    const same = t ? (alike.get(t) ?? []) : [];
    let blocks: KnownBlock[];
    if (t && same.length >= AGGREGATE_MIN) {
      for (const x of same) folded.add(x.id);
      const title = (t.split('|')[3] ?? '')
        .replace(/[^\w.-]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60);
      lists.push({
        title: (t.split('|')[3] ?? '').slice(0, 200),
        filename: `${title || 'identities'}.txt`,
        content: same.map((x) => `${identityOf(x) ?? ''}\t${x.title}\t${x.id}`).join('\n'),
        count: same.length,
      });
      blocks = aggregateGroup(t, same, true);
    } else blocks = findingBlocks(scanId, f, counter, viewOf(f, comparison));
    groups.push([...header(rest.length), ...blocks]);
    first = false;
  }
  return { groups, lists };
}
