/**
 * The "Investigate" button of a finding (runbook D2): IAM's service-last-accessed data for the
 * identity behind the finding, posted in the scan's thread. Which identity is the core's answer from
 * the stored finding, never the button's.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { lastAccessedGroups } from '../blocks/last-accessed';
import { esc } from '../blocks/text';
import { REFUSALS, userMessage } from '../errors';
import type { IncidentCore } from '../incident/core';
import type { Logger } from '../logger';
import { ACTION, actionIdPattern, type InvestigateButtonValue } from '../slack-ids';
import type { BackgroundTasks } from '../slack/background-tasks';
import type { SlackClient, SlackPoster } from '../slack/poster';
import { parseIds } from './button-values';

export function parseInvestigateValue(value: string | undefined): InvestigateButtonValue | undefined {
  return parseIds(value, ['scanId', 'findingId']);
}

export interface InvestigateSurface {
  core: IncidentCore;
  tasks: BackgroundTasks;
  logger: Logger;
  posterFor(client: SlackClient): SlackPoster;
}

export function registerInvestigate(app: App, surface: InvestigateSurface): void {
  const { core, tasks, logger } = surface;
  app.action<BlockAction<ButtonAction>>(
    actionIdPattern(ACTION.investigate),
    async ({ ack, body, action, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const poster = surface.posterFor(client);
      const user = body.user.id;
      const channel = body.channel?.id;
      const value = parseInvestigateValue(action.value);
      tasks.run('investigate', async () => {
        const target = value ? await core.investigateTarget(value) : { ok: false as const, reason: REFUSALS.investigateGone };
        if (!target.ok) {
          if (channel) await poster.ephemeral(channel, user, target.reason);
          return;
        }
        const { scan, identity } = target;
        const threadTs = scan.threadTs;
        try {
          const summary = await core.lastAccessed(identity.arn);
          const groups = lastAccessedGroups(identity.label, summary);
          if (threadTs) await poster.postGroups(scan.channel, threadTs, groups, `Last accessed: ${esc(identity.label)} (requested by <@${user}>)`);
        } catch (err) {
          logger.error({ err, arn: identity.arn }, 'last-accessed lookup failed');
          await poster.post(scan.channel, { text: `The last-accessed lookup for ${esc(identity.label)} did not finish. ${esc(userMessage(err))}` }, threadTs);
        }
      });
    },
  );
}
