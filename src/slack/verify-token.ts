/**
 * A bounded start-up check of the bot token. Bolt's own auth.test retries for up to ~30 minutes when
 * Slack cannot be reached, which would leave an operator staring at a silent process; this check
 * answers within seconds with what to fix.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import { slackErrorCode } from '../handlers/user-errors';
import { SlackSetupError } from './setup-error';

const TOKEN_ERRORS: Record<string, string> = {
  invalid_auth: 'Slack rejected SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token (xoxb-…) from your app\'s "OAuth & Permissions" page.',
  not_authed: 'Slack received no token: set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-…).',
  account_inactive: 'SLACK_BOT_TOKEN belongs to a deleted or deactivated app or workspace: reinstall aws-ir and use its new token.',
  token_revoked: 'SLACK_BOT_TOKEN has been revoked: reinstall aws-ir and use its new token.',
  token_expired: 'SLACK_BOT_TOKEN has expired: turn off token rotation for aws-ir or reinstall it.',
};

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
    if (code) throw new SlackSetupError(TOKEN_ERRORS[code] ?? `Slack refused SLACK_BOT_TOKEN (${code}).`);
    const reason = err instanceof Error ? err.message.split('\n')[0] : 'no answer';
    throw new SlackSetupError(`Could not reach the Slack Web API at ${where} (${reason}): check the network, proxy settings or SLACK_API_URL.`);
  }
}
