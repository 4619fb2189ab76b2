/**
 * The valid bodies the fuzz test mutates, by kind: what Slack sends for a slash command, a button
 * click (in a message and in a modal), a view submission and a view closed, an options request,
 * events, shortcuts, and bodies of no kind Slack sends. They name aws-ir's own action ids and
 * callback ids, so mutants that stay well-formed reach the real listeners; they refer to scans,
 * requests and items that do not exist, so a well-formed mutant can at most be refused.
 * Slash command texts are chosen so that no truncation of them is a command that acts (`scan`,
 * `status`…): a mutant may only ever get the usage message.
 */
import { ACTION, BLOCK, VIEW, buttonActionId, openItemBlockId } from '../../../src/slack-ids';
import { blockActionPayload, slashCommandBody, viewSubmissionPayload } from '../../support/signed-request';
import type { BasePayload, Json } from './mutate';

const USER = 'U0ALICE';
const CHANNEL = 'C0INCIDENT';
const TEAM = { id: 'T0TEST', domain: 'test' };
const USER_OBJ = { id: USER, username: 'alice', name: 'alice', team_id: 'T0TEST' };
const MESSAGE_TS = '1700000000.000200';

const asJson = (v: Record<string, unknown>) => JSON.parse(JSON.stringify(v)) as { [key: string]: Json };

function command(name: string, text: string): BasePayload {
  const fields = Object.fromEntries(new URLSearchParams(slashCommandBody({ text, user_id: USER, channel_id: CHANNEL })));
  return { name, encoding: 'form-fields', value: fields };
}

/** A message as Slack includes it in block_actions: a section, a context and the clicked actions. */
const CLICKED_MESSAGE = {
  type: 'message',
  ts: MESSAGE_TS,
  thread_ts: '1700000000.000100',
  text: 'Approval needed',
  user: 'U0AWSIR',
  blocks: [
    { type: 'section', block_id: openItemBlockId('item-fuzz'), text: { type: 'mrkdwn', text: '*R1* · root access keys' } },
    { type: 'context', block_id: 'ctx', elements: [{ type: 'mrkdwn', text: 'context' }] },
    {
      type: 'actions',
      block_id: 'b1',
      elements: [{ type: 'button', action_id: 'aws_ir.approve:0', text: { type: 'plain_text', text: 'Approve' }, value: '{}' }],
    },
  ],
};

function click(name: string, actionPrefix: string, value: Record<string, unknown>): BasePayload {
  const payload = blockActionPayload({
    actionId: buttonActionId(actionPrefix, 0),
    value: JSON.stringify(value),
    userId: USER,
    channelId: CHANNEL,
    messageTs: MESSAGE_TS,
    threadTs: '1700000000.000100',
    message: CLICKED_MESSAGE,
  });
  return { name, encoding: 'form-payload', value: asJson(payload) };
}

/** A button inside a modal: no channel, the view instead (Slack's container type "view"). */
function clickInModal(name: string, actionPrefix: string, value: Record<string, unknown>): BasePayload {
  const payload = blockActionPayload({
    actionId: buttonActionId(actionPrefix, 0),
    value: JSON.stringify(value),
    userId: USER,
    channelId: CHANNEL,
    messageTs: MESSAGE_TS,
  });
  delete payload.channel;
  delete payload.message;
  payload.container = { type: 'view', view_id: 'V0FUZZ' };
  payload.view = { id: 'V0FUZZ', type: 'modal', callback_id: VIEW.requestReason, private_metadata: '', state: { values: {} }, hash: 'h', blocks: [] };
  return { name, encoding: 'form-payload', value: asJson(payload) };
}

const REQUEST_VALUE = { scanId: 'scan-fuzz', findingId: 'finding-fuzz', action: 'key.deactivate' };

const VIEW_OBJ = {
  id: 'V0FUZZ',
  team_id: 'T0TEST',
  type: 'modal',
  callback_id: VIEW.requestReason,
  private_metadata: JSON.stringify(REQUEST_VALUE),
  state: { values: {} },
  hash: 'hash',
  title: { type: 'plain_text', text: 'aws-ir' },
  blocks: [],
};

function event(name: string, inner: Record<string, unknown>): BasePayload {
  return {
    name,
    encoding: 'json',
    value: asJson({
      token: 'deprecated-verification-token',
      team_id: 'T0TEST',
      api_app_id: 'A0AWSIR',
      type: 'event_callback',
      event_id: 'Ev0FUZZ',
      event_time: 1700000000,
      authorizations: [{ enterprise_id: null, team_id: 'T0TEST', user_id: 'U0AWSIR', is_bot: true, is_enterprise_install: false }],
      event: inner,
    }),
  };
}

export const FUZZ_KINDS: Record<string, BasePayload[]> = {
  'slash commands': [command('help', 'help'), command('unknown subcommand', 'frobnicate now'), command('help with words', 'help me please')],
  'block actions': [
    click('request button', 'aws_ir.request', REQUEST_VALUE),
    click('investigate button', ACTION.investigate, { scanId: 'scan-fuzz', findingId: 'finding-fuzz' }),
    click('approve button', ACTION.approve, { requestId: 'req-fuzz' }),
    click('reject button', ACTION.reject, { requestId: 'req-fuzz' }),
    click('undo button', ACTION.undo, { requestId: 'req-fuzz' }),
    click('mark done button', ACTION.markItemDone, { itemId: 'item-fuzz' }),
    clickInModal('approve in a modal', ACTION.approve, { requestId: 'req-fuzz' }),
    clickInModal('request in a modal', ACTION.requestAction, REQUEST_VALUE),
    {
      name: "another app's select",
      encoding: 'form-payload',
      value: asJson({
        ...blockActionPayload({ actionId: 'other.select', userId: USER, channelId: CHANNEL, messageTs: MESSAGE_TS }),
        actions: [
          { type: 'static_select', action_id: 'other.select', block_id: 'b9', selected_option: { text: { type: 'plain_text', text: 'x' }, value: 'x' } },
        ],
      }),
    },
  ],
  'view submissions': [
    {
      name: 'reason modal',
      encoding: 'form-payload',
      value: asJson(
        viewSubmissionPayload({
          callbackId: VIEW.requestReason,
          userId: USER,
          privateMetadata: JSON.stringify(REQUEST_VALUE),
          values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'the key leaked' } } },
        }),
      ),
    },
    { name: "another app's modal", encoding: 'form-payload', value: asJson(viewSubmissionPayload({ callbackId: 'other.modal', userId: USER, values: {} })) },
  ],
  'view closed': [
    {
      name: 'reason modal closed',
      encoding: 'form-payload',
      value: asJson({
        type: 'view_closed',
        team: TEAM,
        user: USER_OBJ,
        api_app_id: 'A0AWSIR',
        token: 'deprecated-verification-token',
        view: VIEW_OBJ,
        is_cleared: false,
      }),
    },
  ],
  options: [
    {
      name: 'block suggestion',
      encoding: 'form-payload',
      value: asJson({
        type: 'block_suggestion',
        user: USER_OBJ,
        team: TEAM,
        api_app_id: 'A0AWSIR',
        action_id: 'aws_ir.pick',
        block_id: 'b1',
        value: 'ci-',
        container: { type: 'view', view_id: 'V0FUZZ' },
        view: VIEW_OBJ,
      }),
    },
    {
      name: 'dialog suggestion',
      encoding: 'form-payload',
      value: asJson({ type: 'dialog_suggestion', name: 'user', value: 'ci-', callback_id: 'dialog', team: TEAM, user: USER_OBJ, channel: { id: CHANNEL } }),
    },
  ],
  events: [
    event('app mention', {
      type: 'app_mention',
      user: USER,
      text: '<@U0AWSIR> scan',
      ts: '1700000000.000100',
      channel: CHANNEL,
      event_ts: '1700000000.000100',
    }),
    event('message', { type: 'message', user: USER, text: 'hello', ts: '1700000000.000101', channel: CHANNEL, channel_type: 'channel' }),
    event('reaction', {
      type: 'reaction_added',
      user: USER,
      reaction: 'eyes',
      item: { type: 'message', channel: CHANNEL, ts: '1700000000.000101' },
      event_ts: '1',
    }),
    event('member joined', { type: 'member_joined_channel', user: USER, channel: CHANNEL, channel_type: 'C', team: 'T0TEST' }),
    { name: 'url verification', encoding: 'json', value: { token: 'x', challenge: 'c0ffee', type: 'url_verification' } },
  ],
  shortcuts: [
    {
      name: 'global shortcut',
      encoding: 'form-payload',
      value: asJson({ type: 'shortcut', token: 'x', action_ts: '1', team: TEAM, user: USER_OBJ, callback_id: 'aws_ir.shortcut', trigger_id: '1.trigger' }),
    },
    {
      name: 'message shortcut',
      encoding: 'form-payload',
      value: asJson({
        type: 'message_action',
        token: 'x',
        action_ts: '1',
        team: TEAM,
        user: USER_OBJ,
        channel: { id: CHANNEL, name: 'incident' },
        callback_id: 'aws_ir.message_shortcut',
        trigger_id: '1.trigger',
        message_ts: MESSAGE_TS,
        message: { type: 'message', ts: MESSAGE_TS, text: 'x', user: USER },
        response_url: 'http://127.0.0.1:9/response',
      }),
    },
  ],
  'unknown types': [
    { name: 'unknown type', encoding: 'form-payload', value: { type: 'block_actions_v2', user: { id: USER }, team: { id: 'T0TEST' } } },
    {
      name: 'rate limited notice',
      encoding: 'json',
      value: { token: 'x', type: 'app_rate_limited', team_id: 'T0TEST', minute_rate_limited: 1700000000, api_app_id: 'A0AWSIR' },
    },
    { name: 'form without payload', encoding: 'form-fields', value: { token: 'x', team_id: 'T0TEST', trigger: 'y' } },
    { name: 'json object of nothing', encoding: 'json', value: { hello: 'world', nested: { a: [1, 2, 3] } } },
  ],
};
