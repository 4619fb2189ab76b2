/**
 * The channel-wide announcement of a break-glass run: one responder changed AWS without a second
 * approver. The `@here` is aws-ir's own markup; every value in it is escaped.
 */
import { esc, mention, mrkdwn, truncate, type Mrkdwn } from './text';

export function breakGlassText(run: { label: string; target: string; by: string; reason: string }): Mrkdwn {
  return mrkdwn`<!here> :rotating_light: *Break-glass:* ${mention(run.by)} is running *${esc(run.label)}* on ${esc(truncate(run.target, 300))} without a second approver. *Why:* ${esc(truncate(run.reason, 1000))}\nIt is flagged in the audit and listed by \`/aws-ir status\` until another responder reviews it (the Reviewed button on its message in the thread).`;
}
