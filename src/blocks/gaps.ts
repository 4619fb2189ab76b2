/** Everything the scan could not check, posted in the thread so no gap is silent. */
import type { KnownBlock } from '@slack/types';
import type { Gap } from '../scan/model';
import { CHECK_LABEL } from './labels';
import { esc, joinMrkdwn, md, mrkdwn, truncate } from './text';

const PER_BLOCK = 15;

export function gapGroups(gaps: readonly Gap[]): KnownBlock[][] {
  if (!gaps.length) return [];
  const lines = gaps.map(
    (g) => mrkdwn`• *${esc(CHECK_LABEL[g.check] ?? g.check)}*${g.region ? mrkdwn` (${esc(g.region)})` : mrkdwn``}: ${esc(truncate(g.reason, 400))}`,
  );
  const groups: KnownBlock[][] = [
    [{ type: 'divider' }, { type: 'section', text: md(mrkdwn`:warning: *Could not be checked (${gaps.length})* — treat these as unknown, not as clean.`) }],
  ];
  for (let i = 0; i < lines.length; i += PER_BLOCK) groups.push([{ type: 'section', text: md(joinMrkdwn(lines.slice(i, i + PER_BLOCK), '\n')) }]);
  return groups;
}
