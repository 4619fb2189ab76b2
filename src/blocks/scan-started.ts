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

export function scanStartedText(info: ScanStartInfo): string {
  return `<@${info.user}> started a scan of AWS account ${esc(info.account)} (${describeScope(info.days, info.regions)}).`;
}

export function scanStartedBlocks(info: ScanStartInfo): KnownBlock[] {
  return [
    { type: 'section', text: md(`:mag: ${scanStartedText(info)}`) },
    { type: 'context', elements: [md('Progress and findings follow in the thread.')] },
  ];
}
