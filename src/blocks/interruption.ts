/**
 * What the channel hears when aws-ir's process stopped in the middle of work: a scan cut short, or an
 * approved action cut off (never re-run), with each AWS write that was in flight read back as done,
 * not done, or unknown with what to check. Every name in it may come from AWS, so all of it is escaped.
 */
import type { KnownBlock } from '@slack/types';
import { esc, joinMrkdwn, md, mention, mrkdwn, truncate, truncateMrkdwn, type Mrkdwn } from './text';

export interface InterruptedWriteView {
  operation: string;
  state: 'done' | 'not done' | 'unknown';
  check: string;
}

const STATE_LABEL: Record<InterruptedWriteView['state'], Mrkdwn> = {
  done: mrkdwn`done (the change is there)`,
  'not done': mrkdwn`not done (the change is not there)`,
  unknown: mrkdwn`unknown — verify`,
};

export function interruptedScanText(reason: string): Mrkdwn {
  return mrkdwn`:warning: This scan was cut short and did not finish: ${esc(reason)} Its results are incomplete; the channel is free, run \`/aws-ir scan\` again.`;
}

export function interruptedRequestMessage(input: { label: string; target: string; approvedBy?: string; writes: InterruptedWriteView[] }): {
  text: Mrkdwn;
  blocks: KnownBlock[];
} {
  const who = input.approvedBy ? mrkdwn` (approved by ${mention(input.approvedBy)})` : mrkdwn``;
  const head = mrkdwn`:warning: aws-ir stopped while "${esc(input.label)}" on ${esc(input.target)} was running${who}. It was not re-run and will not run again without a new request and approval.`;
  const lines = input.writes.map(
    (w) =>
      mrkdwn`• ${esc(w.operation)}, sent just before the stop: *${STATE_LABEL[w.state]}*.${w.state === 'done' ? mrkdwn`` : mrkdwn` ${esc(truncate(w.check, 400))}`}`,
  );
  const inFlight = input.writes.length
    ? mrkdwn`The AWS call${input.writes.length > 1 ? mrkdwn`s` : mrkdwn``} in flight, read back:\n${joinMrkdwn(lines.slice(0, 10), '\n')}`
    : mrkdwn`No AWS call was in flight; every call it made is in \`/aws-ir audit\`.`;
  const tail = mrkdwn`Check the resource in AWS, then request the action again if it is still needed.`;
  return {
    text: mrkdwn`${head} ${tail}`,
    blocks: [
      { type: 'section', text: md(truncateMrkdwn(head, 2900)) },
      { type: 'section', text: md(truncateMrkdwn(inFlight, 2900)) },
      { type: 'context', elements: [md(tail)] },
    ],
  };
}
