/**
 * The "Investigate" button of a finding (runbook D2): IAM's service-last-accessed data for the
 * identity behind the finding, posted in the scan's thread. The identity comes from the stored
 * finding, never from the button, so a forged value cannot point the lookup elsewhere.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { clientsFor } from '../aws/clients';
import { lastAccessedGroups } from '../blocks/last-accessed';
import { esc, mention, mrkdwn, type Mrkdwn } from '../blocks/text';
import { lastAccessedFor as engineLastAccessedFor } from '../scan/checks/last-accessed';
import type { Finding } from '../scan/model';
import type { AppServices } from '../services';
import { ACTION, actionIdPattern, type InvestigateButtonValue } from '../slack-ids';
import type { BackgroundTasks } from '../slack/background-tasks';
import type { ChannelPacer } from '../slack/channel-pacer';
import { SlackPoster } from '../slack/poster';
import type { Lookups } from './command-context';
import { userMessage } from './user-errors';

export function parseInvestigateValue(value: string | undefined): InvestigateButtonValue | undefined {
  if (!value) return undefined;
  try {
    const v: unknown = JSON.parse(value);
    if (typeof v === 'object' && v !== null) {
      const { scanId, findingId } = v as Record<string, unknown>;
      if (typeof scanId === 'string' && typeof findingId === 'string') return { scanId, findingId };
    }
  } catch {
    // fall through: not our value
  }
  return undefined;
}

/** The IAM ARN whose last-accessed data explains a finding, or undefined when it has no identity. */
export function identityArn(f: Finding, account: string): { arn: string; label: string } | undefined {
  const t = f.target;
  if (!t) return undefined;
  // IAM paths (user/automation/ci-deploy) are part of the ARN: prefer the ARN the scan saw.
  const seen = (type: 'user' | 'role', name: string) =>
    f.resources.find((r) => new RegExp(`^arn:aws[a-z-]*:iam::\\d{12}:${type}/(.+/)?${name.replace(/[.+]/g, '\\$&')}$`).test(r));
  switch (t.kind) {
    case 'access-key':
      return { arn: seen('user', t.userName) ?? `arn:aws:iam::${account}:user/${t.userName}`, label: `IAM user ${t.userName} (owner of ${t.accessKeyId})` };
    case 'user':
      return { arn: t.arn ?? seen('user', t.userName) ?? `arn:aws:iam::${account}:user/${t.userName}`, label: `IAM user ${t.userName}` };
    case 'role':
      return { arn: t.arn ?? seen('role', t.roleName) ?? `arn:aws:iam::${account}:role/${t.roleName}`, label: `IAM role ${t.roleName}` };
    default:
      return undefined;
  }
}

export interface InvestigateOptions {
  pacer: ChannelPacer;
  tasks: BackgroundTasks;
  lookups?: Lookups;
}

export function registerInvestigate(app: App, services: AppServices, options: InvestigateOptions): void {
  const drill = services.config.drill;
  app.action<BlockAction<ButtonAction>>(
    actionIdPattern(ACTION.investigate),
    async ({ ack, body, action, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const poster = new SlackPoster(client, options.pacer, drill);
      const user = body.user.id;
      const channel = body.channel?.id;
      const refuse = async (text: Mrkdwn) => {
        if (channel) await poster.ephemeral(channel, user, text);
      };
      const value = parseInvestigateValue(action.value);
      const scan = value ? services.store.getScan(value.scanId) : undefined;
      const finding = scan?.result?.findings.find((f) => f.id === value?.findingId);
      if (!value || !scan || !finding || !scan.result) {
        await refuse(mrkdwn`aws-ir no longer has this scan; run \`/aws-ir scan\` again.`);
        return;
      }
      const identity = identityArn(finding, scan.result.account);
      const lastAccessedFor = options.lookups?.lastAccessedFor ?? engineLastAccessedFor;
      if (!identity) {
        await refuse(mrkdwn`This finding has no IAM identity to investigate.`);
        return;
      }
      options.tasks.run('investigate', async () => {
        try {
          const raw = await lastAccessedFor(clientsFor(services.scanTarget), identity.arn);
          const groups = lastAccessedGroups(identity.label, raw);
          await poster.postGroups(scan.channel, scan.threadTs, groups, mrkdwn`Last accessed: ${esc(identity.label)} (requested by ${mention(user)})`);
        } catch (err) {
          services.logger.error({ err, arn: identity.arn }, 'last-accessed lookup failed');
          await poster.post(
            scan.channel,
            { text: mrkdwn`The last-accessed lookup for ${esc(identity.label)} did not finish. ${esc(userMessage(err))}` },
            scan.threadTs,
          );
        }
      });
    },
  );
}
