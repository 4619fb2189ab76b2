/**
 * One checklist item as a block: open with a "Mark done" button (a confirm dialog says it is the
 * clicker's word, not a check of AWS), or closed saying who closed it and how. The status message
 * shows items this way, and a click replaces the item's block with its closed form.
 */
import type { Button, SectionBlock } from '@slack/types';
import type { OpenItem } from '../store/store';
import { ACTION, buttonActionId, openItemBlockId, type OpenItemButtonValue } from '../slack-ids';
import { LIMITS } from './limits';
import { esc, formatTime, md, mention, mrkdwn, plain, truncate, type Mrkdwn } from './text';

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
          ? mrkdwn`This records, in your name, that the step was done. aws-ir does not check AWS now; the next scan re-reads it and reopens the item if it still shows.`
          : mrkdwn`This records, in your name, that the step was done. aws-ir cannot check it in AWS: it is your word.`,
      ),
      confirm: plain('Mark done'),
      deny: plain('Cancel'),
    },
  };
}

/** `n` numbers the button within its message (action ids must be unique in a message). */
export function openItemBlock(item: OpenItem, n: number): SectionBlock {
  const rescan = item.verifiedBy === 'scan' ? mrkdwn`\n_The next scan re-reads this: it closes by itself once AWS no longer shows it._` : mrkdwn``;
  const reopened = item.note && item.status === 'open' ? mrkdwn`\n_${esc(truncate(item.note, 300))}_` : mrkdwn``;
  return {
    type: 'section',
    block_id: openItemBlockId(item.id),
    text: md(
      mrkdwn`:white_large_square: *${esc(item.step)}* · *${esc(truncate(item.title, 300))}*\n${esc(truncate(item.guidance, GUIDANCE_MAX))}${rescan}${reopened}`,
    ),
    accessory: markDoneButton(item, n),
  };
}

/** One line for a closed item: who or what closed it, when, and whether AWS confirmed it. */
export function closedItemLine(item: OpenItem): Mrkdwn {
  const when = item.closedAt ? mrkdwn` on ${formatTime(item.closedAt)}` : mrkdwn``;
  if (item.status === 'verified')
    return mrkdwn`:ballot_box_with_check: *${esc(item.step)}* · ${esc(truncate(item.title, 300))}: closed${when}. ${esc(truncate(item.note ?? 'Verified by scan.', 300))}`;
  return mrkdwn`:heavy_check_mark: *${esc(item.step)}* · ${esc(truncate(item.title, 300))}: marked done by ${mention(item.closedBy)}${when}. ${esc(truncate(item.note ?? '', 300))}`;
}

export function closedItemBlock(item: OpenItem): SectionBlock {
  return { type: 'section', block_id: openItemBlockId(item.id), text: md(closedItemLine(item)) };
}
