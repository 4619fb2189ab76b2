/**
 * The scan's first message once the scan is over: counts by severity, the most severe findings,
 * duration and everything that could not be checked, so the channel sees the state of the account
 * without opening the thread.
 */
import type { KnownBlock } from '@slack/types';
import { SEVERITIES, type Finding, type ScanResult, type Severity } from '../scan/model';
import { cloudTrailReadBlock } from './cloudtrail-read';
import type { ScanComparison } from '../incident/scan-progress';
import { SEVERITY_ICON, SEVERITY_LABEL, CHECK_LABEL } from './labels';
import { sinceLine, storyLines } from './stories';
import { templateOf } from './thread';
import { accountLabel, describeScope } from './scan-started';
import { code, esc, formatDuration, joinMrkdwn, md, mention, mrkdwn, plain, plural, truncate, type Mrkdwn } from './text';

export interface SummaryInfo {
  user: string;
  days: number;
  regions?: string[];
}

const TOP_FINDINGS = 5;
const GAPS_SHOWN = 10;

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function bySeverity(a: Finding, b: Finding): number {
  return SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
}

export function summaryText(result: ScanResult): Mrkdwn {
  const c = countBySeverity(result.findings);
  return mrkdwn`Scan of AWS account ${esc(result.account)} finished: ${plural(result.findings.length, 'finding')} (${c.critical} critical, ${c.high} high).`;
}

export function summaryBlocks(result: ScanResult, info: SummaryInfo, progress?: ScanComparison): KnownBlock[] {
  const counts = countBySeverity(result.findings);
  const countLine = joinMrkdwn(
    SEVERITIES.map((s) => mrkdwn`${SEVERITY_ICON[s]} ${esc(SEVERITY_LABEL[s])}: *${counts[s]}*`),
    '   ',
  );
  const blocks: KnownBlock[] = [{ type: 'header', text: plain(truncate(`AWS IR scan of account ${result.account}`, 150)) }];
  // What happened comes first: the stories, then what changed since the last scan, then the counts.
  const stories = storyLines(result.stories ?? []);
  if (stories) blocks.push({ type: 'section', text: md(stories) });
  const since = sinceLine(progress);
  if (since) blocks.push({ type: 'section', text: md(since) });
  blocks.push({
    type: 'section',
    text: md(mrkdwn`${mention(info.user)} scanned ${describeScope(info.days, info.regions)}: *${plural(result.findings.length, 'finding')}*.\n${countLine}`),
  });
  // Without a story, the most severe findings, each kind once (four GPU instances are one line).
  const seen = new Set<string>();
  const top = stories
    ? []
    : [...result.findings]
        .sort(bySeverity)
        .filter((f) => f.severity !== 'info')
        .filter((f) => {
          const key = templateOf(f) ?? `${f.check}|${f.title.replace(/\bi-[0-9a-f]+\b/g, '…')}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .slice(0, TOP_FINDINGS);
  if (top.length) {
    blocks.push({
      type: 'section',
      text: md(
        mrkdwn`*Most severe*\n${joinMrkdwn(
          top.map((f) => mrkdwn`${SEVERITY_ICON[f.severity]} ${code(f.step)} ${esc(truncate(f.title, 200))}`),
          '\n',
        )}`,
      ),
    });
  }
  if (result.gaps.length) {
    const shown = result.gaps
      .slice(0, GAPS_SHOWN)
      .map((g) => mrkdwn`• ${esc(CHECK_LABEL[g.check] ?? g.check)}${g.region ? mrkdwn` (${esc(g.region)})` : mrkdwn``}: ${esc(truncate(g.reason, 300))}`);
    if (result.gaps.length > GAPS_SHOWN) shown.push(mrkdwn`…and ${result.gaps.length - GAPS_SHOWN} more, listed in the thread.`);
    blocks.push({ type: 'section', text: md(mrkdwn`:warning: *Could not be checked* (${result.gaps.length})\n${joinMrkdwn(shown, '\n')}`) });
  } else {
    blocks.push({ type: 'section', text: md(mrkdwn`:white_check_mark: Every check ran; nothing was left unchecked.`) });
  }
  const trail = cloudTrailReadBlock(result);
  if (trail) blocks.push(trail);
  const calls = Object.values(result.stats.apiCalls).reduce((n, v) => n + v, 0);
  blocks.push({
    type: 'context',
    elements: [
      md(
        mrkdwn`Window ${esc(result.window.start.slice(0, 16))} → ${esc(result.window.end.slice(0, 16))} UTC · ${plural(result.regions.length, 'region')} · ${formatDuration(result.stats.durationMs)} · ${plural(calls, 'AWS API call')} · findings by story and severity in the thread`,
      ),
    ],
  });
  return blocks;
}

export function scanFailedBlocks(account: string, reason: string): KnownBlock[] {
  return [{ type: 'section', text: md(mrkdwn`:x: The scan of ${esc(accountLabel(account))} did not finish. ${esc(reason)}`) }];
}
