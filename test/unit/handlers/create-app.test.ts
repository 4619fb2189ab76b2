/**
 * createSlackApp: the right receiver for each mode, the Web API base URL honoured, and clear
 * set-up errors. (Socket Mode is only constructed here: connecting needs Slack.)
 */
import { createSlackApp, EVENTS_PATH, SlackSetupError } from '../../../src/slack/create-app';
import { createLogger } from '../../../src/logger';
import { LOCAL_CHANNEL, startStandIn, type RunningStandIn } from '@aws-ir/slack-standin';
import { testConfig } from '../../support/app-harness';
import { sendSlashCommand } from '../../support/signed-request';

const logger = createLogger('silent');

/** The Slack stand-in answering the given bot token, its Web API where the app's slackApiUrl points. */
async function slackFor(botToken: string): Promise<{ standIn: RunningStandIn; apiUrl: string }> {
  const standIn = await startStandIn({ port: 0, botToken, logger });
  return { standIn, apiUrl: `${standIn.url}/api/` };
}

describe('createSlackApp', () => {
  it('serves /slack/events over HTTP on the requested host and a free port, with the Web API at slackApiUrl', async () => {
    const { standIn, apiUrl } = await slackFor('xoxb-test-0000-aws-ir');
    const config = testConfig(apiUrl, 'secret-for-test-123');
    const slack = createSlackApp(config, { logger, port: 0, host: '127.0.0.1' });
    slack.app.command('/aws-ir', async ({ ack, client }) => {
      await ack();
      await client.chat.postMessage({ channel: LOCAL_CHANNEL.id, text: 'hello' });
    });
    const started = await slack.start();
    try {
      expect(started.port).toBeGreaterThan(0);
      expect(started.eventsUrl).toBe(`http://127.0.0.1:${started.port}${EVENTS_PATH}`);
      const res = await sendSlashCommand(started.eventsUrl as string, 'secret-for-test-123', { text: 'x', user_id: 'U1', channel_id: 'C1' });
      expect(res.status).toBe(200);
      await standIn.webApi.until(() => standIn.webApi.callsTo('chat.postMessage').length === 1);
      expect(standIn.webApi.callsTo('chat.postMessage')[0]?.token).toBe('xoxb-test-0000-aws-ir');
      // Other paths are not Slack's endpoint.
      const other = await fetch(`http://127.0.0.1:${started.port}/elsewhere`, { method: 'POST', body: '' });
      expect(other.status).toBe(404);
      // The container health check's route answers without a Slack signature.
      const health = await fetch(`http://127.0.0.1:${started.port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe('ok');
    } finally {
      await slack.stop();
      await standIn.close();
    }
  });

  it('builds a Socket Mode app from SLACK_APP_TOKEN without listening on a port', async () => {
    // Bolt verifies the bot token (auth.test) as soon as the app is built: answer it locally.
    const { standIn, apiUrl } = await slackFor('xoxb-test-1');
    try {
      const config = testConfig(apiUrl, 'unused');
      config.slack = { mode: 'socket', botToken: 'xoxb-test-1', appToken: 'xapp-test-1', apiUrl };
      const slack = createSlackApp(config, { logger });
      expect(slack.app).toBeDefined();
      await standIn.webApi.until(() => standIn.webApi.callsTo('auth.test').length === 1);
      expect(standIn.webApi.callsTo('auth.test')[0]?.token).toBe('xoxb-test-1');
    } finally {
      await standIn.close();
    }
  });

  it('says what is missing', () => {
    const config = testConfig('http://127.0.0.1:9/api/', 'x');
    expect(() => createSlackApp({ ...config, slack: { mode: 'http', botToken: 'xoxb-1' } }, { logger })).toThrow(SlackSetupError);
    expect(() => createSlackApp({ ...config, slack: { mode: 'http', botToken: 'xoxb-1' } }, { logger })).toThrow('SLACK_SIGNING_SECRET');
    expect(() => createSlackApp({ ...config, slack: { mode: 'socket' } }, { logger })).toThrow('SLACK_BOT_TOKEN');
  });
});
