/** The scan's first message, before it becomes the summary: who started a scan of what. */
import type { KnownBlock } from '@slack/types';
import { esc, md, plural } from './text';

export interface ScanStartInfo {
  user: string;
  account: string;
  days: number;
  regions?: string[];
}

export function describeScope(days: number, regions?: string[]): string {
  const where = regions?.length ? `in ${regions.map(esc).join(', ')}` : 'in every enabled region';
  return `the last ${plural(days, 'day')}, ${where}`;
}

/**
 * The account as the channel should read it. Before the scan has asked STS, a target built from the
 * default credential chain has no account id yet, only a label.
 */
export function accountLabel(key: string): string {
  return /^\d{12}$/.test(key) ? `AWS account ${key}` : "the AWS account of aws-ir's credentials";
}

export function scanStartedText(info: ScanStartInfo): string {
  return `<@${info.user}> started a scan of ${esc(accountLabel(info.account))} (${describeScope(info.days, info.regions)}).`;
}

export function scanStartedBlocks(info: ScanStartInfo): KnownBlock[] {
  return [
    { type: 'section', text: md(`:mag: ${scanStartedText(info)}`) },
    { type: 'context', elements: [md('Progress and findings follow in the thread.')] },
  ];
}
