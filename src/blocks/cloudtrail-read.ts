/**
 * How the scan read CloudTrail, for the summary: each region not simply read in full (targeted queries,
 * the trail's log files, Athena), what it could not cover, and Athena's bytes and cost — never a silent
 * "less". Quiet regions read in full are one line.
 */
import type { SectionBlock } from '@slack/types';
import type { ScanResult } from '../scan/model';
import { reportLines } from '../scan/sources/describe';
import { esc, joinMrkdwn, md, mrkdwn, truncate, truncateMrkdwn } from './text';

const SECTION_MAX = 2900;

export function cloudTrailReadBlock(result: ScanResult): SectionBlock | undefined {
  const report = result.cloudtrail;
  if (!report || report.regions.every((r) => r.strategy === 'full' && !r.notCovered.length && !r.fallback)) return undefined;
  const lines = reportLines(report).map((l) => mrkdwn`• ${esc(truncate(l, 600))}`);
  return { type: 'section', text: md(truncateMrkdwn(mrkdwn`:mag: *CloudTrail read*\n${joinMrkdwn(lines, '\n')}`, SECTION_MAX)) };
}
