/** The ephemeral usage message for `/aws-ir help`, unknown subcommands and malformed flags. */
import { SLASH_COMMAND } from '../slack-ids';

export function usageText(problem?: string): string {
  const lines = [
    ...(problem ? [problem, ''] : []),
    `*${SLASH_COMMAND}* — AWS incident response, following AWS's runbook for unauthorized activity.`,
    `\`${SLASH_COMMAND} scan [--days N] [--regions a,b]\` — run every detection step (window: last N days, 1–90, default 7; default every enabled region)`,
    `\`${SLASH_COMMAND} trail <access key id | user | role/NAME> [--days N]\` — CloudTrail activity of one principal in every region`,
    `\`${SLASH_COMMAND} status\` — what still needs people: requests waiting for approval, interrupted requests, and the incident checklist (steps only a person can do, with "Mark done")`,
    `\`${SLASH_COMMAND} evidence\` — the evidence manifest: every snapshot aws-ir took and configuration it saved before a deletion, with how to restore from them`,
    `\`${SLASH_COMMAND} audit\` — this channel's incident record: scans, requests, approvals and AWS calls`,
    `\`${SLASH_COMMAND} help\` — this message`,
    'Response actions run only after a second, different responder approves them.',
  ];
  return lines.join('\n');
}
