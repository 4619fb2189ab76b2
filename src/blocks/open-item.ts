/**
 * One checklist item as a block: open with a "Mark done" button (a confirm dialog says it is the
 * clicker's word, not a check of AWS), or closed saying who closed it and how. The status message
 * shows items this way, and a click replaces the item's block with its closed form.
 */
import type { Button, SectionBlock } from '@slack/types';
import type { OpenItem } from '../store/store';
import { ACTION, buttonActionId, openItemBlockId, type OpenItemButtonValue } from '../slack-ids';
import { LIMITS } from './limits';
import { esc, formatTime, md, plain, truncate } from './text';

const GUIDANCE_MAX = 2200;

function markDoneButton(item: OpenItem, n: number): Button {
  const value: OpenItemButtonValue = { itemId: item.id };
  return {
    type: 'button',
    text: plain(truncate('Mark done', LIMITS.buttonText)),
    action_id: buttonActionId(ACTION.markItemDone, n),
    value: JSON.stringify(value),
    confirm: {
      title: plain('Mark this item done?'),
      text: md(
        item.verifiedBy === 'scan'
          ? 'This records, in your name, that the step was done. aws-ir does not check AWS now; the next scan re-reads it and reopens the item if it still shows.'
          : 'This records, in your name, that the step was done. aws-ir cannot check it in AWS: it is your word.',
      ),
      confirm: plain('Mark done'),
      deny: plain('Cancel'),
    },
  };
}

/** `n` numbers the button within its message (action ids must be unique in a message). */
export function openItemBlock(item: OpenItem, n: number): SectionBlock {
  const rescan = item.verifiedBy === 'scan' ? '\n_The next scan re-reads this: it closes by itself once AWS no longer shows it._' : '';
  const reopened = item.note && item.status === 'open' ? `\n_${esc(truncate(item.note, 300))}_` : '';
  return {
    type: 'section',
    block_id: openItemBlockId(item.id),
    text: md(`:white_large_square: *${item.step}* · *${esc(truncate(item.title, 300))}*\n${esc(truncate(item.guidance, GUIDANCE_MAX))}${rescan}${reopened}`),
    accessory: markDoneButton(item, n),
  };
}

/** One line for a closed item: who or what closed it, when, and whether AWS confirmed it. */
export function closedItemLine(item: OpenItem): string {
  const when = item.closedAt ? ` on ${formatTime(item.closedAt)}` : '';
  if (item.status === 'verified')
    return `:ballot_box_with_check: *${item.step}* · ${esc(truncate(item.title, 300))}: closed${when}. ${esc(truncate(item.note ?? 'Verified by scan.', 300))}`;
  return `:heavy_check_mark: *${item.step}* · ${esc(truncate(item.title, 300))}: marked done by <@${item.closedBy ?? 'unknown'}>${when}. ${esc(truncate(item.note ?? '', 300))}`;
}

export function closedItemBlock(item: OpenItem): SectionBlock {
  return { type: 'section', block_id: openItemBlockId(item.id), text: md(closedItemLine(item)) };
}
