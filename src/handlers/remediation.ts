/**
 * Slack surface of two-person remediation: a finding's action button (reason modal, then the request
 * in the scan's thread), Approve, Reject and Undo. Who clicked always comes from the verified
 * payload (body.user.id), never from a button value. Listeners ack at once; refusals are ephemeral.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { clientsFor } from '../aws/clients';
import { decidedMessage, reasonModal, requestMessage, type ReasonModalMetadata } from '../blocks/request';
import { esc, escKeepingMentions, mention, mrkdwn } from '../blocks/text';
import { describeTarget, isActionId } from '../remediation/action-ids';
import { ApprovalWorkflow, type Decision } from '../remediation/approvals';
import { actionDefinition } from '../remediation/catalog';
import { ProtectedPrincipals } from '../remediation/protected';
import { ResponderPolicy, type SlackDirectory } from '../remediation/responders';
import type { AppServices } from '../services';
import { ACTION, BLOCK, VIEW, actionIdPattern, type RequestButtonValue, type RequestIdButtonValue } from '../slack-ids';
import { BackgroundTasks } from '../slack/background-tasks';
import { ChannelPacer } from '../slack/channel-pacer';
import { slackDirectory } from '../slack/directory';
import { SlackPoster } from '../slack/poster';
import type { ActionRequest } from '../store/store';
import { userMessage } from './user-errors';

export interface RemediationOptions {
  /** How often pending requests are checked for expiry; default 60 s. 0 = never (tests call sweepNow). */
  sweepIntervalMs?: number;
  pacer?: ChannelPacer;
  tasks?: BackgroundTasks;
  /** Slack directory for the responder checks; default the app's Web API client. */
  directory?: SlackDirectory;
}

export interface RemediationRuntime {
  workflow: ApprovalWorkflow;
  tasks: BackgroundTasks;
  /** Resolves once requests interrupted by the previous run are marked and announced. */
  recovered: Promise<void>;
  /** Expires overdue requests and updates their messages now. */
  sweepNow(): Promise<void>;
  stop(): void;
}

const STALE_FINDING = mrkdwn`aws-ir no longer has this finding or does not offer that action; run \`/aws-ir scan\` again.`;
const UNREADABLE_BUTTON = mrkdwn`aws-ir cannot read this button, so it did nothing. Use the buttons of the request's message in the scan's thread.`;

function parseJson<T>(value: string | undefined, keys: (keyof T)[]): T | undefined {
  if (!value) return undefined;
  try {
    const v: unknown = JSON.parse(value);
    if (typeof v !== 'object' || v === null) return undefined;
    const rec = v as Record<string, unknown>;
    return keys.every((k) => typeof rec[k as string] === 'string') ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

export function registerRemediation(app: App, services: AppServices, options: RemediationOptions = {}): RemediationRuntime {
  const { config, logger, store } = services;
  const drill = config.drill;
  const pacer = options.pacer ?? new ChannelPacer(1000);
  const tasks = options.tasks ?? new BackgroundTasks(logger);
  const remediationClients = clientsFor(services.remediationTarget);
  const workflow = new ApprovalWorkflow({
    store,
    config: config.remediation,
    clients: remediationClients,
    responders: new ResponderPolicy(config.remediation.responders, options.directory ?? slackDirectory(app.client), services.now),
    protection: new ProtectedPrincipals(config.remediation.protectedArns, [clientsFor(services.scanTarget), remediationClients]),
    now: services.now,
  });
  const appPoster = new SlackPoster(app.client, pacer, drill);

  /** Shows a request's current state in its message (posting it anew if it never got one). */
  async function render(poster: SlackPoster, request: ActionRequest): Promise<void> {
    const def = actionDefinition(request.action);
    const message = request.status === 'pending' ? requestMessage(request, def) : decidedMessage(request, def);
    if (request.messageTs) await poster.update(request.channel, request.messageTs, message);
    else workflow.setMessageTs(request.id, await poster.post(request.channel, message, request.threadTs));
  }

  /** A new request (or undo request) gets its own message; a refusal goes to the clicker only. */
  async function postOrShow(poster: SlackPoster, decision: Decision, user: string, channel: string | undefined): Promise<void> {
    if (!decision.ok) return show(poster, decision, user, channel);
    const request = decision.request;
    const ts = await poster.post(request.channel, requestMessage(request, actionDefinition(request.action)), request.threadTs);
    workflow.setMessageTs(request.id, ts);
  }

  /** Refusal or result of a decision, shown to the right people. */
  async function show(poster: SlackPoster, decision: Decision, user: string, channel: string | undefined): Promise<void> {
    if (decision.ok) {
      await render(poster, decision.request);
      return;
    }
    const where = decision.request?.channel ?? channel;
    // Refusal reasons are plain text that may quote AWS names (a protected policy's ARN); only the
    // mentions of the request's own people stay mentions.
    const reason = escKeepingMentions(decision.reason, [decision.request?.requestedBy, decision.request?.decidedBy]);
    if (where) await poster.ephemeral(where, user, reason, decision.request?.threadTs);
    // An approval that found the request expired also updates its message, for everyone.
    if (decision.code === 'expired' && decision.request) await render(poster, decision.request);
  }

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

  app.action<BlockAction<ButtonAction>>(
    actionIdPattern(ACTION.requestAction),
    async ({ ack, body, action, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const poster = new SlackPoster(client, pacer, drill);
      const user = body.user.id;
      const channel = body.channel?.id;
      const value = parseJson<RequestButtonValue>(action.value, ['scanId', 'findingId', 'action']);
      const scan = value ? store.getScan(value.scanId) : undefined;
      const finding = scan?.result?.findings.find((f) => f.id === value?.findingId);
      if (!value || !scan || !finding?.target || !isActionId(value.action) || !finding.actions.includes(value.action)) {
        if (channel) await poster.ephemeral(channel, user, STALE_FINDING);
        return;
      }
      const def = actionDefinition(value.action);
      const meta: ReasonModalMetadata = { scanId: value.scanId, findingId: value.findingId, action: value.action };
      try {
        await client.views.open({ trigger_id: body.trigger_id, view: reasonModal(meta, def, describeTarget(finding.target)) });
      } catch (err) {
        // The trigger lasts 3 s; if the modal cannot open, the request is still made, without a reason.
        logger.warn({ err }, 'reason modal did not open; creating the request directly');
        guarded('request', poster, user, channel, async () => {
          await postOrShow(poster, await workflow.requestFromFinding({ ...meta, userId: user }), user, scan.channel);
        });
      }
    },
  );

  app.view<ViewSubmitAction>(VIEW.requestReason, async ({ ack, body, view, client }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>) => {
    const meta = parseJson<ReasonModalMetadata>(view.private_metadata, ['scanId', 'findingId', 'action']);
    const scan = meta ? store.getScan(meta.scanId) : undefined;
    if (!meta || !scan) {
      // A modal has no channel to answer in: its own error line is where the person is looking.
      await ack({ response_action: 'errors', errors: { [BLOCK.requestReasonInput]: STALE_FINDING } });
      return;
    }
    await ack();
    const poster = new SlackPoster(client, pacer, drill);
    const user = body.user.id;
    // Narrowed, not trusted: the receiver checked the payload's shape, this listener checks its own field.
    const typed: unknown = view.state.values[BLOCK.requestReasonInput]?.[BLOCK.requestReasonAction]?.value;
    const reason = typeof typed === 'string' ? typed : undefined;
    guarded('request', poster, user, scan.channel, async () => {
      const decision = await workflow.requestFromFinding({
        scanId: meta.scanId,
        findingId: meta.findingId,
        action: meta.action,
        userId: user,
        reason,
      });
      await postOrShow(poster, decision, user, scan.channel);
    });
  });

  /** Approve, Reject and Undo: buttons whose value names a request; `decide` runs after the ack, guarded. */
  function onRequestButton(
    actionId: string,
    name: string,
    decide: (poster: SlackPoster, requestId: string, user: string, channel: string | undefined) => Promise<void>,
  ): void {
    app.action<BlockAction<ButtonAction>>(
      actionIdPattern(actionId),
      async ({ ack, body, action, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
        await ack();
        const poster = new SlackPoster(client, pacer, drill);
        const user = body.user.id;
        const channel = body.channel?.id;
        const value = parseJson<RequestIdButtonValue>(action.value, ['requestId']);
        if (!value) {
          // Tampered, or from another version of aws-ir: act on nothing, and say so rather than stay silent.
          logger.warn({ user, channel, actionId }, 'button with an unreadable value ignored');
          if (channel)
            await poster.ephemeral(channel, user, UNREADABLE_BUTTON).catch((err: unknown) => logger.warn({ err }, 'could not answer an unreadable button'));
          return;
        }
        guarded(name, poster, user, channel, () => decide(poster, value.requestId, user, channel));
      },
    );
  }

  onRequestButton(ACTION.approve, 'approve', async (poster, requestId, user, channel) => {
    const decision = await workflow.approve({
      requestId,
      userId: user,
      onExecuting: (r) => render(poster, r).catch((err: unknown) => logger.warn({ err }, 'could not show the running state')),
    });
    await show(poster, decision, user, channel);
  });

  onRequestButton(ACTION.reject, 'reject', async (poster, requestId, user, channel) => {
    await show(poster, await workflow.reject({ requestId, userId: user }), user, channel);
  });

  onRequestButton(ACTION.undo, 'undo', async (poster, requestId, user, channel) => {
    await postOrShow(poster, await workflow.requestUndo({ requestId, userId: user }), user, channel);
  });

  async function sweepNow(): Promise<void> {
    for (const r of workflow.sweepExpired()) {
      await render(appPoster, r).catch((err: unknown) => logger.warn({ err, requestId: r.id }, 'could not mark an expired request in Slack'));
    }
  }

  async function recover(): Promise<void> {
    for (const r of workflow.recoverInterrupted()) {
      const def = actionDefinition(r.action);
      // Announce first and separately: the message update may fail (deleted message) but people must hear of it.
      await appPoster
        .post(
          r.channel,
          {
            text: mrkdwn`:warning: aws-ir restarted while "${esc(def.label)}" on ${esc(describeTarget(r.target))} was running (approved by ${mention(r.decidedBy)}). It was not re-run. Someone must check the resource in AWS by hand and request the action again if needed.`,
          },
          r.threadTs,
        )
        .catch((err: unknown) => logger.error({ err, requestId: r.id }, 'could not announce an interrupted request'));
      await render(appPoster, r).catch((err: unknown) => logger.warn({ err, requestId: r.id }, 'could not mark an interrupted request message'));
    }
  }

  const recovered = recover();
  const interval = options.sweepIntervalMs ?? 60_000;
  const timer = interval > 0 ? setInterval(() => tasks.run('expiry sweep', sweepNow), interval) : undefined;
  timer?.unref();

  return {
    workflow,
    tasks,
    recovered,
    sweepNow,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
