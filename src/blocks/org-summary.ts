/**
 * An organization sweep in Slack: the first message while it runs and, once it is over, the
 * organization's summary (accounts ranked by their worst finding with counts, the stories that cross
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
import { code, esc, formatDuration, md, plain, plural, truncate } from './text';

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

function who(info: SweepInfo): string {
  return `${plural(info.accounts, 'account')}${info.ou ? ` in ${esc(info.ou)}` : ''} of the organization of AWS account ${esc(info.home)}`;
}

export function sweepStartedText(info: SweepInfo): string {
  return `<@${info.user}> started an organization sweep of ${who(info)} (${describeScope(info.days, info.regions)}).`;
}

export function sweepStartedBlocks(info: SweepInfo): KnownBlock[] {
  const reused = info.reused
    ? ` ${plural(info.reused, 'account')} finished by the same sweep earlier ${info.reused === 1 ? 'is' : 'are'} reused, not scanned again.`
    : '';
  return [
    { type: 'section', text: md(`:mag: ${sweepStartedText(info)}`) },
    { type: 'context', elements: [md(`Progress and each account's findings follow in the thread.${reused}`)] },
  ];
}

export function sweepProgressText(done: number, total: number, gaps: number): string {
  return `:hourglass_flowing_sand: ${done} of ${plural(total, 'account')} done${gaps ? `, ${plural(gaps, 'account')} not scanned` : ''}.`;
}

function countsText(a: SweepAccountRecord): string {
  const counts = severityCounts(a.result?.findings ?? []);
  return SEVERITIES.filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${SEVERITY_LABEL[s].toLowerCase()}`)
    .join(', ');
}

export function accountName(a: Pick<SweepAccountRecord, 'account' | 'name'>): string {
  return `${code(a.account)} ${esc(truncate(a.name, 60))}`;
}

export function storyText(s: CrossAccountStory): string {
  const what = s.kind === 'access-key' ? `Access key ${code(s.value)}` : `Source address ${code(s.value)}`;
  return `${SEVERITY_ICON[s.severity]} ${what} in ${plural(s.accounts.length, 'account')}: ${s.accounts.map((a) => code(a.account)).join(', ')}`;
}

export function sweepSummaryText(r: OrgSweepResult): string {
  const c = severityCounts(r.findings);
  return `Organization sweep finished: ${plural(r.organization.scanned, 'account')} scanned, ${r.organization.gaps} not scanned, ${plural(r.findings.length, 'finding')} (${c.critical} critical, ${c.high} high).`;
}

const hasFindings = (a: SweepAccountRecord) => a.status === 'scanned' && (a.result?.findings.length ?? 0) > 0;

export function sweepSummaryBlocks(r: OrgSweepResult, info: SweepInfo): KnownBlock[] {
  const o = r.organization;
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(truncate(`AWS IR organization sweep from account ${o.home}`, 150)) },
    {
      type: 'section',
      text: md(
        `<@${info.user}> swept ${who(info)} (${describeScope(info.days, info.regions)}): *${o.scanned} scanned*${o.reused ? ` (${o.reused} reused)` : ''}, *${o.gaps} not scanned*, *${plural(r.findings.length, 'finding')}*.`,
      ),
    },
  ];
  if (r.crossAccount.length) {
    const shown = r.crossAccount.slice(0, STORIES_SHOWN).map(storyText);
    if (r.crossAccount.length > STORIES_SHOWN) shown.push(`…and ${r.crossAccount.length - STORIES_SHOWN} more in the thread.`);
    blocks.push({ type: 'section', text: md(`*Across accounts* (one attacker, several accounts)\n${shown.join('\n')}`) });
  }
  const ranked = r.accounts.filter(hasFindings);
  if (ranked.length) {
    const lines = ranked
      .slice(0, RANKED_SHOWN)
      .map((a) => `${SEVERITY_ICON[worstSeverity(a.result!.findings)!]} ${accountName(a)} _${esc(truncate(a.ou, 80))}_: ${countsText(a)}`);
    if (ranked.length > RANKED_SHOWN) lines.push(`…and ${plural(ranked.length - RANKED_SHOWN, 'more account')} with findings, in the thread.`);
    blocks.push({ type: 'section', text: md(`*Accounts by their worst finding*\n${lines.join('\n')}`) });
  }
  const quiet = r.accounts.filter((a) => a.status === 'scanned' && !hasFindings(a));
  if (quiet.length) blocks.push({ type: 'section', text: md(`:white_check_mark: ${noFindingsLine(quiet)}`) });
  const gaps = r.accounts.filter((a) => a.status !== 'scanned');
  if (gaps.length) {
    const lines = gaps.slice(0, RANKED_SHOWN).map((a) => `• ${accountName(a)} (${esc(a.status)}): ${esc(truncate(a.reason ?? '', 250))}`);
    if (gaps.length > RANKED_SHOWN) lines.push(`…and ${gaps.length - RANKED_SHOWN} more, listed in the thread.`);
    blocks.push({ type: 'section', text: md(`:warning: *Not scanned* (${gaps.length}) — treat these as unknown, not as clean.\n${lines.join('\n')}`) });
  }
  if (o.unknownAccounts.length) blocks.push({ type: 'section', text: md(`Not in the organization: ${o.unknownAccounts.map(code).join(', ')}`) });
  const calls = Object.values(r.stats.apiCalls).reduce((n, v) => n + v, 0);
  blocks.push({
    type: 'context',
    elements: [
      md(
        `Window ${esc(r.window.start.slice(0, 16))} → ${esc(r.window.end.slice(0, 16))} UTC · ${plural(o.concurrency, 'account')} at a time · ${formatDuration(r.stats.durationMs)} · ${plural(calls, 'AWS API call')} · each account's findings in the thread`,
      ),
    ],
  });
  return blocks;
}

/** "No findings in 3 accounts: `1…` a, `2…` b": the accounts without findings, on one line. */
export function noFindingsLine(accounts: readonly SweepAccountRecord[]): string {
  const names = accounts.slice(0, NAMES_SHOWN).map(accountName).join(', ');
  const more = accounts.length > NAMES_SHOWN ? ` and ${accounts.length - NAMES_SHOWN} more` : '';
  return `No findings in ${plural(accounts.length, 'account')}: ${names}${more}.`;
}

/** The header of one account's section in the thread. */
export function accountSectionBlocks(a: SweepAccountRecord): KnownBlock[] {
  const reused = a.reusedFrom ? ' · reused from the same sweep earlier' : '';
  return [
    { type: 'divider' },
    { type: 'header', text: plain(truncate(`Account ${a.account} · ${a.name}`, 150)) },
    { type: 'context', elements: [md(`${esc(truncate(a.ou, 200))} · ${countsText(a)}${reused}`)] },
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
    { type: 'section', text: md('*Across accounts* — the same key or address behind findings in several accounts') },
  ];
  return [head, ...chunks(stories).map((c): KnownBlock[] => [{ type: 'section', text: md(c.map(storyText).join('\n')) }])];
}

/** The accounts that are gaps, with the reason each could not be scanned. */
export function notScannedGroups(accounts: readonly SweepAccountRecord[]): KnownBlock[][] {
  if (!accounts.length) return [];
  const head: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: md(`:warning: *Not scanned (${accounts.length})* — treat these as unknown, not as clean.`) },
  ];
  const line = (a: SweepAccountRecord) => `• ${accountName(a)} (${esc(a.status)}): ${esc(truncate(a.reason ?? '', 300))}`;
  return [head, ...chunks(accounts).map((c): KnownBlock[] => [{ type: 'section', text: md(c.map(line).join('\n')) }])];
}

export function sweepFailedBlocks(home: string, reason: string): KnownBlock[] {
  return [{ type: 'section', text: md(`:x: The organization sweep from AWS account ${esc(home)} did not finish. ${esc(reason)}`) }];
}
