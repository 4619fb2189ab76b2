/**
 * What a person does on the page, turned into the requests Slack sends an app: slash commands,
 * block_actions (buttons, selects) and view_submission / view_closed, with trigger ids and response
 * URLs Slack would issue, and the app's acknowledgement handled the way Slack handles it.
 */
import { AppDeliveryError, deliverForm, deliverInteraction, type AppAck, type AppEndpoint } from './app-delivery';
import { validateMessageBlocks } from './block-kit-rules';
import { LOCAL_APP_ID, LOCAL_BOT, LOCAL_CHANNEL, LOCAL_TEAM, findUser } from './identities';
import { toSlackMessage, toSlackView, withBlockIds } from './web-api';
import type { ModalView, ResponseTarget, Workspace } from './workspace';

/** Slack's legacy verification token: sent in payloads, ignored by Bolt when signatures are used. */
const VERIFICATION_TOKEN = 'local-verification-token';
const SLACKBOT = 'USLACKBOT';

export class InteractionError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'InteractionError';
    this.code = code;
  }
}

export interface ActionInput {
  user: string;
  actionId: string;
  blockId: string;
  /** A message's ts (message surfaces) … */
  messageTs?: string;
  /** … or the id of the modal the element is in. */
  viewId?: string;
  /** For selects: the chosen option's value. */
  selectedValue?: string;
  /** Current input values of a modal, when acting inside one. */
  values?: Record<string, Record<string, unknown>>;
}

type Json = Record<string, unknown>;

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The element with this action_id in a block list (sections' accessories, actions, inputs). */
function findElement(blocks: unknown[] | undefined, blockId: string, actionId: string): { block: Json; element: Json } | undefined {
  for (const [i, b] of (blocks ?? []).entries()) {
    if (!isObj(b)) continue;
    const id = typeof b.block_id === 'string' ? b.block_id : String(i);
    if (id !== blockId) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(b.elements)) candidates.push(...b.elements);
    if (b.accessory) candidates.push(b.accessory);
    if (b.element) candidates.push(b.element);
    for (const el of candidates) if (isObj(el) && el.action_id === actionId) return { block: b, element: el };
  }
  return undefined;
}

export class LocalInteractions {
  private endpoint?: AppEndpoint;

  constructor(
    private readonly ws: Workspace,
    private readonly baseUrl: () => string,
    /** Whether response URLs check Block Kit limits (the Web API's `validateBlocks` switch). */
    private readonly validateBlocks: () => boolean = () => true,
  ) {}

  connect(endpoint: AppEndpoint): void {
    this.endpoint = endpoint;
  }

  private app(): AppEndpoint {
    if (!this.endpoint) throw new InteractionError('app_not_connected', 'The app is not running yet.');
    return this.endpoint;
  }

  private userOf(id: string): { id: string; username: string; name: string; team_id: string } {
    const u = findUser(id);
    if (!u || u.isBot) throw new InteractionError('user_not_found', `Unknown responder ${id}.`);
    return { id: u.id, username: u.name, name: u.name, team_id: LOCAL_TEAM.id };
  }

  private slackbotSays(user: string, text: string, threadTs?: string): void {
    this.ws.addMessage({ channel: LOCAL_CHANNEL.id, user: SLACKBOT, text, ephemeralTo: user, threadTs, via: 'Slackbot' });
  }

  /** `/aws-ir scan`: Slack posts the command to the app; the command text itself is never shown in the channel. */
  async slashCommand(userId: string, line: string): Promise<void> {
    const user = this.userOf(userId);
    const m = /^(\/\S+)\s*([\s\S]*)$/.exec(line.trim());
    if (!m) throw new InteractionError('not_a_command', 'A slash command starts with "/".');
    const [, command = '', text = ''] = m;
    if (command !== '/aws-ir') {
      this.slackbotSays(userId, `\`${command}\` is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`);
      return;
    }
    const responseId = this.ws.grantResponseUrl({ kind: 'command', user: userId, channel: LOCAL_CHANNEL.id });
    const fields = {
      token: VERIFICATION_TOKEN,
      team_id: LOCAL_TEAM.id,
      team_domain: LOCAL_TEAM.domain,
      channel_id: LOCAL_CHANNEL.id,
      channel_name: LOCAL_CHANNEL.name,
      user_id: user.id,
      user_name: user.username,
      command,
      text: text.trim(),
      api_app_id: LOCAL_APP_ID,
      is_enterprise_install: 'false',
      response_url: `${this.baseUrl()}/response/${responseId}`,
      trigger_id: this.ws.grantTrigger(userId),
    };
    let ack: AppAck;
    try {
      ack = await deliverForm(this.app(), fields);
    } catch (err: unknown) {
      this.slackbotSays(
        userId,
        `\`${command}\` failed with the error "${err instanceof AppDeliveryError && err.message.includes('3 seconds') ? 'operation_timeout' : 'dispatch_failed'}"`,
      );
      return;
    }
    if (ack.status !== 200) {
      this.slackbotSays(userId, `\`${command}\` failed with the error "dispatch_failed"`);
      return;
    }
    // An ack with a body is shown like Slack shows it: text or a message, ephemeral unless in_channel.
    if (ack.json) this.postResponse({ kind: 'command', user: userId, channel: LOCAL_CHANNEL.id }, ack.json);
    else if (ack.body.trim())
      this.ws.addMessage({ channel: LOCAL_CHANNEL.id, user: LOCAL_BOT.userId, botId: LOCAL_BOT.id, text: ack.body, ephemeralTo: userId, via: 'ack' });
  }

  /** A person's own message in the channel (not delivered to the app: it subscribes to no message events). */
  say(userId: string, text: string, threadTs?: string): void {
    this.userOf(userId);
    if (!text.trim()) return;
    this.ws.addMessage({ channel: LOCAL_CHANNEL.id, user: userId, text, threadTs });
  }

  /** A click on a button (or a select choice) in a message or a modal. */
  async blockAction(input: ActionInput): Promise<void> {
    const user = this.userOf(input.user);
    const actionTs = (Date.now() / 1000).toFixed(6);
    const payload: Json = {
      type: 'block_actions',
      user,
      api_app_id: LOCAL_APP_ID,
      token: VERIFICATION_TOKEN,
      trigger_id: this.ws.grantTrigger(user.id),
      team: { id: LOCAL_TEAM.id, domain: LOCAL_TEAM.domain },
      enterprise: null,
      is_enterprise_install: false,
    };
    let found: { block: Json; element: Json } | undefined;
    if (input.viewId) {
      const view = this.ws.findModal({ viewId: input.viewId });
      if (!view || view.user !== user.id) throw new InteractionError('view_not_found', 'That dialog is closed.');
      found = findElement(view.spec.blocks as unknown[] | undefined, input.blockId, input.actionId);
      payload.container = { type: 'view', view_id: view.id };
      payload.view = toSlackView(view, { values: this.stateValues(view, input.values ?? {}) });
      payload.state = { values: this.stateValues(view, input.values ?? {}) };
    } else {
      const ts = input.messageTs ?? '';
      const msg = this.ws.getMessage(LOCAL_CHANNEL.id, ts);
      if (!msg || (msg.ephemeralTo && msg.ephemeralTo !== user.id)) throw new InteractionError('message_not_found', 'That message is gone.');
      found = findElement(msg.blocks, input.blockId, input.actionId);
      const ephemeral = !!msg.ephemeralTo;
      const responseId = this.ws.grantResponseUrl({
        kind: 'message',
        user: user.id,
        channel: msg.channel,
        messageTs: msg.ts,
        threadTs: msg.threadTs,
        ephemeral,
      });
      payload.container = {
        type: 'message',
        message_ts: msg.ts,
        channel_id: msg.channel,
        is_ephemeral: ephemeral,
        ...(msg.threadTs ? { thread_ts: msg.threadTs } : {}),
      };
      payload.channel = { id: LOCAL_CHANNEL.id, name: LOCAL_CHANNEL.name };
      // Slack leaves the message out of payloads for ephemeral messages.
      if (!ephemeral)
        payload.message = toSlackMessage(
          msg,
          this.ws.publicMessages(msg.channel).filter((r) => r.threadTs === msg.ts),
        );
      payload.state = { values: {} };
      payload.response_url = `${this.baseUrl()}/response/${responseId}`;
    }
    if (!found) throw new InteractionError('element_not_found', 'That button is no longer there.');
    const el = found.element;
    const action: Json = { action_id: input.actionId, block_id: input.blockId, type: el.type, action_ts: actionTs };
    if (el.type === 'button') {
      action.text = el.text;
      if (el.value !== undefined) action.value = el.value;
      if (el.style !== undefined) action.style = el.style;
    } else if (input.selectedValue !== undefined) {
      const options = Array.isArray(el.options) ? el.options : [];
      const option = options.find((o) => isObj(o) && o.value === input.selectedValue);
      if (!option) throw new InteractionError('option_not_found', 'That choice is not offered.');
      action.selected_option = option;
    }
    payload.actions = [action];
    let ack: AppAck;
    try {
      ack = await deliverInteraction(this.app(), payload);
    } catch (err: unknown) {
      throw new InteractionError('dispatch_failed', err instanceof Error ? err.message : 'The app did not answer.');
    }
    if (ack.status !== 200) throw new InteractionError('dispatch_failed', `The app answered HTTP ${ack.status}.`);
  }

  /** Builds view.state.values from the page's inputs, keeping only inputs that exist in the view. */
  private stateValues(view: ModalView, given: Record<string, Record<string, unknown>>): Record<string, Record<string, Json>> {
    const values: Record<string, Record<string, Json>> = {};
    const blocks = Array.isArray(view.spec.blocks) ? view.spec.blocks : [];
    for (const [i, b] of blocks.entries()) {
      if (!isObj(b) || b.type !== 'input' || !isObj(b.element)) continue;
      const blockId = typeof b.block_id === 'string' ? b.block_id : String(i);
      const el = b.element;
      const actionId = typeof el.action_id === 'string' ? el.action_id : `${blockId}_input`;
      const raw = given[blockId]?.[actionId];
      values[blockId] = { [actionId]: this.elementState(el, raw) };
    }
    return values;
  }

  private elementState(el: Json, raw: unknown): Json {
    const type = String(el.type);
    const options = Array.isArray(el.options) ? el.options.filter(isObj) : [];
    switch (type) {
      case 'static_select':
      case 'radio_buttons': {
        const opt = options.find((o) => o.value === raw);
        return { type, selected_option: opt ?? null };
      }
      case 'checkboxes':
      case 'multi_static_select': {
        const chosen = Array.isArray(raw) ? raw : [];
        return { type, selected_options: options.filter((o) => chosen.includes(o.value)) };
      }
      case 'users_select':
        return { type, selected_user: typeof raw === 'string' && raw ? raw : null };
      case 'number_input':
        return { type, value: typeof raw === 'string' && raw !== '' ? raw : null };
      default:
        return { type, value: typeof raw === 'string' && raw !== '' ? raw : null };
    }
  }

  /** Submit of the top modal. Required inputs are enforced here, as Slack's client does before sending. */
  async viewSubmission(
    userId: string,
    viewId: string,
    given: Record<string, Record<string, unknown>>,
  ): Promise<{ closed: boolean; errors?: Record<string, string> }> {
    const user = this.userOf(userId);
    const view = this.ws.findModal({ viewId });
    if (!view || view.user !== user.id) throw new InteractionError('view_not_found', 'That dialog is closed.');
    const values = this.stateValues(view, given);
    const missing = this.missingRequired(view, values);
    if (Object.keys(missing).length) {
      this.ws.setModalErrors(view, missing);
      return { closed: false, errors: missing };
    }
    const payload: Json = {
      type: 'view_submission',
      team: { id: LOCAL_TEAM.id, domain: LOCAL_TEAM.domain },
      user,
      api_app_id: LOCAL_APP_ID,
      token: VERIFICATION_TOKEN,
      trigger_id: this.ws.grantTrigger(user.id),
      view: toSlackView(view, { values }),
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    let ack: AppAck;
    try {
      ack = await deliverInteraction(this.app(), payload);
    } catch (err: unknown) {
      throw new InteractionError('dispatch_failed', err instanceof Error ? err.message : 'The app did not answer.');
    }
    if (ack.status !== 200) throw new InteractionError('dispatch_failed', `We had some trouble connecting (HTTP ${ack.status}).`);
    const action = ack.json?.response_action;
    if (action === 'errors' && isObj(ack.json?.errors)) {
      const errors = Object.fromEntries(Object.entries(ack.json.errors).map(([k, v]) => [k, String(v)]));
      this.ws.setModalErrors(view, errors);
      return { closed: false, errors };
    }
    if (action === 'update' && isObj(ack.json?.view)) {
      this.ws.replaceModal(view, ack.json.view);
      return { closed: false };
    }
    if (action === 'push' && isObj(ack.json?.view)) {
      this.ws.openModal(user.id, ack.json.view, 'push');
      return { closed: false };
    }
    this.ws.closeModal(user.id, action === 'clear');
    return { closed: true };
  }

  private missingRequired(view: ModalView, values: Record<string, Record<string, Json>>): Record<string, string> {
    const errors: Record<string, string> = {};
    const blocks = Array.isArray(view.spec.blocks) ? view.spec.blocks : [];
    for (const [i, b] of blocks.entries()) {
      if (!isObj(b) || b.type !== 'input' || b.optional === true) continue;
      const blockId = typeof b.block_id === 'string' ? b.block_id : String(i);
      const state = Object.values(values[blockId] ?? {})[0];
      const empty =
        !state ||
        (state.value == null &&
          state.selected_option == null &&
          state.selected_user == null &&
          !(Array.isArray(state.selected_options) && state.selected_options.length));
      if (empty) errors[blockId] = 'Please complete this required field.';
    }
    return errors;
  }

  /** Cancel / close of the top modal; the app hears about it only if it asked (notify_on_close). */
  async viewClosed(userId: string, viewId: string): Promise<void> {
    const user = this.userOf(userId);
    const view = this.ws.findModal({ viewId });
    if (!view || view.user !== user.id) return;
    this.ws.closeModal(user.id);
    if (view.spec.notify_on_close !== true || !this.endpoint) return;
    await deliverInteraction(this.endpoint, {
      type: 'view_closed',
      team: { id: LOCAL_TEAM.id, domain: LOCAL_TEAM.domain },
      user,
      api_app_id: LOCAL_APP_ID,
      token: VERIFICATION_TOKEN,
      view: toSlackView(view),
      is_cleared: false,
      is_enterprise_install: false,
    }).catch(() => undefined);
  }

  /**
   * A POST to a response_url (Bolt's respond()). Returns the HTTP status and body Slack would answer.
   */
  respond(responseId: string, body: Json): { status: number; body: string } {
    const target = this.ws.useResponseUrl(responseId);
    if (!target) return { status: 404, body: 'invalid_url' };
    if ('error' in target) return { status: 404, body: target.error };
    return this.postResponse(target, body);
  }

  private postResponse(target: ResponseTarget, body: Json): { status: number; body: string } {
    const blocks = body.blocks;
    if (blocks !== undefined) {
      if (!Array.isArray(blocks)) return { status: 400, body: 'invalid_blocks_format' };
      const problems = this.validateBlocks() ? validateMessageBlocks(blocks) : [];
      if (problems.length) return { status: 400, body: 'invalid_blocks' };
    }
    const stored = Array.isArray(blocks) && blocks.length ? withBlockIds(blocks, () => this.ws.blockId()) : undefined;
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text && !(Array.isArray(blocks) && blocks.length) && body.delete_original !== true) return { status: 400, body: 'no_text' };
    if (target.kind === 'message') {
      if (body.delete_original === true) {
        this.ws.deleteMessage(target.channel, target.messageTs);
        return { status: 200, body: '{"ok":true}' };
      }
      if (body.replace_original === true) {
        const updated = this.ws.updateMessage(target.channel, target.messageTs, { text, blocks: stored, via: 'response_url' });
        return updated ? { status: 200, body: '{"ok":true}' } : { status: 404, body: 'message_not_found' };
      }
    }
    const inChannel = body.response_type === 'in_channel';
    // A new message from a response_url lands where the clicked message is: in its thread, if any.
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : target.kind === 'message' ? target.threadTs : undefined;
    this.ws.addMessage({
      channel: target.channel,
      user: LOCAL_BOT.userId,
      botId: LOCAL_BOT.id,
      text,
      blocks: stored,
      threadTs,
      ephemeralTo: inChannel ? undefined : target.user,
      via: 'response_url',
    });
    return { status: 200, body: '{"ok":true}' };
  }
}
