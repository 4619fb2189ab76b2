/**
 * What a test reads from the stand-in instead of a mock: every Web API call as received (method,
 * arguments, token), failures injected as Slack answers them, a wait that resolves on the call that
 * makes a condition true (no clock), and Block Kit limits enforced with `invalid_blocks`.
 */
import { WebClient } from '@slack/web-api';
import { generateBotToken, LOCAL_CHANNEL, startStandIn, type RunningStandIn } from '../../src';
import { silentLogger } from '../support';

let standIn: RunningStandIn;
let client: WebClient;
const botToken = generateBotToken();

beforeAll(async () => {
  standIn = await startStandIn({ port: 0, botToken, logger: silentLogger });
  client = new WebClient(botToken, { slackApiUrl: `${standIn.url}/api/`, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
});
afterAll(() => standIn.close());

const failure = (p: Promise<unknown>) => p.then(() => undefined).catch((err: unknown) => (err as { data?: { error?: string } }).data?.error);

it('records every call with its decoded arguments and token, answered or refused', async () => {
  const before = standIn.webApi.calls.length;
  await client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 'hello', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }] });
  expect(await failure(client.chat.postMessage({ channel: 'C0NOWHERE', text: 'lost' }))).toBe('channel_not_found');
  const calls = standIn.webApi.calls.slice(before);
  expect(calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage']);
  expect(calls[0]).toMatchObject({ token: botToken, args: { channel: LOCAL_CHANNEL.id, text: 'hello', blocks: [{ type: 'section' }] } });
  expect(standIn.webApi.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(2);
});

it('fails the next calls of a method as Slack would answer them, then answers normally', async () => {
  standIn.webApi.failNext('chat.update', 'ratelimited', 2);
  standIn.webApi.failNext('chat.postMessage', 'channel_not_found');
  const posted = await client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 'x' }).catch(() => undefined);
  expect(posted).toBeUndefined();
  const ok = await client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 'y' });
  const update = () => client.chat.update({ channel: LOCAL_CHANNEL.id, ts: ok.ts as string, text: 'z' });
  expect(await failure(update())).toBe('ratelimited');
  expect(await failure(update())).toBe('ratelimited');
  await expect(update()).resolves.toMatchObject({ ok: true });
});

it('resolves a wait on the call that makes it true, without polling', async () => {
  const seen = standIn.webApi.until(() => standIn.webApi.callsTo('reactions.add').length > 0);
  let done = false;
  void seen.then(() => {
    done = true;
  });
  await client.auth.test();
  expect(done).toBe(false);
  const { ts } = await client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 'react to me' });
  await client.reactions.add({ channel: LOCAL_CHANNEL.id, timestamp: ts as string, name: 'eyes' });
  await seen;
  expect(done).toBe(true);
});

it('refuses blocks over Slack limits with invalid_blocks, in its own rules (not the app code)', async () => {
  const tooMany = Array.from({ length: 51 }, () => ({ type: 'divider' }));
  expect(await failure(client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 't', blocks: tooMany }))).toBe('invalid_blocks');
  const longSection = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
  expect(await failure(client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 't', blocks: longSection }))).toBe('invalid_blocks');
});
