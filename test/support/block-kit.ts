/**
 * Block Kit limits checked independently of the product's own limit code (src/blocks/limits.ts, which
 * fits and packs what aws-ir sends): by the Slack stand-in's rules, written from Slack's published
 * limits (50 blocks a message, 100 in a modal, section text 3,000, fields 10 × 2,000, header 150, button
 * text 75, action_id 255, value 2,000, context 10 elements, actions 25, message text 40,000…). The
 * stand-in refuses over-limit messages with `invalid_blocks` as Slack does; a test that builds blocks
 * without posting them checks them here.
 *
 *   expectWithinBlockKitLimits(message.blocks, message.text);
 */
import { MESSAGE_TEXT_LIMIT, validateMessageBlocks, validateView } from '@aws-ir/slack-standin';

/** What Slack would refuse in a message: its blocks, and its top-level text. Empty = Slack accepts it. */
export function blockKitProblems(blocks: readonly unknown[], text?: string): string[] {
  const problems = validateMessageBlocks(blocks);
  if (text !== undefined && text.length > MESSAGE_TEXT_LIMIT)
    problems.push(`[ERROR] text of ${text.length} characters, over ${MESSAGE_TEXT_LIMIT} [json-pointer:/text]`);
  return problems;
}

/** What Slack would refuse in a modal view. */
export function viewProblems(view: unknown): string[] {
  return validateView(view);
}

export function expectWithinBlockKitLimits(blocks: readonly unknown[], text?: string): void {
  const problems = blockKitProblems(blocks, text);
  if (problems.length) throw new Error(`Slack would refuse this message (invalid_blocks):\n${problems.join('\n')}`);
}
