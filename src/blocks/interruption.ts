/**
 * What the channel hears when aws-ir's process stopped in the middle of work: a scan cut short, or an
 * approved action cut off (never re-run), with each AWS write that was in flight read back as done,
 * not done, or unknown with what to check. Every name in it may come from AWS, so all of it is escaped.
 */
import type { KnownBlock } from '@slack/types';
import { md, esc, truncate } from './text';

export interface InterruptedWriteView {
  operation: string;
  state: 'done' | 'not done' | 'unknown';
  check: string;
}

const STATE_LABEL: Record<InterruptedWriteView['state'], string> = {
  done: 'done (the change is there)',
  'not done': 'not done (the change is not there)',
  unknown: 'unknown — verify',
};

export function interruptedScanText(reason: string): string {
  return `:warning: This scan was cut short and did not finish: ${esc(reason)} Its results are incomplete; the channel is free, run \`/aws-ir scan\` again.`;
}

export function interruptedRequestMessage(input: { label: string; target: string; approvedBy?: string; writes: InterruptedWriteView[] }): {
  text: string;
  blocks: KnownBlock[];
} {
  const who = input.approvedBy ? ` (approved by <@${input.approvedBy}>)` : '';
  const head = `:warning: aws-ir stopped while "${esc(input.label)}" on ${esc(input.target)} was running${who}. It was not re-run and will not run again without a new request and approval.`;
  const lines = input.writes.map(
    (w) => `• ${esc(w.operation)}, sent just before the stop: *${STATE_LABEL[w.state]}*.${w.state === 'done' ? '' : ` ${esc(truncate(w.check, 400))}`}`,
  );
  const inFlight = input.writes.length
    ? `The AWS call${input.writes.length > 1 ? 's' : ''} in flight, read back:\n${lines.slice(0, 10).join('\n')}`
    : 'No AWS call was in flight; every call it made is in `/aws-ir audit`.';
  const tail = 'Check the resource in AWS, then request the action again if it is still needed.';
  return {
    text: `${head} ${tail}`,
    blocks: [
      { type: 'section', text: md(truncate(head, 2900)) },
      { type: 'section', text: md(truncate(inFlight, 2900)) },
      { type: 'context', elements: [md(tail)] },
    ],
  };
}
