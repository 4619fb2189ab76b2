/**
 * The test-facing side of the stand-in, through a real Web API client: the open directory (any channel
 * and user, flags and groups set by the test), response URLs and trigger ids a test mints for its own
 * signed requests, the channel's messages as they are now, the Block Kit switch and a bounded wait.
 * The local directory (the page's) keeps refusing what it does not know.
 */
import { WebClient } from '@slack/web-api';
import { generateBotToken, LOCAL_CHANNEL, startStandIn, type RunningStandIn } from '../../src';
import { quietSlackLogger, silentLogger } from '../support';

const botToken = generateBotToken();
const clientOf = (s: RunningStandIn) =>
  new WebClient(botToken, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: quietSlackLogger });
const failure = (p: Promise<unknown>) => p.then(() => 'ok').catch((err: unknown) => (err as { data?: { error?: string } }).data?.error);
const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Why?' }, blocks: [] };

describe('the local directory (default)', () => {
  let standIn: RunningStandIn;
  let client: WebClient;
  beforeAll(async () => {
    standIn = await startStandIn({ port: 0, botToken, logger: silentLogger });
    client = clientOf(standIn);
  });
  afterAll(() => standIn.close());

  it('knows only the incident channel, the cast and the trigger ids it issued', async () => {
    expect(await failure(client.chat.postMessage({ channel: 'C0ELSEWHERE', text: 'x' }))).toBe('channel_not_found');
    expect(await failure(client.users.info({ user: 'U0STRANGER' }))).toBe('user_not_found');
    expect(await failure(client.views.open({ trigger_id: '1.made-up.trigger', view: modal }))).toBe('invalid_trigger_id');
    expect(await failure(client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 'x' }))).toBe('ok');
  });
});

describe('the open directory', () => {
  let standIn: RunningStandIn;
  let client: WebClient;
  beforeAll(async () => {
    standIn = await startStandIn({ port: 0, botToken, logger: silentLogger, directory: 'open' });
    client = clientOf(standIn);
  });
  afterAll(() => standIn.close());

  it('takes any channel id, and any user id as a normal member unless the test set flags', async () => {
    expect(await failure(client.chat.postMessage({ channel: 'C0ELSEWHERE', text: 'x' }))).toBe('ok');
    expect((await client.conversations.info({ channel: 'C0ELSEWHERE' })).channel).toMatchObject({ id: 'C0ELSEWHERE', is_member: true });
    expect((await client.users.info({ user: 'U0STRANGER' })).user).toMatchObject({
      id: 'U0STRANGER',
      deleted: false,
      is_bot: false,
      is_restricted: false,
      is_ultra_restricted: false,
    });
    standIn.users.set('U0GUEST', { is_restricted: true });
    standIn.users.set('U0GONE', { deleted: true });
    expect((await client.users.info({ user: 'U0GUEST' })).user).toMatchObject({ is_restricted: true, deleted: false });
    expect(await failure(client.chat.postEphemeral({ channel: 'C0ELSEWHERE', user: 'U0GONE', text: 'x' }))).toBe('user_not_in_channel');
    expect(await failure(client.chat.postEphemeral({ channel: 'C0ELSEWHERE', user: 'U0GUEST', text: 'x' }))).toBe('ok');
    expect(await failure(client.users.info({ user: 'not-a-user-id' }))).toBe('user_not_found');
  });

  it('answers user groups the test set, and no_such_subteam for others', async () => {
    standIn.usergroups.set('S0ONCALL', ['U0CAROL', 'U0DAVE']);
    expect((await client.usergroups.users.list({ usergroup: 'S0ONCALL' })).users).toEqual(['U0CAROL', 'U0DAVE']);
    expect(await failure(client.usergroups.users.list({ usergroup: 'S0NOBODY' }))).toBe('no_such_subteam');
  });

  it('opens a modal with a trigger id the test minted or made up, each once', async () => {
    const minted = standIn.triggerId('U0ALICE');
    expect(await failure(client.views.open({ trigger_id: minted, view: modal }))).toBe('ok');
    expect(await failure(client.views.open({ trigger_id: minted, view: modal }))).toBe('exchanged_trigger_id');
    expect(await failure(client.views.open({ trigger_id: '2.made-up.trigger', view: modal }))).toBe('ok');
    expect(await failure(client.views.open({ trigger_id: '2.made-up.trigger', view: modal }))).toBe('exchanged_trigger_id');
  });

  it('records POSTs to a minted response URL as response_url calls under its label, and shows the answer', async () => {
    const url = standIn.responseUrl('cmd', { user: 'U0ALICE', channel: 'C0RESPONSE' });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'only you see this' }) });
    expect(res.status).toBe(200);
    expect(standIn.webApi.callsTo('response_url').at(-1)).toEqual({ method: 'response_url', args: { text: 'only you see this', response_id: 'cmd' } });
    const shown = standIn.workspace.visibleTo('U0ALICE', 'C0RESPONSE');
    expect(shown.map((m) => [m.text, m.ephemeralTo])).toEqual([['only you see this', 'U0ALICE']]);
    // Ephemeral answers are not channel messages.
    expect(standIn.messages('C0RESPONSE')).toEqual([]);
  });

  it("keeps the channel's messages as they are now: ordered, updated, threaded, deleted", async () => {
    const channel = 'C0THREADS';
    const parent = await client.chat.postMessage({ channel, text: 'parent' });
    const reply = await client.chat.postMessage({ channel, text: 'reply', thread_ts: parent.ts });
    const other = await client.chat.postMessage({ channel, text: 'other' });
    await client.chat.update({ channel, ts: parent.ts as string, text: 'parent, edited' });
    await client.chat.delete({ channel, ts: other.ts as string });
    expect(standIn.messages(channel).map((m) => m.text)).toEqual(['parent, edited', 'reply']);
    expect(standIn.message(channel, parent.ts as string)?.text).toBe('parent, edited');
    expect(standIn.threadReplies(channel, parent.ts as string).map((m) => m.ts)).toEqual([reply.ts]);
    expect(Number(reply.ts)).toBeGreaterThan(Number(parent.ts));
  });

  it('accepts over-limit blocks only while a test turns the check off', async () => {
    const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    standIn.webApi.validateBlocks = false;
    try {
      expect(await failure(client.chat.postMessage({ channel: 'C0LIMITS', text: 't', blocks: tooMany }))).toBe('ok');
    } finally {
      standIn.webApi.validateBlocks = true;
    }
    expect(await failure(client.chat.postMessage({ channel: 'C0LIMITS', text: 't', blocks: tooMany }))).toBe('invalid_blocks');
  });

  it('a bounded wait rejects naming what it waited for', async () => {
    await expect(standIn.webApi.until(() => false, { timeoutMs: 20, what: 'a call that never comes' })).rejects.toThrow(
      /waited 20 ms for a call that never comes/,
    );
  });
});
