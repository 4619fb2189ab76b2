/** Everything the scan could not check, posted in the thread so no gap is silent. */
import type { KnownBlock } from '@slack/types';
import type { Gap } from '../scan/model';
import { CHECK_LABEL } from './labels';
import { esc, md, truncate } from './text';

const PER_BLOCK = 15;

export function gapGroups(gaps: readonly Gap[]): KnownBlock[][] {
  if (!gaps.length) return [];
  const lines = gaps.map((g) => `• *${CHECK_LABEL[g.check] ?? esc(g.check)}*${g.region ? ` (${esc(g.region)})` : ''}: ${esc(truncate(g.reason, 400))}`);
  const groups: KnownBlock[][] = [
    [{ type: 'divider' }, { type: 'section', text: md(`:warning: *Could not be checked (${gaps.length})* — treat these as unknown, not as clean.`) }],
  ];
  for (let i = 0; i < lines.length; i += PER_BLOCK) groups.push([{ type: 'section', text: md(lines.slice(i, i + PER_BLOCK).join('\n')) }]);
  return groups;
}
