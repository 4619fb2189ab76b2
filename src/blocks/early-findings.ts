/**
 * The first actionable findings, posted while the scan still runs: what AWS itself flagged (its
 * quarantine of a user), root keys, keys created or used in the window, anything critical. Their
 * buttons are added when the scan is stored (a request is always made from a stored finding).
 */
import type { KnownBlock } from '@slack/types';
import type { Finding } from '../scan/model';
import { findingText } from './findings';
import { md, mrkdwn, plural, type Mrkdwn } from './text';

/** Worth posting before the rest: AWS's own quarantine, and critical or high findings a person can act on now. */
export function isFirstActionable(f: Finding): boolean {
  if (f.check === 'quarantine') return true;
  if (f.severity === 'critical') return !!(f.actions.length || f.guidance);
  return f.severity === 'high' && f.check === 'credential-report' && !!(f.actions.length || f.guidance);
}

export function earlyText(findings: readonly Finding[]): Mrkdwn {
  return mrkdwn`Found first: ${plural(findings.length, 'finding')} to act on.`;
}

export function earlyBlocks(findings: readonly Finding[]): KnownBlock[] {
  return [
    {
      type: 'context',
      elements: [md(mrkdwn`:zap: *Found first* — posted as soon as its check finished; the plan and the full findings follow when the scan ends.`)],
    },
    ...findings.slice(0, 10).map((f): KnownBlock => ({ type: 'section', text: md(findingText(f)) })),
  ];
}
