/**
 * The page on its own, in headless Chromium against the stand-in with a tiny Bolt app: Block Kit is
 * rendered (header, section text/fields/accessory, context, divider, actions with styles), mrkdwn is
 * formatted and escaped, ephemeral messages show only to their user, threads appear under their
 * parent, clicks reach the app signed and live updates arrive without reload.
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { App, LogLevel } from '@slack/bolt';
import { chromium, type Browser, type Page } from 'playwright-core';
import { generateBotToken, generateSigningSecret, startStandIn, type RunningStandIn } from '../../src';
import { silentLogger } from '../support';

jest.setTimeout(60_000);

const ARTIFACTS = join(__dirname, '../../../../test-artifacts');

describe('local page rendering', () => {
  let standIn: RunningStandIn;
  let app: App;
  let browser: Browser;
  let page: Page;
  let botToken: string;
  const clicks: string[] = [];

  async function api(method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const res = await fetch(`http://127.0.0.1:${standIn.port}/api/${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(args),
    });
    return (await res.json()) as Record<string, unknown>;
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    botToken = generateBotToken();
    const signingSecret = generateSigningSecret();
    standIn = await startStandIn({ port: 0, botToken, logger: silentLogger });
    app = new App({ token: botToken, signingSecret, logLevel: LogLevel.ERROR, clientOptions: { slackApiUrl: `http://127.0.0.1:${standIn.port}/api/` } });
    app.action('ack_me', async ({ ack, body, respond }) => {
      await ack();
      clicks.push(body.user.id);
      await respond({ replace_original: false, text: `Clicked by <@${body.user.id}>` });
    });
    const server = (await app.start(0)) as Server;
    standIn.interactions.connect({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, signingSecret });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await standIn?.close();
  });

  test('renders blocks, threads and ephemeral messages, live, and delivers clicks', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${standIn.port}/?as=U0ALICE`);
    await page.getByText('Local sandbox — not Slack, not AWS').waitFor();

    // Posted after the page loaded: must appear without reload.
    const parent = await api('chat.postMessage', {
      channel: 'C0INCIDENT',
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Scan of 123456789012' } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: ':rotating_light: *Leaked key* used from `203.0.113.9` <https://example.com|details> &lt;script&gt;' },
          accessory: { type: 'button', action_id: 'acc', text: { type: 'plain_text', text: 'Open' } },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Severity*\ncritical' },
            { type: 'mrkdwn', text: '*Step*\nR1' },
          ],
        },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Requested by <@U0BOB>' }] },
        {
          type: 'actions',
          block_id: 'acts',
          elements: [
            { type: 'button', action_id: 'ack_me', style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value: 'x' },
            { type: 'button', action_id: 'reject', style: 'danger', text: { type: 'plain_text', text: 'Reject' } },
          ],
        },
      ],
    });
    expect(parent.ok).toBe(true);
    await api('chat.postMessage', { channel: 'C0INCIDENT', thread_ts: parent.ts, text: 'a reply in the thread' });
    await api('chat.postEphemeral', { channel: 'C0INCIDENT', user: 'U0BOB', text: 'for Bob only' });

    await page.locator('.bk-header', { hasText: 'Scan of 123456789012' }).waitFor();
    await expect(page.locator('.bk-text b', { hasText: 'Leaked key' }).count()).resolves.toBe(1);
    await expect(page.locator('.bk-text code', { hasText: '203.0.113.9' }).count()).resolves.toBe(1);
    await expect(page.locator('.bk-text a[href="https://example.com"]').count()).resolves.toBe(1);
    await expect(page.locator('.bk-text script').count()).resolves.toBe(0);
    await expect(page.locator('.bk-fields .bk-field-text').count()).resolves.toBe(2);
    await expect(page.locator('.bk-button.bk-primary', { hasText: 'Approve' }).count()).resolves.toBe(1);
    await expect(page.locator('.bk-button.bk-danger', { hasText: 'Reject' }).count()).resolves.toBe(1);
    await expect(page.locator('.mention', { hasText: '@Bob' }).count()).resolves.toBe(1);
    await page.locator('.thread', { hasText: 'a reply in the thread' }).waitFor();
    await expect(page.getByText('for Bob only').count()).resolves.toBe(0);

    await page.selectOption('#as-user', 'U0BOB');
    await page.getByText('for Bob only').waitFor();

    await page.locator('.bk-button', { hasText: 'Approve' }).click();
    await page.getByText('Clicked by').waitFor();
    expect(clicks).toEqual(['U0BOB']);
    await page.screenshot({ path: join(ARTIFACTS, 'page-render.png') });
    expect(errors).toEqual([]);
  });

  test('over-limit messages are refused like Slack', async () => {
    const res = await api('chat.postMessage', { channel: 'C0INCIDENT', text: 'x', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) });
    expect(res).toMatchObject({ ok: false, error: 'invalid_blocks' });
    const button = await api('chat.postMessage', {
      channel: 'C0INCIDENT',
      text: 'x',
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'b'.repeat(76) } }] }],
    });
    expect(button).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(await api('chat.postMessage', { channel: 'C0NOPE', text: 'x' })).toMatchObject({ ok: false, error: 'channel_not_found' });
  });
});
