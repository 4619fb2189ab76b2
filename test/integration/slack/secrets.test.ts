/**
 * Secrets stay out of logs and Slack: the bot token and signing secret (registered by buildServices)
 * are masked in every log line, including Bolt's own, and no message or reply carries them or a stack.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/logger';
import { startAppHarness, type AppHarness } from '../../support/app-harness';
import { compromisedKeyFindings, fakeScan } from '../../support/scan-fixtures';

describe('secrets in logs and messages', () => {
  let h: AppHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('never logs or posts the bot token or the signing secret, even in errors', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const logger = createLogger('debug', sink);
    let secret = '';
    let token = '';
    const failing = fakeScan({ findings: compromisedKeyFindings(), error: new Error('') });
    h = await startAppHarness({
      services: {
        logger,
        // A scan that fails with an error quoting credentials, as a careless dependency might.
        runScan: async (input) => {
          await failing(input).catch(() => undefined);
          throw new Error(`request failed with token ${token} and secret ${secret}\n    at x (y.js:1:1)`);
        },
      },
    });
    secret = h.signingSecret;
    token = h.services.config.slack.botToken as string;
    await h.command('scan');
    await h.command('help');
    await h.idle();
    h.slack.webApi.failNext('chat.postMessage', 'invalid_auth');
    await h.command('scan');
    await h.idle();

    const logs = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    expect(logs).toContain('scan failed');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(token);
    // What the app says (auth.test legitimately carries the token to Slack itself).
    const slackTraffic = JSON.stringify(h.slack.webApi.calls.filter((c) => c.method !== 'auth.test').map((c) => c.args));
    expect(slackTraffic).not.toContain(secret);
    expect(slackTraffic).not.toContain(token);
    expect(slackTraffic).not.toContain('y.js');
    expect(slackTraffic).toContain("aws-ir's Slack token is not valid");
  });
});
