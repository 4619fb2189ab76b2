/**
 * Drill marking. When a real Slack workspace talks to the sandbox account (config.drill), every
 * message says so, first thing, so nobody mistakes an exercise for an incident or the reverse.
 */
import type { KnownBlock } from '@slack/types';
import { md, mrkdwn, type Mrkdwn } from './text';

export const DRILL_NOTE = mrkdwn`:rotating_light: *DRILL* — this is an exercise against the sandbox account, not a real AWS account.`;

export function drillBlocks(drill: boolean): KnownBlock[] {
  return drill ? [{ type: 'context', elements: [md(DRILL_NOTE)] }] : [];
}

/** Prefix for fallback texts and plain-text replies. */
export function drillPrefix(drill: boolean): Mrkdwn {
  return drill ? mrkdwn`[DRILL] ` : mrkdwn``;
}
