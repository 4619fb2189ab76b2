/**
 * The one progress message in the scan's thread: which checks are done, running or waiting. The
 * state is a plain object the handler folds ProgressEvents into, so rendering stays a pure function.
 */
import type { KnownBlock } from '@slack/types';
import { CHECK_IDS, type CheckId, type ProgressEvent } from '../scan/model';
import { CHECK_LABEL } from './labels';
import { esc, formatDuration, forPeople, joinMrkdwn, md, mrkdwn, plural, truncate, type Mrkdwn } from './text';

export interface CheckProgress {
  status: 'running' | 'done';
  findings?: number;
  gaps?: number;
  durationMs?: number;
}

export interface ScanProgress {
  checks: Partial<Record<CheckId, CheckProgress>>;
  /** Latest detail line from the engine (e.g. "CloudTrail: eu-west-1 page 3"). */
  detail?: string;
  finished: boolean;
}

export function emptyProgress(): ScanProgress {
  return { checks: {}, finished: false };
}

export function applyProgress(state: ScanProgress, event: ProgressEvent): ScanProgress {
  const checks = { ...state.checks };
  switch (event.type) {
    case 'check-started':
      checks[event.check] = { status: 'running' };
      return { ...state, checks };
    case 'check-finished':
      checks[event.check] = { status: 'done', findings: event.findings, gaps: event.gaps, durationMs: event.durationMs };
      return { ...state, checks };
    case 'detail':
      return { ...state, detail: forPeople(`${CHECK_LABEL[event.check]}: ${event.message}`) };
  }
}

function line(check: CheckId, p: CheckProgress | undefined, finished: boolean): Mrkdwn {
  const label = esc(CHECK_LABEL[check]);
  if (!p) return finished ? mrkdwn`:white_small_square: ${label} — not run` : mrkdwn`:white_small_square: ${label} — waiting`;
  if (p.status === 'running') return mrkdwn`:hourglass_flowing_sand: ${label} — running`;
  const parts = [plural(p.findings ?? 0, 'finding')];
  if (p.gaps) parts.push(mrkdwn`${p.gaps} not checked`);
  if (p.durationMs !== undefined) parts.push(formatDuration(p.durationMs));
  return p.gaps ? mrkdwn`:warning: ${label} — ${joinMrkdwn(parts, ', ')}` : mrkdwn`:white_check_mark: ${label} — ${joinMrkdwn(parts, ', ')}`;
}

/** Checks the engine reported, in the model's order, then any it never mentioned (waiting). */
export function progressBlocks(state: ScanProgress): KnownBlock[] {
  const done = CHECK_IDS.filter((c) => state.checks[c]?.status === 'done').length;
  const heading = state.finished
    ? mrkdwn`*Scan finished* — ${done} of ${CHECK_IDS.length} checks ran.`
    : mrkdwn`*Scan in progress* — ${done} of ${CHECK_IDS.length} checks done.`;
  const lines = joinMrkdwn(
    CHECK_IDS.map((c) => line(c, state.checks[c], state.finished)),
    '\n',
  );
  const blocks: KnownBlock[] = [{ type: 'section', text: md(mrkdwn`${heading}\n${lines}`) }];
  if (state.detail && !state.finished) blocks.push({ type: 'context', elements: [md(esc(truncate(state.detail, 300)))] });
  return blocks;
}

export function progressText(state: ScanProgress): Mrkdwn {
  const done = CHECK_IDS.filter((c) => state.checks[c]?.status === 'done').length;
  return state.finished ? mrkdwn`Scan finished.` : mrkdwn`Scan in progress: ${done} of ${CHECK_IDS.length} checks done.`;
}
