/** The ephemeral usage message for `/aws-ir help`, unknown subcommands and malformed flags. */
import { SLASH_COMMAND } from '../slack-ids';
import { esc, joinMrkdwn, mrkdwn, type Mrkdwn } from './text';

export function usageText(problem?: Mrkdwn): Mrkdwn {
  const cmd = esc(SLASH_COMMAND);
  const lines = [
    ...(problem ? [problem, mrkdwn``] : []),
    mrkdwn`*${cmd}* — AWS incident response, following AWS's runbook for unauthorized activity.`,
    mrkdwn`\`${cmd} scan [--days N] [--regions a,b]\` — run every detection step (window: last N days, 1–90, default 7; default every enabled region)`,
    mrkdwn`\`${cmd} trail ${esc('<access key id | user | role/NAME>')} [--days N]\` — CloudTrail activity of one principal in every region`,
    mrkdwn`\`${cmd} status\` — each story's do-first plan (done, waiting for approval, open), requests waiting for approval, interrupted requests, and the incident checklist (steps only a person can do, with "Mark done")`,
    mrkdwn`\`${cmd} evidence\` — the evidence manifest: every snapshot aws-ir took and configuration it saved before a deletion, with how to restore from them`,
    mrkdwn`\`${cmd} audit\` — this channel's incident record: scans, requests, approvals and AWS calls`,
    mrkdwn`\`${cmd} timeline\` — the incident in order: what the attacker did (the scans' stories) and what the team did, for the postmortem`,
    mrkdwn`\`${cmd} help\` — this message`,
    mrkdwn`Response actions run only after a second, different responder approves them.`,
  ];
  return joinMrkdwn(lines, '\n');
}
