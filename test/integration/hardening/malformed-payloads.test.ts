/**
 * Item 2 of issue 14, case by case: correctly signed bodies that are malformed, truncated, of the
 * wrong type or missing fields get 400 (or, when well-formed but nothing of aws-ir's, a 200 with
 * nothing done), exactly one log line, and no side effect at all: no Slack call, nothing stored,
 * no scan started. The fuzz test (test/fuzz) throws a thousand mutants of each kind at a real app
 * process; this names the cases the issue lists, with the answer each one gets.
 */
import { ACTION, BLOCK, VIEW, buttonActionId } from '../../../src/slack-ids';
import { ALICE, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { fakeScan } from '../../support/scan-fixtures';
import { blockActionPayload, postSigned, signedHeaders, slashCommandBody, viewSubmissionPayload } from '../../support/signed-request';
import { LogSink } from '../../support/hardening/log-sink';

const FORM = 'application/x-www-form-urlencoded';
const form = (payload: unknown) => new URLSearchParams({ payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }).toString();
const click = blockActionPayload({
  actionId: buttonActionId(ACTION.approve, 0),
  value: JSON.stringify({ requestId: 'req-1' }),
  userId: ALICE,
  channelId: TEST_CHANNEL,
  messageTs: '1700000000.000200',
});
const without = (o: Record<string, unknown>, ...keys: string[]) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const submit = viewSubmissionPayload({
  callbackId: VIEW.requestReason,
  userId: ALICE,
  privateMetadata: '{"scanId":"s","findingId":"f","action":"key.deactivate"}',
  values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'why' } } },
});

interface Case {
  name: string;
  body: string;
  contentType?: string;
  status: number;
}

const MALFORMED: Case[] = [
  { name: 'payload=null (crashed the process before)', body: 'payload=null', status: 400 },
  { name: 'payload=[]', body: 'payload=%5B%5D', status: 400 },
  { name: 'payload="x"', body: form('"x"'), status: 400 },
  { name: 'payload=1', body: 'payload=1', status: 400 },
  { name: 'payload that is not JSON', body: 'payload=%7Bnope', status: 400 },
  { name: 'truncated payload', body: form(click).slice(0, 200), status: 400 },
  { name: 'block_actions without user or actions', body: form({ type: 'block_actions' }), status: 400 },
  { name: 'block_actions without user', body: form(without(click, 'user')), status: 400 },
  { name: 'block_actions with user null', body: form({ ...click, user: null }), status: 400 },
  { name: 'block_actions with a number for the user id', body: form({ ...click, user: { id: 42 } }), status: 400 },
  { name: 'block_actions with actions a string', body: form({ ...click, actions: 'approve' }), status: 400 },
  { name: 'block_actions with actions [null]', body: form({ ...click, actions: [null] }), status: 400 },
  { name: 'block_actions with a number for the action id', body: form({ ...click, actions: [{ action_id: 7, block_id: 'b', type: 'button' }] }), status: 400 },
  { name: 'block_actions with channel null', body: form({ ...click, channel: null }), status: 400 },
  {
    name: 'block_actions with a button value of an object',
    body: form({ ...click, actions: [{ action_id: 'aws_ir.approve:0', block_id: 'b', type: 'button', value: {} }] }),
    status: 400,
  },
  { name: 'block_actions with message blocks a string', body: form({ ...click, message: { ts: '1.2', blocks: 'x' } }), status: 400 },
  { name: 'view_submission without a view', body: form(without(submit, 'view')), status: 400 },
  { name: 'view_submission with view null', body: form({ ...submit, view: null }), status: 400 },
  {
    name: 'view_submission with a number for the reason',
    body: form({ ...submit, view: { ...(submit.view as object), state: { values: { b: { a: { value: 5 } } } } } }),
    status: 400,
  },
  { name: 'view_submission with response_urls null', body: form({ ...submit, response_urls: null }), status: 400 },
  { name: 'view_closed without a user', body: form({ type: 'view_closed', view: submit.view }), status: 400 },
  { name: 'block_suggestion without a value', body: form({ type: 'block_suggestion', user: { id: ALICE }, action_id: 'a', block_id: 'b' }), status: 400 },
  { name: 'shortcut without a callback id', body: form({ type: 'shortcut', user: { id: ALICE }, trigger_id: 't' }), status: 400 },
  { name: 'event that is a string', body: JSON.stringify({ type: 'event_callback', event: 'x' }), contentType: 'application/json', status: 400 },
  {
    name: 'event whose channel is null',
    body: JSON.stringify({ type: 'event_callback', event: { type: 'message', channel: null } }),
    contentType: 'application/json',
    status: 400,
  },
  { name: 'slash command with two texts', body: `${slashCommandBody({ text: 'scan', user_id: ALICE, channel_id: TEST_CHANNEL })}&text=again`, status: 400 },
  { name: 'slash command without a user', body: 'command=%2Faws-ir&text=scan&channel_id=C0INCIDENT', status: 400 },
  { name: 'slash command with a forged user id', body: slashCommandBody({ text: 'scan', user_id: 'U1> <!channel', channel_id: TEST_CHANNEL }), status: 400 },
  { name: 'unknown type', body: form({ type: 'block_actions_v2', user: { id: ALICE } }), status: 400 },
  { name: 'form with no payload and no command', body: 'token=x&team_id=T0TEST', status: 400 },
  { name: 'JSON array', body: '[]', contentType: 'application/json', status: 400 },
  { name: 'empty body', body: '', status: 400 },
  { name: 'deeply nested payload', body: form(`${'['.repeat(5000)}${']'.repeat(5000)}`), status: 400 },
];

const UNHANDLED: Case[] = [
  { name: 'a button aws-ir does not own', body: form({ ...click, actions: [{ action_id: 'other.button', block_id: 'b', type: 'button' }] }), status: 200 },
  { name: 'a view closed', body: form({ type: 'view_closed', user: { id: ALICE }, team: { id: 'T0TEST' }, view: submit.view }), status: 200 },
  { name: 'a global shortcut', body: form({ type: 'shortcut', user: { id: ALICE }, team: { id: 'T0TEST' }, callback_id: 'x', trigger_id: 't' }), status: 200 },
  {
    name: 'an options request',
    body: form({ type: 'block_suggestion', user: { id: ALICE }, team: { id: 'T0TEST' }, action_id: 'a', block_id: 'b', value: 'v' }),
    status: 200,
  },
  { name: 'another slash command', body: slashCommandBody({ command: '/other', text: 'scan', user_id: ALICE, channel_id: TEST_CHANNEL }), status: 200 },
];

describe('signed but malformed payloads', () => {
  let h: AppHarness;
  const sink = new LogSink();
  const scan = fakeScan();
  beforeAll(async () => {
    h = await startAppHarness({ services: { runScan: scan, logger: sink.logger('info') } });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function send(c: Case) {
    const headers = signedHeaders(h.signingSecret, c.body);
    headers['content-type'] = c.contentType ?? FORM;
    const res = await fetch(h.eventsUrl, { method: 'POST', headers, body: c.body });
    return { status: res.status, text: await res.text() };
  }

  it.each([...MALFORMED, ...UNHANDLED].map((c) => [c.name, c] as const))('%s: answered, one log line, nothing done', async (_name, c) => {
    const mark = sink.mark();
    const slackCalls = h.slack.webApi.calls.length;
    const audit = (await h.services.store.listAudit({})).length;
    const res = await send(c);
    await h.idle();
    expect(res.status).toBe(c.status);
    expect(res.text).toBe('');
    const lines = sink.since(mark);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBeLessThan(50);
    expect(h.slack.webApi.calls.slice(slackCalls)).toEqual([]);
    expect(await h.services.store.listAudit({})).toHaveLength(audit);
    expect(await h.services.store.latestScan(TEST_CHANNEL)).toBeUndefined();
    expect(scan.calls).toHaveLength(0);
  });

  it('names the first wrong field in its log line, and never logs the body', async () => {
    const mark = sink.mark();
    await send({ name: 'user id a number', body: form({ ...click, user: { id: 42, name: 'secret-looking-value' } }), status: 400 });
    const [line] = sink.since(mark);
    expect(line?.reason).toBe('action payload: user.id must be a string');
    expect(sink.text()).not.toContain('secret-looking-value');
  });

  it('still serves well-formed requests after all of them', async () => {
    const res = await postSigned(h.eventsUrl, h.signingSecret, slashCommandBody({ text: 'help', user_id: ALICE, channel_id: TEST_CHANNEL }));
    expect(res.status).toBe(200);
    expect(String(res.json?.text)).toContain('/aws-ir scan');
  });
});
