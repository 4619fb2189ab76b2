/**
 * Slack surface of two-person remediation: a finding's action button and Undo (each opens the reason
 * form), the form's submission (the request, posted in the scan's thread), Approve and Reject. Every
 * listener acknowledges first; the form's submission is answered in its ack only for what needs no
 * I/O (a missing reason, an unreadable form), everything else after. Who clicked always comes from the
 * verified payload (body.user.id), never from a button value. Refusals are ephemeral.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { reasonModal, type ReasonModalMetadata } from '../blocks/request';
import { esc } from '../blocks/text';
import { REFUSALS, userMessage } from '../errors';
import type { IncidentCore } from '../incident/core';
import type { Decision } from '../incident/decision';
import type { Logger } from '../logger';
import { describeTarget, type ActionId } from '../remediation/action-ids';
import { actionDefinition } from '../remediation/catalog';
import { ACTION, BLOCK, VIEW, actionIdPattern } from '../slack-ids';
import type { BackgroundTasks } from '../slack/background-tasks';
import type { SlackClient, SlackPoster } from '../slack/poster';
import { parseIds, parseModalMetadata } from './button-values';
import { showRequest } from './request-message';

export interface RemediationSurface {
  core: IncidentCore;
  tasks: BackgroundTasks;
  logger: Logger;
  /** A poster on the client of the request being handled (drill-marked, paced). */
  posterFor(client: SlackClient): SlackPoster;
}

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

export function registerRemediation(app: App, surface: RemediationSurface): void {
  const { core, tasks, logger } = surface;

  /** Runs after the ack; a failure is logged and told to the clicker in one sentence. */
  function guarded(name: string, poster: SlackPoster, user: string, channel: string | undefined, fn: () => Promise<void>): void {
    tasks.run(name, async () => {
      try {
        await fn();
      } catch (err) {
        logger.error({ err, user }, `${name} failed`);
        if (channel) await poster.ephemeral(channel, user, esc(userMessage(err))).catch(() => undefined);
      }
    });
  }

  /** A refusal goes to the clicker only; a result updates (or posts) the request's message for everyone. */
  async function show(poster: SlackPoster, decision: Decision, user: string, channel: string | undefined): Promise<void> {
    if (decision.ok) {
      if (!decision.replayed) await showRequest(poster, core, decision.request);
      return;
    }
    const where = decision.request?.channel ?? channel;
    if (where) await poster.ephemeral(where, user, decision.reason, decision.request?.threadTs);
    // An approval that found the request expired also updates its message, for everyone.
    if (decision.code === 'expired' && decision.request) await showRequest(poster, core, decision.request);
  }

  /** Opens the reason form; without it there is no reason, so nothing is requested. */
  async function openReasonForm(
    client: SlackClient,
    poster: SlackPoster,
    triggerId: string,
    meta: ReasonModalMetadata,
    action: ActionId,
    target: string,
    user: string,
    channel: string,
  ) {
    const def = actionDefinition(action);
    try {
      await client.views.open({ trigger_id: triggerId, view: reasonModal(meta, def, target) });
    } catch (err) {
      // The trigger lasts 3 s; a form that cannot open cannot give the reason every request needs.
      logger.warn({ err }, 'reason form did not open');
      await poster.ephemeral(channel, user, REFUSALS.modalDidNotOpen);
    }
  }

  app.action<BlockAction<ButtonAction>>(actionIdPattern(ACTION.requestAction), async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const poster = surface.posterFor(client);
    const user = body.user.id;
    const channel = body.channel?.id;
    const value = parseIds(action.value, ['scanId', 'findingId', 'action']);
    guarded('request form', poster, user, channel, async () => {
      const offered = value && (await core.offeredAction(value));
      if (!value || !offered) {
        if (channel) await poster.ephemeral(channel, user, REFUSALS.findingGone);
        return;
      }
      const meta: ReasonModalMetadata = { ...value, channel: offered.channel };
      await openReasonForm(client, poster, body.trigger_id, meta, offered.action, describeTarget(offered.target), user, offered.channel);
    });
  });

  app.action<BlockAction<ButtonAction>>(actionIdPattern(ACTION.undo), async ({ ack, body, action, client }: ButtonArgs) => {
    await ack();
    const poster = surface.posterFor(client);
    const user = body.user.id;
    const channel = body.channel?.id;
    const value = parseIds(action.value, ['requestId']);
    if (!value) return unreadable(poster, user, channel, ACTION.undo);
    guarded('undo form', poster, user, channel, async () => {
      const check = await core.undoable({ requestId: value.requestId, userId: user });
      if (!check.ok) return show(poster, check, user, channel);
      const { original, undo } = check;
      await openReasonForm(
        client,
        poster,
        body.trigger_id,
        { undoOf: original.id, channel: original.channel },
        undo,
        describeTarget(original.target),
        user,
        original.channel,
      );
    });
  });

  app.view<ViewSubmitAction>(VIEW.requestReason, async ({ ack, body, view, client }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    // Only what needs no I/O is answered in the ack, in the form itself: that is where the person is looking.
    const meta = parseModalMetadata(view.private_metadata);
    const reason = view.state.values[BLOCK.requestReasonInput]?.[BLOCK.requestReasonAction]?.value?.trim();
    if (!meta) {
      await ack({ response_action: 'errors', errors: { [BLOCK.requestReasonInput]: REFUSALS.findingGone } });
      return;
    }
    if (!reason) {
      await ack({ response_action: 'errors', errors: { [BLOCK.requestReasonInput]: REFUSALS.reasonRequired } });
      return;
    }
    await ack();
    const poster = surface.posterFor(client);
    const user = body.user.id;
    // Slack sends the same view id with every replay of this submission: the store creates one request.
    const asked = { userId: user, reason, idempotencyKey: `view:${view.id}` };
    guarded('request', poster, user, meta.channel, async () => {
      const decision = 'undoOf' in meta ? await core.requestUndo({ ...asked, requestId: meta.undoOf }) : await core.requestFromFinding({ ...asked, ...meta });
      await show(poster, decision, user, meta.channel);
    });
  });

  async function unreadable(poster: SlackPoster, user: string, channel: string | undefined, actionId: string): Promise<void> {
    // Tampered, or from another version of aws-ir: act on nothing, and say so rather than stay silent.
    logger.warn({ user, channel, actionId }, 'button with an unreadable value ignored');
    if (channel)
      await poster.ephemeral(channel, user, REFUSALS.unreadableButton).catch((err: unknown) => logger.warn({ err }, 'could not answer an unreadable button'));
  }

  /** Approve and Reject: buttons whose value names a request; `decide` runs after the ack, guarded. */
  function onDecisionButton(
    actionId: string,
    name: string,
    decide: (poster: SlackPoster, requestId: string, user: string, channel: string | undefined) => Promise<void>,
  ): void {
    app.action<BlockAction<ButtonAction>>(actionIdPattern(actionId), async ({ ack, body, action, client }: ButtonArgs) => {
      await ack();
      const poster = surface.posterFor(client);
      const user = body.user.id;
      const channel = body.channel?.id;
      const value = parseIds(action.value, ['requestId']);
      if (!value) return unreadable(poster, user, channel, actionId);
      guarded(name, poster, user, channel, () => decide(poster, value.requestId, user, channel));
    });
  }

  onDecisionButton(ACTION.approve, 'approve', async (poster, requestId, user, channel) => {
    const decision = await core.approve({
      requestId,
      userId: user,
      onExecuting: (r) => showRequest(poster, core, r).catch((err: unknown) => logger.warn({ err }, 'could not show the running state')),
    });
    await show(poster, decision, user, channel);
  });

  onDecisionButton(ACTION.reject, 'reject', async (poster, requestId, user, channel) => {
    await show(poster, await core.reject({ requestId, userId: user }), user, channel);
  });
}
