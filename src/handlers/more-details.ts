/**
 * A finding's "More" button: a modal with all of its evidence, paged (Next / Previous update the
 * same modal). Which finding is the store's answer for the button's scan and finding ids.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { moreDetailsView } from '../blocks/more-details';
import { esc } from '../blocks/text';
import { REFUSALS } from '../errors';
import type { IncidentCore } from '../incident/core';
import type { Logger } from '../logger';
import { ACTION, actionIdPattern } from '../slack-ids';
import type { SlackClient, SlackPoster } from '../slack/poster';
import { parseIds } from './button-values';

export interface MoreDetailsSurface {
  core: IncidentCore;
  logger: Logger;
  posterFor(client: SlackClient): SlackPoster;
}

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function registerMoreDetails(app: App, surface: MoreDetailsSurface): void {
  const { core, logger } = surface;
  // views.open must use the trigger within 3 s, so the modal opens in the listener itself (one store read).
  app.action<BlockAction<ButtonAction>>(actionIdPattern(ACTION.moreDetails), async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const ids = parseIds(action.value, ['scanId', 'findingId']);
    const finding = ids ? await core.finding(ids) : undefined;
    if (!ids || !finding) {
      if (body.channel?.id) await surface.posterFor(client).ephemeral(body.channel.id, body.user.id, esc(REFUSALS.investigateGone));
      return;
    }
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: moreDetailsView(ids.scanId, finding, 0) });
    } catch (err) {
      logger.warn({ err }, 'the More view did not open');
    }
  });
  app.action<BlockAction<ButtonAction>>(actionIdPattern(ACTION.morePage), async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const ids = parseIds(action.value, ['scanId', 'findingId', 'page']);
    const finding = ids ? await core.finding(ids) : undefined;
    const viewId = body.view?.id;
    if (!ids || !finding || !viewId) return;
    try {
      await client.views.update({ view_id: viewId, view: moreDetailsView(ids.scanId, finding, Number.parseInt(ids.page, 10) || 0) });
    } catch (err) {
      logger.warn({ err }, 'the More view did not change page');
    }
  });
}
