/**
 * The stand-in against a tiny real Bolt app in HTTP mode: commands, clicks and modal submissions
 * arrive signed and verify; the app's Web API calls and respond() land in the local channel.
 */
import { App } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { deliverForm, generateBotToken, generateSigningSecret, LOCAL_CHANNEL, startStandIn, type RunningStandIn } from '../../src';
import { quietSlackLogger, silentLogger } from '../support';

const logger = silentLogger;
async function waitFor<T>(fn: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local Slack stand-in with a Bolt app', () => {
  let standIn: RunningStandIn;
  let app: App;
  let signingSecret: string;
  let appUrl: string;
  const seen: string[] = [];

  beforeAll(async () => {
    const botToken = generateBotToken();
    signingSecret = generateSigningSecret();
    standIn = await startStandIn({ port: 0, botToken, logger });
    app = new App({
      token: botToken,
      signingSecret,
      logger: quietSlackLogger,
      clientOptions: { slackApiUrl: `http://127.0.0.1:${standIn.port}/api/` },
    });
    app.command('/aws-ir', async ({ ack, command, client, respond }) => {
      await ack();
      seen.push(`command:${command.user_id}:${command.text}`);
      if (command.text === 'modal') {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'reason_modal',
            title: { type: 'plain_text', text: 'Why?' },
            submit: { type: 'plain_text', text: 'Request' },
            blocks: [
              {
                type: 'input',
                block_id: 'reason',
                label: { type: 'plain_text', text: 'Reason' },
                element: { type: 'plain_text_input', action_id: 'reason_input' },
              },
            ],
          },
        });
        return;
      }
      if (command.text === 'too-long') {
        try {
          await client.chat.postMessage({
            channel: command.channel_id,
            text: 'x',
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'a'.repeat(3001) } }],
          });
        } catch (err: unknown) {
          seen.push(`error:${(err as { data?: { error?: string } }).data?.error}`);
        }
        return;
      }
      await respond({ text: 'Working on it (only you see this)' });
      await client.chat.postMessage({
        channel: command.channel_id,
        text: 'Scan summary',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Scan summary' } },
          {
            type: 'actions',
            block_id: 'acts',
            elements: [
              { type: 'button', action_id: 'approve:0', text: { type: 'plain_text', text: 'Approve' }, style: 'primary', value: '{"requestId":"r1"}' },
            ],
          },
        ],
      });
    });
    app.action(/^approve/, async ({ ack, body, respond, action }) => {
      await ack();
      const value = 'value' in action ? action.value : undefined;
      seen.push(`action:${body.user.id}:${value}`);
      await respond({ replace_original: true, text: `Approved by <@${body.user.id}>` });
    });
    app.view('reason_modal', async ({ ack, view, body }) => {
      const reason = view.state.values.reason?.reason_input?.value ?? '';
      if (reason.length < 5) {
        await ack({ response_action: 'errors', errors: { reason: 'Say a bit more.' } });
        return;
      }
      await ack();
      seen.push(`view:${body.user.id}:${reason}`);
    });
    const server = (await app.start(0)) as Server;
    appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    standIn.interactions.connect({ url: appUrl, signingSecret });
  });

  afterAll(async () => {
    await app.stop();
    await standIn.close();
  });

  test('a signed slash command reaches the app, respond() is ephemeral and postMessage is public', async () => {
    await standIn.interactions.slashCommand('U0ALICE', '/aws-ir scan');
    expect(seen).toContain('command:U0ALICE:scan');
    const summary = await waitFor(() => standIn.workspace.publicMessages(LOCAL_CHANNEL.id).find((m) => m.text === 'Scan summary'), 'summary');
    const ephemeral = await waitFor(() => standIn.workspace.visibleTo('U0ALICE').find((m) => m.ephemeralTo === 'U0ALICE'), 'ephemeral');
    expect(ephemeral.text).toContain('only you see this');
    expect(standIn.workspace.visibleTo('U0BOB').some((m) => m.ts === ephemeral.ts)).toBe(false);

    await standIn.interactions.blockAction({ user: 'U0BOB', messageTs: summary.ts, blockId: 'acts', actionId: 'approve:0' });
    expect(seen).toContain('action:U0BOB:{"requestId":"r1"}');
    await waitFor(() => standIn.workspace.getMessage(LOCAL_CHANNEL.id, summary.ts)?.text.startsWith('Approved'), 'replace_original');
    expect(standIn.workspace.getMessage(LOCAL_CHANNEL.id, summary.ts)?.text).toBe('Approved by <@U0BOB>');
  });

  test('a badly signed request is refused by Bolt', async () => {
    const ack = await deliverForm({ url: appUrl, signingSecret: 'not-the-secret' }, { command: '/aws-ir', text: 'scan', user_id: 'U0ALICE' });
    expect(ack.status).toBe(401);
  });

  test('over-limit blocks are refused with invalid_blocks, as Slack does', async () => {
    await standIn.interactions.slashCommand('U0ALICE', '/aws-ir too-long');
    await waitFor(() => seen.includes('error:invalid_blocks'), 'invalid_blocks');
  });

  test('modal: views.open with the trigger id, required inputs, response_action errors, then close', async () => {
    await standIn.interactions.slashCommand('U0BOB', '/aws-ir modal');
    const view = await waitFor(() => standIn.workspace.modalStack('U0BOB')[0], 'modal');
    expect(standIn.workspace.modalStack('U0ALICE')).toHaveLength(0);

    const empty = await standIn.interactions.viewSubmission('U0BOB', view.id, {});
    expect(empty).toEqual({ closed: false, errors: { reason: 'Please complete this required field.' } });

    const short = await standIn.interactions.viewSubmission('U0BOB', view.id, { reason: { reason_input: 'no' } });
    expect(short).toEqual({ closed: false, errors: { reason: 'Say a bit more.' } });

    const ok = await standIn.interactions.viewSubmission('U0BOB', view.id, { reason: { reason_input: 'leaked key in CI logs' } });
    expect(ok.closed).toBe(true);
    expect(seen).toContain('view:U0BOB:leaked key in CI logs');
    expect(standIn.workspace.modalStack('U0BOB')).toHaveLength(0);
  });

  test("an unknown slash command gets Slackbot's answer and never reaches the app", async () => {
    const before = seen.length;
    await standIn.interactions.slashCommand('U0ALICE', '/nope hi');
    expect(seen.length).toBe(before);
    expect(standIn.workspace.visibleTo('U0ALICE').some((m) => m.text.includes('is not a valid command'))).toBe(true);
  });
});
