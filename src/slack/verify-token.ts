/**
 * A bounded start-up check of the bot token. Bolt's own auth.test retries for up to ~30 minutes when
 * Slack cannot be reached, which would leave an operator staring at a silent process; this check
 * answers within seconds with what to fix.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { SLACK_TOKEN_ERRORS, slackErrorCode } from '../errors';
import { SlackSetupError } from './setup-error';

export async function verifyBotToken(token: string, slackApiUrl: string | undefined, timeoutMs = 10_000): Promise<void> {
  const client = new WebClient(token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    timeout: timeoutMs,
    retryConfig: { retries: 2, factor: 1, minTimeout: 500, maxTimeout: 1000 },
    rejectRateLimitedCalls: true,
    // Each failed attempt would be logged as a warning; the outcome is reported once, as a sentence.
    logLevel: LogLevel.ERROR,
  });
  try {
    await client.auth.test();
  } catch (err) {
    const code = slackErrorCode(err);
    const where = slackApiUrl ?? 'https://slack.com/api/';
    if (code) throw new SlackSetupError(SLACK_TOKEN_ERRORS[code] ?? `Slack refused SLACK_BOT_TOKEN (${code}).`);
    const reason = err instanceof Error ? err.message.split('\n')[0] : 'no answer';
    throw new SlackSetupError(`Could not reach the Slack Web API at ${where} (${reason}): check the network, proxy settings or SLACK_API_URL.`);
  }
}
