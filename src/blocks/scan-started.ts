/** The scan's first message, before it becomes the summary: who started a scan of what. */
import type { KnownBlock } from '@slack/types';
import { esc, joinMrkdwn, md, mention, mrkdwn, plural, type Mrkdwn } from './text';

export interface ScanStartInfo {
  user: string;
  account: string;
  days: number;
  regions?: string[];
}

export function describeScope(days: number, regions?: string[]): Mrkdwn {
  const where = regions?.length
    ? mrkdwn`in ${joinMrkdwn(
        regions.map((r) => esc(r)),
        ', ',
      )}`
    : mrkdwn`in every enabled region`;
  return mrkdwn`the last ${plural(days, 'day')}, ${where}`;
}

/**
 * The account as the channel should read it. Before the scan has asked STS, a target built from the
 * default credential chain has no account id yet, only a label.
 */
export function accountLabel(key: string): string {
  return /^\d{12}$/.test(key) ? `AWS account ${key}` : "the AWS account of aws-ir's credentials";
}

export function scanStartedText(info: ScanStartInfo): Mrkdwn {
  return mrkdwn`${mention(info.user)} started a scan of ${esc(accountLabel(info.account))} (${describeScope(info.days, info.regions)}).`;
}

export function scanStartedBlocks(info: ScanStartInfo): KnownBlock[] {
  return [
    { type: 'section', text: md(mrkdwn`:mag: ${scanStartedText(info)}`) },
    { type: 'context', elements: [md(mrkdwn`Progress and findings follow in the thread.`)] },
  ];
}
