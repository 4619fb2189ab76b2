/**
 * An organization sweep in Slack: the first message while it runs and, once it is over, the
 * organization's summary (accounts ranked by their worst story and finding with counts and each one's first story, the stories that cross
 * accounts, the accounts that could not be scanned), then per account a thread section header. The
 * findings themselves are rendered by findings.ts exactly as for one account.
 */
import type { KnownBlock } from '@slack/types';
import { severityCounts, worstSeverity } from '../org/aggregate';
import type { CrossAccountStory, OrgSweepResult } from '../org/model';
import { SEVERITIES } from '../scan/model';
import type { SweepAccountRecord } from '../store/model';
import { SEVERITY_ICON, SEVERITY_LABEL } from './labels';
import { describeScope } from './scan-started';
import { code, esc, formatDuration, joinMrkdwn, md, mention, mrkdwn, plain, plural, truncate, truncateMrkdwn, type Mrkdwn } from './text';

export interface SweepInfo {
  user: string;
  home: string;
  days: number;
  regions?: string[];
  accounts: number;
  reused: number;
  ou?: string;
}

const RANKED_SHOWN = 15;
const STORIES_SHOWN = 5;
const NAMES_SHOWN = 40;
/** The first accounts' first story, one line each; the rest of each account's story is in its thread section. */
const STORY_LINES_SHOWN = 3;
const SECTION_TEXT_MAX = 2900;

function who(info: SweepInfo): Mrkdwn {
  const ou = info.ou ? mrkdwn` in ${esc(info.ou)}` : mrkdwn``;
  return mrkdwn`${plural(info.accounts, 'account')}${ou} of the organization of AWS account ${esc(info.home)}`;
}

export function sweepStartedText(info: SweepInfo): Mrkdwn {
  return mrkdwn`${mention(info.user)} started an organization sweep of ${who(info)} (${describeScope(info.days, info.regions)}).`;
}

export function sweepStartedBlocks(info: SweepInfo): KnownBlock[] {
  const reused = info.reused
    ? mrkdwn` ${plural(info.reused, 'account')} finished by the same sweep earlier ${info.reused === 1 ? mrkdwn`is` : mrkdwn`are`} reused, not scanned again.`
    : mrkdwn``;
  return [
    { type: 'section', text: md(mrkdwn`:mag: ${sweepStartedText(info)}`) },
    { type: 'context', elements: [md(mrkdwn`Progress and each account's findings follow in the thread.${reused}`)] },
  ];
}

export function sweepProgressText(done: number, total: number, gaps: number): Mrkdwn {
  const notScanned = gaps ? mrkdwn`, ${plural(gaps, 'account')} not scanned` : mrkdwn``;
  return mrkdwn`:hourglass_flowing_sand: ${done} of ${plural(total, 'account')} done${notScanned}.`;
}

function countsText(a: SweepAccountRecord): Mrkdwn {
  const counts = severityCounts(a.result?.findings ?? []);
  return joinMrkdwn(
    SEVERITIES.filter((s) => counts[s] > 0).map((s) => mrkdwn`${counts[s]} ${esc(SEVERITY_LABEL[s].toLowerCase())}`),
    ', ',
  );
}

export function accountName(a: Pick<SweepAccountRecord, 'account' | 'name'>): Mrkdwn {
  return mrkdwn`${code(a.account)} ${esc(truncate(a.name, 60))}`;
}

export function storyText(s: CrossAccountStory): Mrkdwn {
  const what = s.kind === 'access-key' ? mrkdwn`Access key ${code(s.value)}` : mrkdwn`Source address ${code(s.value)}`;
  const accounts = joinMrkdwn(
    s.accounts.map((a) => code(a.account)),
    ', ',
  );
  return mrkdwn`${esc(SEVERITY_ICON[s.severity])} ${what} in ${plural(s.accounts.length, 'account')}: ${accounts}`;
}

/** The account's first story in a line (what happened there), or nothing. */
function storyLine(a: SweepAccountRecord): Mrkdwn {
  const stories = a.result?.stories ?? [];
  const first = stories[0];
  if (!first) return mrkdwn``;
  const more = stories.length > 1 ? mrkdwn` (+${stories.length - 1} more)` : mrkdwn``;
  return mrkdwn`\n      :detective: ${esc(truncate(first.summary.split('\n')[0] ?? '', 200))}${more}`;
}

export function sweepSummaryText(r: OrgSweepResult): Mrkdwn {
  const c = severityCounts(r.findings);
  return mrkdwn`Organization sweep finished: ${plural(r.organization.scanned, 'account')} scanned, ${r.organization.gaps} not scanned, ${plural(r.findings.length, 'finding')} (${c.critical} critical, ${c.high} high).`;
}

const hasFindings = (a: SweepAccountRecord) => a.status === 'scanned' && (a.result?.findings.length ?? 0) > 0;

export function sweepSummaryBlocks(r: OrgSweepResult, info: SweepInfo): KnownBlock[] {
  const o = r.organization;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(truncate(`AWS IR organization sweep from account ${o.home}`, 150)) },
    {
      type: 'section',
      text: md(
        mrkdwn`${mention(info.user)} swept ${who(info)} (${describeScope(info.days, info.regions)}): *${o.scanned} scanned*${o.reused ? mrkdwn` (${o.reused} reused)` : mrkdwn``}, *${o.gaps} not scanned*, *${plural(r.findings.length, 'finding')}*.`,
      ),
    },
  ];
  if (r.crossAccount.length) {
    const shown = r.crossAccount.slice(0, STORIES_SHOWN).map(storyText);
    if (r.crossAccount.length > STORIES_SHOWN) shown.push(mrkdwn`…and ${r.crossAccount.length - STORIES_SHOWN} more in the thread.`);
    blocks.push({ type: 'section', text: md(mrkdwn`*Across accounts* (one attacker, several accounts)\n${joinMrkdwn(shown, '\n')}`) });
  }
  const ranked = r.accounts.filter(hasFindings);
  if (ranked.length) {
    const lines = ranked
      .slice(0, RANKED_SHOWN)
      .map(
        (a, i) =>
          mrkdwn`${esc(SEVERITY_ICON[worstSeverity(a.result!.findings)!])} ${accountName(a)} _${esc(truncate(a.ou, 80))}_: ${countsText(a)}${i < STORY_LINES_SHOWN ? storyLine(a) : mrkdwn``}`,
      );
    if (ranked.length > RANKED_SHOWN) lines.push(mrkdwn`…and ${plural(ranked.length - RANKED_SHOWN, 'more account')} with findings, in the thread.`);
    blocks.push({
      type: 'section',
      text: md(truncateMrkdwn(mrkdwn`*Accounts by their worst story and finding*\n${joinMrkdwn(lines, '\n')}`, SECTION_TEXT_MAX)),
    });
  }
  const quiet = r.accounts.filter((a) => a.status === 'scanned' && !hasFindings(a));
  if (quiet.length) blocks.push({ type: 'section', text: md(mrkdwn`:white_check_mark: ${noFindingsLine(quiet)}`) });
  const gaps = r.accounts.filter((a) => a.status !== 'scanned');
  if (gaps.length) {
    const lines = gaps.slice(0, RANKED_SHOWN).map((a) => mrkdwn`• ${accountName(a)} (${esc(a.status)}): ${esc(truncate(a.reason ?? '', 250))}`);
    if (gaps.length > RANKED_SHOWN) lines.push(mrkdwn`…and ${gaps.length - RANKED_SHOWN} more, listed in the thread.`);
    blocks.push({
      type: 'section',
      text: md(mrkdwn`:warning: *Not scanned* (${gaps.length}) — treat these as unknown, not as clean.\n${joinMrkdwn(lines, '\n')}`),
    });
  }
  if (o.unknownAccounts.length)
    blocks.push({
      type: 'section',
      text: md(
        mrkdwn`Not in the organization: ${joinMrkdwn(
          o.unknownAccounts.map((a) => code(a)),
          ', ',
        )}`,
      ),
    });
  const calls = Object.values(r.stats.apiCalls).reduce((n, v) => n + v, 0);
  blocks.push({
    type: 'context',
    elements: [
      md(
        mrkdwn`Window ${esc(r.window.start.slice(0, 16))} → ${esc(r.window.end.slice(0, 16))} UTC · ${plural(o.concurrency, 'account')} at a time · ${formatDuration(r.stats.durationMs)} · ${plural(calls, 'AWS API call')} · each account's findings in the thread`,
      ),
    ],
  });
  return blocks;
}

/** "No findings in 3 accounts: `1…` a, `2…` b": the accounts without findings, on one line. */
export function noFindingsLine(accounts: readonly SweepAccountRecord[]): Mrkdwn {
  const names = joinMrkdwn(accounts.slice(0, NAMES_SHOWN).map(accountName), ', ');
  const more = accounts.length > NAMES_SHOWN ? mrkdwn` and ${accounts.length - NAMES_SHOWN} more` : mrkdwn``;
  return mrkdwn`No findings in ${plural(accounts.length, 'account')}: ${names}${more}.`;
}

/** The header of one account's section in the thread. */
export function accountSectionBlocks(a: SweepAccountRecord): KnownBlock[] {
  const reused = a.reusedFrom ? ' · reused from the same sweep earlier' : '';
  return [
    { type: 'divider' },
    { type: 'header', text: plain(truncate(`Account ${a.account} · ${a.name}`, 150)) },
    { type: 'context', elements: [md(mrkdwn`${esc(truncate(a.ou, 200))} · ${countsText(a)}${esc(reused)}`)] },
  ];
}

const PER_SECTION = 8;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += PER_SECTION) out.push(items.slice(i, i + PER_SECTION));
  return out;
}

/** The stories that cross accounts, as thread groups (a few per section, within Slack's text limit). */
export function storiesGroups(stories: readonly CrossAccountStory[]): KnownBlock[][] {
  if (!stories.length) return [];
  const head: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: md(mrkdwn`*Across accounts* — the same key or address behind findings in several accounts`) },
  ];
  return [head, ...chunks(stories).map((c): KnownBlock[] => [{ type: 'section', text: md(joinMrkdwn(c.map(storyText), '\n')) }])];
}

/** The accounts that are gaps, with the reason each could not be scanned. */
export function notScannedGroups(accounts: readonly SweepAccountRecord[]): KnownBlock[][] {
  if (!accounts.length) return [];
  const head: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: md(mrkdwn`:warning: *Not scanned (${accounts.length})* — treat these as unknown, not as clean.`) },
  ];
  const line = (a: SweepAccountRecord) => mrkdwn`• ${accountName(a)} (${esc(a.status)}): ${esc(truncate(a.reason ?? '', 300))}`;
  return [head, ...chunks(accounts).map((c): KnownBlock[] => [{ type: 'section', text: md(joinMrkdwn(c.map(line), '\n')) }])];
}

export function sweepFailedBlocks(home: string, reason: string): KnownBlock[] {
  return [{ type: 'section', text: md(mrkdwn`:x: The organization sweep from AWS account ${esc(home)} did not finish. ${esc(reason)}`) }];
}
