/**
 * The Block Kit limit guard. Every message the app posts goes through `packMessages` (or at least
 * `fitBlocks`), so a long finding list or an unexpectedly long AWS value becomes more thread messages
 * or a truncated line, never a message Slack rejects with `invalid_blocks`.
 *
 * Limits from Slack's Block Kit reference (docs.slack.dev/reference/block-kit): 50 blocks a message;
 * section text 3,000 characters; up to 10 section fields of 2,000 each; header 150; button text 75
 * and value 2,000; 25 elements per actions block; 10 per context block; block_id and action_id 255.
 * Slack also rejects messages whose blocks are long in total (`msg_blocks_too_long`, observed near
 * 13,000 characters in slackapi/bolt-js#2509, below the documented figures), so each message also
 * keeps its text under MESSAGE_TEXT_BUDGET.
 */
import type { Button, KnownBlock, SectionBlock } from '@slack/types';
import { safeCutIndex } from './text';

export const LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  textObject: 3000,
  blockId: 255,
  actionId: 255,
  /** Top-level `text` (notification fallback); Slack truncates at 40,000, we keep it short. */
  fallbackText: 3000,
} as const;

/** Sum of the characters of every text in a message: conservative bound for msg_blocks_too_long. */
export const MESSAGE_TEXT_BUDGET = 11000;

export class BlockLimitError extends Error {
  readonly code = 'aws_ir_block_limit';
  constructor(readonly problems: string[]) {
    super(`Blocks exceed Slack's limits: ${problems.join('; ')}`);
    this.name = 'BlockLimitError';
  }
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textOf(v: unknown): string | undefined {
  return isObj(v) && typeof v.text === 'string' ? v.text : undefined;
}

/** Every problem Slack would reject `blocks` for, as sentences; empty when the message is fine. */
export function limitProblems(blocks: readonly unknown[], fallbackText?: string): string[] {
  const problems: string[] = [];
  if (blocks.length > LIMITS.blocksPerMessage) problems.push(`${blocks.length} blocks (max ${LIMITS.blocksPerMessage})`);
  if (fallbackText !== undefined && fallbackText.length > LIMITS.fallbackText)
    problems.push(`text of ${fallbackText.length} characters (max ${LIMITS.fallbackText})`);
  const total = textLength(blocks);
  if (total > MESSAGE_TEXT_BUDGET) problems.push(`${total} characters of text in one message (budget ${MESSAGE_TEXT_BUDGET})`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `block ${i}`;
    if (!isObj(block) || typeof block.type !== 'string') {
      problems.push(`${at} is not a block`);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > LIMITS.blockId) problems.push(`${at}: block_id longer than ${LIMITS.blockId}`);
      if (blockIds.has(block.block_id)) problems.push(`${at}: duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        const text = textOf(block.text);
        const fields = Array.isArray(block.fields) ? block.fields : undefined;
        if (block.text !== undefined) checkText(problems, `${at} text`, block.text, LIMITS.sectionText);
        if (text === undefined && !fields?.length) problems.push(`${at}: section needs text or fields`);
        if (fields) {
          if (fields.length > LIMITS.fieldsPerSection) problems.push(`${at}: ${fields.length} fields (max ${LIMITS.fieldsPerSection})`);
          fields.forEach((f, j) => {
            checkText(problems, `${at} field ${j}`, f, LIMITS.sectionFieldText);
          });
        }
        if (block.accessory !== undefined) checkElement(problems, `${at} accessory`, block.accessory);
        break;
      }
      case 'header':
        checkText(problems, `${at} header`, block.text, LIMITS.headerText);
        if (isObj(block.text) && block.text.type !== 'plain_text') problems.push(`${at}: header text must be plain_text`);
        break;
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) problems.push(`${at}: context without elements`);
        if (elements.length > LIMITS.contextElements) problems.push(`${at}: ${elements.length} context elements (max ${LIMITS.contextElements})`);
        elements.forEach((e, j) => {
          if (isObj(e) && e.type !== 'image') checkText(problems, `${at} element ${j}`, e, LIMITS.textObject);
        });
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) problems.push(`${at}: actions without elements`);
        if (elements.length > LIMITS.actionsElements) problems.push(`${at}: ${elements.length} elements (max ${LIMITS.actionsElements})`);
        const actionIds = new Set<string>();
        elements.forEach((e, j) => {
          checkElement(problems, `${at} element ${j}`, e);
          if (isObj(e) && typeof e.action_id === 'string') {
            if (actionIds.has(e.action_id)) problems.push(`${at}: duplicate action_id ${e.action_id}`);
            actionIds.add(e.action_id);
          }
        });
        break;
      }
      default:
        break;
    }
  });
  return problems;
}

/** Throws BlockLimitError when `blocks` would be rejected; for tests and as a last line of defence. */
export function assertWithinLimits(blocks: readonly unknown[], fallbackText?: string): void {
  const problems = limitProblems(blocks, fallbackText);
  if (problems.length) throw new BlockLimitError(problems);
}

function checkText(problems: string[], at: string, value: unknown, max: number): void {
  const text = textOf(value);
  if (text === undefined) {
    problems.push(`${at}: not a text object`);
    return;
  }
  if (text.trim().length === 0) problems.push(`${at}: empty text`);
  if (text.length > max) problems.push(`${at}: ${text.length} characters (max ${max})`);
}

function checkElement(problems: string[], at: string, el: unknown): void {
  if (!isObj(el)) {
    problems.push(`${at}: not an element`);
    return;
  }
  if (typeof el.action_id === 'string' && el.action_id.length > LIMITS.actionId) problems.push(`${at}: action_id longer than ${LIMITS.actionId}`);
  if (el.type === 'button') {
    checkText(problems, `${at} button text`, el.text, LIMITS.buttonText);
    if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue)
      problems.push(`${at}: button value of ${el.value.length} characters (max ${LIMITS.buttonValue})`);
  }
}

/** Characters of every `text` string inside the blocks. */
export function textLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + textLength(v), 0);
  if (!isObj(value)) return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'text' && typeof v === 'string') n += v.length;
    else if (typeof v === 'object') n += textLength(v);
  }
  return n;
}

const EMPTY = '—';

/** Cuts to `max` with an ellipsis, never through an escape (`&amp;`) or a `<…>` token. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, max);
  return `${text.slice(0, safeCutIndex(text, max - 1))}…`;
}

function fixText<T extends { text: string }>(t: T, max: number): T {
  const text = t.text.trim().length === 0 ? EMPTY : t.text;
  return text === t.text && text.length <= max ? t : { ...t, text: cut(text, max) };
}

/** Splits a long mrkdwn text at line breaks (or hard, for a single huge line) into pieces of <= max. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      if (current) {
        pieces.push(current);
        current = '';
      }
      // A token longer than a piece (never aws-ir's) is cut anyway rather than looping.
      const at = safeCutIndex(rest, max) || max;
      pieces.push(rest.slice(0, at));
      rest = rest.slice(at);
    }
    const candidate = current ? `${current}\n${rest}` : rest;
    if (candidate.length > max) {
      pieces.push(current);
      current = rest;
    } else current = candidate;
  }
  if (current) pieces.push(current);
  return pieces.filter((p) => p.trim().length > 0);
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Fields in sections of at most 10, and at most FIELDS_CHARS characters, so one block never fills a message. */
const FIELDS_CHARS = 6000;
function chunkFields<T extends { text: string }>(fields: readonly T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const f of fields) {
    if (current.length === LIMITS.fieldsPerSection || (current.length && chars + f.text.length > FIELDS_CHARS)) {
      out.push(current);
      current = [];
      chars = 0;
    }
    current.push(f);
    chars += f.text.length;
  }
  if (current.length) out.push(current);
  return out;
}

function isButton(el: unknown): el is Button {
  return isObj(el) && el.type === 'button';
}

/** A button with its label cut to fit; any other element unchanged. */
function fixElement<E>(el: E): E | Button | undefined {
  if (!isButton(el)) return el;
  // A value we cannot shorten without corrupting it: drop the button rather than the whole message.
  if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) return undefined;
  return { ...el, text: fixText(el.text, LIMITS.buttonText) };
}

/**
 * Returns blocks that respect every per-block limit: long section texts become several sections, too
 * many fields or elements become several blocks, over-long labels are cut with an ellipsis.
 */
export function fitBlock(block: KnownBlock): KnownBlock[] {
  switch (block.type) {
    case 'header':
      return [{ ...block, text: fixText(block.text, LIMITS.headerText) }];
    case 'section': {
      const out: SectionBlock[] = [];
      const accessory = block.accessory ? fixElement(block.accessory) : undefined;
      const text = block.text;
      const texts: string[] = text ? splitText(text.text, LIMITS.sectionText) : [];
      const fields = (block.fields ?? []).map((f) => fixText(f, LIMITS.sectionFieldText));
      const fieldChunks = chunkFields(fields);
      const n = Math.max(texts.length, fieldChunks.length, 1);
      for (let i = 0; i < n; i++) {
        const s: SectionBlock = { type: 'section' };
        if (i === 0 && block.block_id) s.block_id = block.block_id;
        const piece = texts[i];
        // `piece` exists only when `text` does: it is one of text's pieces.
        if (text && piece !== undefined) s.text = { ...text, text: piece };
        else if (!fieldChunks[i]?.length) s.text = { type: 'mrkdwn', text: EMPTY };
        if (fieldChunks[i]?.length) s.fields = fieldChunks[i];
        if (i === 0 && accessory) s.accessory = accessory;
        out.push(s);
      }
      return out;
    }
    case 'context': {
      const elements = block.elements.map((e) => (isObj(e) && e.type !== 'image' ? fixText(e, LIMITS.textObject) : e));
      if (elements.length === 0) return [];
      return chunk(elements, LIMITS.contextElements).map((els, i) => ({ ...block, block_id: i === 0 ? block.block_id : undefined, elements: els }));
    }
    case 'actions': {
      const elements = block.elements.map((e) => fixElement(e)).filter((e) => e !== undefined);
      if (elements.length === 0) return [];
      return chunk(elements, LIMITS.actionsElements).map((els, i) => ({ ...block, block_id: i === 0 ? block.block_id : undefined, elements: els }));
    }
    default:
      return [block];
  }
}

export function fitBlocks(blocks: readonly KnownBlock[]): KnownBlock[] {
  return blocks.flatMap(fitBlock).map(dropUndefinedBlockId);
}

function dropUndefinedBlockId(b: KnownBlock): KnownBlock {
  if ('block_id' in b && b.block_id === undefined) {
    const { block_id: _unused, ...rest } = b;
    void _unused;
    return rest as KnownBlock;
  }
  return b;
}

export interface PackOptions {
  maxBlocks?: number;
  maxChars?: number;
}

/**
 * Packs groups of blocks (e.g. one finding = section + buttons) into messages within the limits,
 * keeping a group in one message whenever it fits in one. Order is preserved.
 */
export function packMessages(groups: readonly (readonly KnownBlock[])[], options: PackOptions = {}): KnownBlock[][] {
  const maxBlocks = options.maxBlocks ?? LIMITS.blocksPerMessage;
  const maxChars = options.maxChars ?? MESSAGE_TEXT_BUDGET;
  const messages: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  let chars = 0;
  const flush = () => {
    if (current.length) messages.push(current);
    current = [];
    chars = 0;
  };
  const add = (group: KnownBlock[]) => {
    const size = textLength(group);
    if (current.length + group.length > maxBlocks || chars + size > maxChars) flush();
    current.push(...group);
    chars += size;
  };
  for (const raw of groups) {
    const group = fitBlocks(raw);
    if (group.length === 0) continue;
    if (group.length <= maxBlocks && textLength(group) <= maxChars) add(group);
    else for (const block of group) add([block]);
  }
  flush();
  return messages;
}

/** Fallback `text` for notifications and screen readers, within its limit. */
export function fallbackText(text: string): string {
  return cut(text.trim() || EMPTY, LIMITS.fallbackText);
}
