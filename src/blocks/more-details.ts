/**
 * The "More" view of a finding: every fact of its evidence, every resource, in a modal paged a few
 * facts at a time — so no fact is only reachable through `aws-ir scan --format json`.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import type { Finding } from '../scan/model';
import { ACTION, buttonActionId } from '../slack-ids';
import { evidenceLabel, evidenceValue } from './findings';
import { SEVERITY_LABEL, STEP_TITLE } from './labels';
import { code, esc, joinMrkdwn, md, mrkdwn, plain, truncate, truncateMrkdwn } from './text';

export const FACTS_PER_PAGE = 12;
const VALUE_MAX = 2800;

export interface MorePageValue {
  scanId: string;
  findingId: string;
  page: string;
}

/** A value in full (objects and lists as indented JSON), within a section's limit. */
function fullValue(v: unknown): string {
  if (v !== null && typeof v === 'object') return truncate(JSON.stringify(v, null, 1), VALUE_MAX);
  return truncate(evidenceValue(v), VALUE_MAX);
}

export function pageCount(f: Finding): number {
  const facts = Object.keys(f.evidence ?? {}).length + (f.resources.length ? 1 : 0);
  return Math.max(1, Math.ceil(facts / FACTS_PER_PAGE));
}

export function moreDetailsView(scanId: string, f: Finding, page: number): ModalView {
  const facts: KnownBlock[] = [];
  if (f.resources.length) {
    facts.push({
      type: 'section',
      text: md(
        truncateMrkdwn(
          joinMrkdwn(
            f.resources.map((r) => code(r)),
            '\n',
          ),
          2900,
        ),
      ),
    });
  }
  for (const [k, v] of Object.entries(f.evidence ?? {})) {
    if (v === undefined) continue;
    const value = fullValue(v);
    facts.push({
      type: 'section',
      text: md(
        v !== null && typeof v === 'object' ? mrkdwn`*${esc(evidenceLabel(k))}*\n\`\`\`${esc(value)}\`\`\`` : mrkdwn`*${esc(evidenceLabel(k))}*: ${esc(value)}`,
      ),
    });
  }
  const pages = Math.max(1, Math.ceil(facts.length / FACTS_PER_PAGE));
  const p = Math.min(Math.max(0, page), pages - 1);
  const blocks: KnownBlock[] = [
    { type: 'section', text: md(mrkdwn`*${esc(truncate(f.title, 2500))}*`) },
    {
      type: 'context',
      elements: [
        md(mrkdwn`${esc(SEVERITY_LABEL[f.severity])} · ${esc(f.step)} ${esc(STEP_TITLE[f.step])} · finding ${code(f.id)} · page ${p + 1} of ${pages}`),
      ],
    },
    { type: 'divider' },
    ...facts.slice(p * FACTS_PER_PAGE, (p + 1) * FACTS_PER_PAGE),
  ];
  const nav = [
    ...(p > 0
      ? [
          {
            type: 'button' as const,
            text: plain('Previous'),
            action_id: buttonActionId(ACTION.morePage, 0),
            value: JSON.stringify({ scanId, findingId: f.id, page: String(p - 1) }),
          },
        ]
      : []),
    ...(p < pages - 1
      ? [
          {
            type: 'button' as const,
            text: plain('Next'),
            action_id: buttonActionId(ACTION.morePage, 1),
            value: JSON.stringify({ scanId, findingId: f.id, page: String(p + 1) }),
          },
        ]
      : []),
  ];
  if (nav.length) blocks.push({ type: 'actions', elements: nav });
  return { type: 'modal', title: plain('Finding details'), close: plain('Close'), blocks };
}
