/**
 * Slack surface of two-person remediation: a finding's action button and Undo (each opens the reason
 * form), the form's submission (the request, posted in the scan's thread), Approve and Reject. Every
 * listener acknowledges first; the form's submission is answered in its ack only for what needs no
 * I/O (a missing reason, an unreadable form), everything else after. Who clicked always comes from the
 * verified payload (body.user.id), never from a button value. Refusals are ephemeral.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { reasonModal, type ReasonModalMetadata } from '../blocks/request';
import { esc, escKeepingMentions } from '../blocks/text';
import { REFUSALS, userMessage } from '../errors';
import type { IncidentCore } from '../incident/core';
import type { Decision } from '../incident/decision';
import type { Logger } from '../logger';
import { describeTarget, type ActionId } from '../remediation/action-ids';
import { actionDefinition } from '../remediation/catalog';
import { ACTION, BLOCK, BREAK_GLASS_OPTION, VIEW, actionIdPattern } from '../slack-ids';
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
    // Refusal reasons are plain text that may quote AWS names (a protected policy's ARN); only the
    // mentions of the request's own people stay mentions.
    const reason = escKeepingMentions(decision.reason, [decision.request?.requestedBy, decision.request?.decidedBy]);
    if (where) await poster.ephemeral(where, user, reason, decision.request?.threadTs);
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
      await client.views.open({ trigger_id: triggerId, view: reasonModal(meta, def, target, { breakGlass: core.breakGlassOffered(action) }) });
    } catch (err) {
      // The trigger lasts 3 s; a form that cannot open cannot give the reason every request needs.
      logger.warn({ err }, 'reason form did not open');
      await poster.ephemeral(channel, user, esc(REFUSALS.modalDidNotOpen));
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
        if (channel) await poster.ephemeral(channel, user, esc(REFUSALS.findingGone));
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
    // Narrowed, not trusted: the receiver checked the payload's shape, this listener checks its own field.
    const typed: unknown = view.state.values[BLOCK.requestReasonInput]?.[BLOCK.requestReasonAction]?.value;
    const reason = typeof typed === 'string' ? typed.trim() : undefined;
    const breakGlass = breakGlassChecked(view.state.values[BLOCK.breakGlassInput]?.[BLOCK.breakGlassAction]);
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
      // Break-glass runs the request just posted; a replayed submission ran (or was refused) the first time.
      if (breakGlass && decision.ok && !decision.replayed) {
        const run = await core.breakGlass({
          requestId: decision.request.id,
          userId: user,
          reason,
          onExecuting: (r) => showRequest(poster, core, r).catch((err: unknown) => logger.warn({ err }, 'could not show the running state')),
        });
        await show(poster, run, user, meta.channel);
      }
    });
  });

  async function unreadable(poster: SlackPoster, user: string, channel: string | undefined, actionId: string): Promise<void> {
    // Tampered, or from another version of aws-ir: act on nothing, and say so rather than stay silent.
    logger.warn({ user, channel, actionId }, 'button with an unreadable value ignored');
    if (channel)
      await poster
        .ephemeral(channel, user, esc(REFUSALS.unreadableButton))
        .catch((err: unknown) => logger.warn({ err }, 'could not answer an unreadable button'));
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

  onDecisionButton(ACTION.reviewBreakGlass, 'review', async (poster, requestId, user, channel) => {
    await show(poster, await core.review({ requestId, userId: user }), user, channel);
  });
}

/** The break-glass checkbox, narrowed: ticked only when its one option is selected. */
function breakGlassChecked(state: unknown): boolean {
  if (typeof state !== 'object' || state === null || !('selected_options' in state)) return false;
  const selected: unknown = state.selected_options;
  return Array.isArray(selected) && selected.some((o: unknown) => typeof o === 'object' && o !== null && 'value' in o && o.value === BREAK_GLASS_OPTION);
}
