import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyBotToken } from '../../../src/slack/verify-token';
import { SlackSetupError } from '../../../src/slack/setup-error';
import { userMessage } from '../../../src/errors';

function fakeAuthTest(answer: Record<string, unknown>): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/api/`, close: () => new Promise<void>((r) => server.close(() => r())) });
    }),
  );
}

describe('verifyBotToken', () => {
  it('passes with a token Slack accepts', async () => {
    const slack = await fakeAuthTest({ ok: true, user_id: 'UBOT', team_id: 'T1' });
    try {
      await expect(verifyBotToken('xoxb-good-token-123456', slack.url)).resolves.toBeUndefined();
    } finally {
      await slack.close();
    }
  });

  it('says what to do when Slack rejects the token, without echoing it', async () => {
    const slack = await fakeAuthTest({ ok: false, error: 'invalid_auth' });
    try {
      const err = await verifyBotToken('xoxb-bad-token-123456', slack.url).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SlackSetupError);
      expect(userMessage(err)).toMatch(/Slack rejected SLACK_BOT_TOKEN \(invalid_auth\).*OAuth & Permissions/);
      expect(userMessage(err)).not.toContain('xoxb-bad-token-123456');
    } finally {
      await slack.close();
    }
  });

  it('gives up when Slack cannot be reached, naming the URL', async () => {
    // A port that was just free: nothing listens there.
    const gone = await fakeAuthTest({ ok: true });
    await gone.close();
    const err = await verifyBotToken('xoxb-any-token-123456', gone.url, 2000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SlackSetupError);
    expect(userMessage(err)).toContain(`Could not reach the Slack Web API at ${gone.url}`);
  });
});
