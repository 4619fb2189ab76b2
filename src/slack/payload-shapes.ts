/**
 * The shape every kind of Slack payload must have before Bolt sees it. Bolt dereferences fields of
 * the body while routing it (`body.user.id`, `body.channel.id`, `'channel' in body.event`,
 * `payload.action_id.match(…)`, `body.response_urls[0].response_url`…), so a correctly signed but
 * malformed body (`payload=null`, `{"type":"block_actions"}` without a user, a number where Slack
 * sends a string) used to throw inside Bolt's request handling: as an unhandled rejection that
 * ended the process, or as a 500/404. Each check below names the first field that is wrong, so the
 * receiver can refuse the request with 400 and one log line.
 *
 * The kinds and their order follow Bolt's own classification (getTypeAndConversation in
 * @slack/bolt 5.1 helpers.js): the shape checked is the one Bolt will route the body as.
 * Field lists follow Slack's payload references (docs.slack.dev/reference/interaction-payloads).
 */

export type Json = Record<string, unknown>;

export function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export type PayloadKind = 'event' | 'command' | 'options' | 'action' | 'shortcut' | 'view';

/** How Bolt will route `body`, or undefined when Bolt would not know (it would then never answer). */
export function payloadKind(body: Json): PayloadKind | undefined {
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return undefined;
}

// Slack's ids: an upper-case letter for the kind of object, then upper-case letters and digits.
const USER_ID = /^[UW][A-Z0-9]{1,40}$/;
const CHANNEL_ID = /^[CDG][A-Z0-9]{1,40}$/;
const TEAM_ID = /^[TE][A-Z0-9]{1,40}$/;
const ENTERPRISE_ID = /^E[A-Z0-9]{1,40}$/;
const MESSAGE_TS = /^\d{1,12}\.\d{1,9}$/;

/** Collects the first problem of a body, as "<path> <what is wrong>". */
class ShapeCheck {
  problem: string | undefined;

  fail(path: string, what: string): undefined {
    this.problem ??= `${path} ${what}`;
    return undefined;
  }

  record(v: unknown, path: string): Json | undefined {
    return isRecord(v) ? v : this.fail(path, 'must be an object');
  }

  optRecord(v: unknown, path: string): Json | undefined {
    return v === undefined ? undefined : this.record(v, path);
  }

  /** Slack sends `null` for some absent objects (team in org-wide installs, enterprise, selected options). */
  nullableRecord(v: unknown, path: string): Json | undefined {
    return v === undefined || v === null ? undefined : this.record(v, path);
  }

  string(v: unknown, path: string, pattern?: RegExp): string | undefined {
    if (typeof v !== 'string') return this.fail(path, 'must be a string');
    if (pattern && !pattern.test(v)) return this.fail(path, 'is not a valid Slack id');
    return v;
  }

  optString(v: unknown, path: string, pattern?: RegExp): void {
    if (v !== undefined) this.string(v, path, pattern);
  }

  nullableString(v: unknown, path: string): void {
    if (v !== undefined && v !== null) this.string(v, path);
  }

  optBoolean(v: unknown, path: string): void {
    if (v !== undefined && typeof v !== 'boolean') this.fail(path, 'must be true or false');
  }

  array(v: unknown, path: string): unknown[] | undefined {
    return Array.isArray(v) ? v : this.fail(path, 'must be an array');
  }

  optArray(v: unknown, path: string): unknown[] | undefined {
    return v === undefined ? undefined : this.array(v, path);
  }
}

/** Fields every interactive payload (actions, options, shortcuts, views) shares. */
function interactiveCommon(c: ShapeCheck, body: Json): void {
  const user = c.record(body.user, 'user');
  if (user) {
    c.string(user.id, 'user.id', USER_ID);
    c.optString(user.team_id, 'user.team_id', TEAM_ID);
  }
  const team = c.nullableRecord(body.team, 'team');
  if (team) {
    c.string(team.id, 'team.id', TEAM_ID);
    c.nullableString(team.enterprise_id, 'team.enterprise_id');
  }
  const enterprise = c.nullableRecord(body.enterprise, 'enterprise');
  if (enterprise) c.string(enterprise.id, 'enterprise.id', ENTERPRISE_ID);
  const channel = c.optRecord(body.channel, 'channel');
  if (channel) c.string(channel.id, 'channel.id', CHANNEL_ID);
  c.optBoolean(body.is_enterprise_install, 'is_enterprise_install');
  c.optString(body.api_app_id, 'api_app_id');
  c.optString(body.trigger_id, 'trigger_id');
  c.optString(body.response_url, 'response_url');
  // aws-ir defines no workflow functions; these would swap the app's token for a function's.
  if (body.function_data !== undefined) c.fail('function_data', 'is not expected: aws-ir has no workflow functions');
  if (body.bot_access_token !== undefined) c.fail('bot_access_token', 'is not expected: aws-ir has no workflow functions');
}

/** `state.values`: { block_id: { action_id: { type, value?, selected_…? } } }. */
function stateValues(c: ShapeCheck, state: unknown, path: string): void {
  const s = c.optRecord(state, path);
  if (!s) return;
  const values = c.record(s.values, `${path}.values`);
  if (!values) return;
  for (const [blockId, block] of Object.entries(values)) {
    const actions = c.record(block, `${path}.values.${blockId}`);
    if (!actions) return;
    for (const [actionId, element] of Object.entries(actions)) {
      const at = `${path}.values.${blockId}.${actionId}`;
      const e = c.record(element, at);
      if (!e) return;
      c.optString(e.type, `${at}.type`);
      c.nullableString(e.value, `${at}.value`);
    }
  }
}

function view(c: ShapeCheck, v: unknown, path: string, required: boolean): void {
  const o = required ? c.record(v, path) : c.optRecord(v, path);
  if (!o) return;
  c.optString(o.id, `${path}.id`);
  c.string(o.callback_id, `${path}.callback_id`);
  c.optString(o.private_metadata, `${path}.private_metadata`);
  c.optString(o.hash, `${path}.hash`);
  c.optString(o.type, `${path}.type`);
  c.nullableString(o.app_installed_team_id, `${path}.app_installed_team_id`);
  c.nullableString(o.root_view_id, `${path}.root_view_id`);
  c.nullableString(o.previous_view_id, `${path}.previous_view_id`);
  c.optArray(o.blocks, `${path}.blocks`);
  stateValues(c, o.state, `${path}.state`);
}

/** The clicked message (block_actions in a message): listeners read its ts, thread and blocks. */
function message(c: ShapeCheck, v: unknown): void {
  const m = c.optRecord(v, 'message');
  if (!m) return;
  c.string(m.ts, 'message.ts', MESSAGE_TS);
  c.optString(m.thread_ts, 'message.thread_ts', MESSAGE_TS);
  c.optString(m.text, 'message.text');
  const blocks = c.optArray(m.blocks, 'message.blocks');
  blocks?.forEach((b, i) => {
    const block = c.record(b, `message.blocks[${i}]`);
    if (block) {
      c.string(block.type, `message.blocks[${i}].type`);
      c.optString(block.block_id, `message.blocks[${i}].block_id`);
    }
  });
}

function container(c: ShapeCheck, v: unknown): void {
  const o = c.optRecord(v, 'container');
  if (!o) return;
  c.optString(o.type, 'container.type');
  c.optString(o.message_ts, 'container.message_ts', MESSAGE_TS);
  c.optString(o.thread_ts, 'container.thread_ts', MESSAGE_TS);
  c.optString(o.channel_id, 'container.channel_id', CHANNEL_ID);
}

function actionPayload(c: ShapeCheck, body: Json): void {
  interactiveCommon(c, body);
  const type = c.string(body.type, 'type');
  if (type === 'block_actions') {
    c.string(body.trigger_id, 'trigger_id');
    const actions = c.array(body.actions, 'actions');
    if (actions && actions.length === 0) c.fail('actions', 'must not be empty');
    actions?.forEach((a, i) => {
      const action = c.record(a, `actions[${i}]`);
      if (!action) return;
      c.string(action.action_id, `actions[${i}].action_id`);
      c.string(action.block_id, `actions[${i}].block_id`);
      c.string(action.type, `actions[${i}].type`);
      c.optString(action.value, `actions[${i}].value`);
      c.optString(action.action_ts, `actions[${i}].action_ts`);
    });
    container(c, body.container);
    message(c, body.message);
    view(c, body.view, 'view', false);
    stateValues(c, body.state, 'state');
  } else if (type === 'interactive_message' || type === 'dialog_submission' || type === 'dialog_cancellation') {
    // Legacy surfaces aws-ir never uses: routed only so they are acknowledged, never acted on.
    c.string(body.callback_id, 'callback_id');
    const actions = c.optArray(body.actions, 'actions');
    actions?.forEach((a, i) => {
      const action = c.record(a, `actions[${i}]`);
      if (action) c.optString(action.name, `actions[${i}].name`);
    });
    c.optRecord(body.submission, 'submission');
  } else if (type !== undefined) c.fail('type', `"${type.slice(0, 40)}" is not an interaction Slack sends with actions`);
}

function optionsPayload(c: ShapeCheck, body: Json): void {
  interactiveCommon(c, body);
  if (body.type === 'block_suggestion') {
    c.string(body.action_id, 'action_id');
    c.string(body.block_id, 'block_id');
    c.string(body.value, 'value');
    container(c, body.container);
    view(c, body.view, 'view', false);
  } else {
    // Legacy dialog / interactive-message suggestions.
    c.string(body.name, 'name');
    c.optString(body.value, 'value');
    c.optString(body.callback_id, 'callback_id');
    c.optString(body.type, 'type');
  }
}

function shortcutPayload(c: ShapeCheck, body: Json): void {
  interactiveCommon(c, body);
  c.string(body.callback_id, 'callback_id');
  c.string(body.trigger_id, 'trigger_id');
  if (body.type === 'message_action') {
    c.record(body.channel, 'channel');
    message(c, body.message);
  }
}

function viewPayload(c: ShapeCheck, body: Json): void {
  interactiveCommon(c, body);
  view(c, body.view, 'view', true);
  const urls = c.optArray(body.response_urls, 'response_urls');
  urls?.forEach((u, i) => {
    const entry = c.record(u, `response_urls[${i}]`);
    if (entry) c.string(entry.response_url, `response_urls[${i}].response_url`);
  });
  c.optBoolean(body.is_cleared, 'is_cleared');
}

const SLASH_COMMAND_NAME = /^\/[^\s]{1,80}$/;

function commandPayload(c: ShapeCheck, body: Json): void {
  c.string(body.command, 'command', SLASH_COMMAND_NAME);
  c.optString(body.text, 'text');
  c.string(body.user_id, 'user_id', USER_ID);
  c.string(body.channel_id, 'channel_id', CHANNEL_ID);
  c.optString(body.team_id, 'team_id', TEAM_ID);
  c.optString(body.enterprise_id, 'enterprise_id', ENTERPRISE_ID);
  c.optString(body.response_url, 'response_url');
  c.optString(body.trigger_id, 'trigger_id');
  c.optString(body.api_app_id, 'api_app_id');
  c.optString(body.user_name, 'user_name');
  c.optString(body.channel_name, 'channel_name');
  // Slash commands are form fields: strings, "true"/"false" for this one.
  c.optString(body.is_enterprise_install, 'is_enterprise_install');
}

function eventPayload(c: ShapeCheck, body: Json): void {
  if (body.type !== 'event_callback') c.fail('type', 'must be "event_callback" for a body with an event');
  c.optString(body.team_id, 'team_id', TEAM_ID);
  c.nullableString(body.enterprise_id, 'enterprise_id');
  c.optString(body.api_app_id, 'api_app_id');
  c.optString(body.event_id, 'event_id');
  const authorizations = c.optArray(body.authorizations, 'authorizations');
  authorizations?.forEach((a, i) => {
    const auth = c.record(a, `authorizations[${i}]`);
    if (!auth) return;
    c.nullableString(auth.team_id, `authorizations[${i}].team_id`);
    c.nullableString(auth.enterprise_id, `authorizations[${i}].enterprise_id`);
    c.optBoolean(auth.is_enterprise_install, `authorizations[${i}].is_enterprise_install`);
  });
  c.optBoolean(body.is_enterprise_install, 'is_enterprise_install');
  const event = c.record(body.event, 'event');
  if (!event) return;
  c.string(event.type, 'event.type');
  c.optString(event.subtype, 'event.subtype');
  c.optString(event.text, 'event.text');
  c.optString(event.channel_id, 'event.channel_id');
  c.optString(event.ts, 'event.ts');
  c.optString(event.thread_ts, 'event.thread_ts');
  c.optString(event.bot_id, 'event.bot_id');
  // Bolt reads `channel` as an id or as an object with an id, `user` likewise.
  for (const field of ['channel', 'user'] as const) {
    const v = event[field];
    if (v === undefined || typeof v === 'string') continue;
    const o = c.record(v, `event.${field}`);
    if (o) c.optString(o.id, `event.${field}.id`);
  }
  const item = c.optRecord(event.item, 'event.item');
  if (item) c.optString(item.channel, 'event.item.channel');
  c.optRecord(event.subteam, 'event.subteam');
  c.optRecord(event.message, 'event.message');
  c.optRecord(event.previous_message, 'event.previous_message');
  c.optRecord(event.assistant_thread, 'event.assistant_thread');
  // aws-ir defines no workflow functions (and a function event would hand Bolt another token).
  if (event.type === 'function_executed') c.fail('event.type', '"function_executed" is not expected: aws-ir has no workflow functions');
}

const CHECKS: Record<PayloadKind, (c: ShapeCheck, body: Json) => void> = {
  event: eventPayload,
  command: commandPayload,
  options: optionsPayload,
  action: actionPayload,
  shortcut: shortcutPayload,
  view: viewPayload,
};

/** The first thing wrong with a body Bolt would route as `kind`, or undefined when it is well-formed. */
export function shapeProblem(kind: PayloadKind, body: Json): string | undefined {
  const c = new ShapeCheck();
  CHECKS[kind](c, body);
  return c.problem;
}
