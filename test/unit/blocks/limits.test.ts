import type { KnownBlock } from '@slack/types';
import {
  assertWithinLimits,
  BlockLimitError,
  fitBlocks,
  limitProblems,
  LIMITS,
  MESSAGE_TEXT_BUDGET,
  packMessages,
  splitText,
  textLength,
} from '../../../src/blocks/limits';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const button = (n: number, text = 'Go', value = 'v'): { type: 'button'; text: { type: 'plain_text'; text: string }; action_id: string; value: string } => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: `a:${n}`,
  value,
});

describe('limitProblems', () => {
  it('accepts an ordinary message', () => {
    expect(limitProblems([section('hello'), { type: 'divider' }, { type: 'actions', elements: [button(0)] }])).toEqual([]);
  });

  it('finds every kind of violation Slack rejects', () => {
    const blocks: unknown[] = [
      section('x'.repeat(3001)),
      { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) },
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'y'.repeat(2001) }] },
      { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
      { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(i)) },
      { type: 'actions', elements: [button(0, 'b'.repeat(76)), button(0, 'ok', 'v'.repeat(2001))] },
      { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) },
      section('   '),
      { type: 'section', block_id: 'dup', text: { type: 'mrkdwn', text: 'a' } },
      { type: 'section', block_id: 'dup', text: { type: 'mrkdwn', text: 'b' } },
    ];
    const problems = limitProblems(blocks).join('\n');
    expect(problems).toContain('3001 characters (max 3000)');
    expect(problems).toContain('11 fields (max 10)');
    expect(problems).toContain('2001 characters (max 2000)');
    expect(problems).toContain('151 characters (max 150)');
    expect(problems).toContain('26 elements (max 25)');
    expect(problems).toContain('76 characters (max 75)');
    expect(problems).toContain('button value of 2001 characters');
    expect(problems).toContain('duplicate action_id a:0');
    expect(problems).toContain('11 context elements');
    expect(problems).toContain('empty text');
    expect(problems).toContain('duplicate block_id dup');
  });

  it("counts blocks and the message's total text", () => {
    expect(limitProblems(Array.from({ length: 51 }, () => ({ type: 'divider' })))).toEqual(['51 blocks (max 50)']);
    const big = Array.from({ length: 5 }, () => section('z'.repeat(2900)));
    expect(limitProblems(big)[0]).toContain(`budget ${MESSAGE_TEXT_BUDGET}`);
  });

  it('assertWithinLimits throws a named error with a code', () => {
    expect(() => assertWithinLimits([section('')])).toThrow(BlockLimitError);
    try {
      assertWithinLimits([section('')]);
    } catch (err) {
      expect((err as BlockLimitError).code).toBe('aws_ir_block_limit');
    }
  });
});

describe('fitBlocks', () => {
  it('splits long section text at line breaks and keeps every character', () => {
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ${'w'.repeat(40)}`);
    const fitted = fitBlocks([section(lines.join('\n'))]);
    expect(fitted.length).toBeGreaterThan(1);
    expect(limitProblems(fitted.slice(0, 1))).toEqual([]);
    const joined = fitted.map((b) => (b as { text: { text: string } }).text.text).join('\n');
    expect(joined).toBe(lines.join('\n'));
  });

  it('hard-splits one huge line', () => {
    expect(splitText('q'.repeat(7000), 3000).map((p) => p.length)).toEqual([3000, 3000, 1000]);
  });

  it('chunks fields, actions and context elements; truncates headers and button labels; drops over-long values', () => {
    const fitted = fitBlocks([
      { type: 'header', text: { type: 'plain_text', text: 'H'.repeat(300) } },
      { type: 'section', text: { type: 'mrkdwn', text: 'fields' }, fields: Array.from({ length: 23 }, (_, i) => ({ type: 'mrkdwn' as const, text: `f${i}` })) },
      { type: 'actions', elements: [...Array.from({ length: 30 }, (_, i) => button(i, 'L'.repeat(100))), button(99, 'big', 'v'.repeat(3000))] },
      { type: 'context', elements: Array.from({ length: 12 }, (_, i) => ({ type: 'mrkdwn' as const, text: `c${i}` })) },
    ]);
    for (const b of fitted) expect(limitProblems([b])).toEqual([]);
    expect(fitted.filter((b) => b.type === 'section')).toHaveLength(3);
    const buttons = fitted.filter((b) => b.type === 'actions').flatMap((b) => (b as { elements: unknown[] }).elements);
    expect(buttons).toHaveLength(30);
    expect(fitted.filter((b) => b.type === 'context')).toHaveLength(2);
    expect((fitted[0] as { text: { text: string } }).text.text).toHaveLength(LIMITS.headerText);
  });
});

describe('packMessages', () => {
  it('keeps groups together, preserves order, and never exceeds 50 blocks or the text budget', () => {
    const groups = Array.from({ length: 120 }, (_, i) => [
      section(`finding ${i} ${'t'.repeat(400)}`),
      { type: 'actions', elements: [button(i)] } as KnownBlock,
    ]);
    const messages = packMessages(groups);
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) {
      expect(limitProblems(m)).toEqual([]);
      // no group split across messages: every actions block follows its section
      expect(m[0].type).toBe('section');
    }
    const order = messages
      .flat()
      .filter((b) => b.type === 'section')
      .map((b) => Number(/finding (\d+)/.exec((b as { text: { text: string } }).text.text)?.[1]));
    expect(order).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it('splits a group bigger than one message', () => {
    const group = Array.from({ length: 80 }, (_, i) => section(`s${i}`));
    const messages = packMessages([group]);
    expect(messages.map((m) => m.length)).toEqual([50, 30]);
  });

  it('respects a smaller budget (room for a drill banner)', () => {
    const messages = packMessages([Array.from({ length: 60 }, () => ({ type: 'divider' }) as KnownBlock)], { maxBlocks: 49 });
    expect(messages[0]).toHaveLength(49);
  });

  it('textLength sums nested texts', () => {
    expect(textLength([section('abc'), { type: 'actions', elements: [button(0, 'xy')] }])).toBe(5);
  });
});
