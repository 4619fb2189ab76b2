/**
 * The Slack stand-in as the product's tests run it: port 0 on 127.0.0.1, the open directory (any
 * channel and user id, flags and groups set by the test), logging nothing unless TEST_LOG_LEVEL says so.
 */
import { startStandIn, type RunningStandIn, type StandInLogger } from '@aws-ir/slack-standin';
import { createLogger } from '../../src/logger';

export function startTestSlack(botToken: string, logger?: StandInLogger): Promise<RunningStandIn> {
  return startStandIn({ port: 0, botToken, logger: logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), directory: 'open' });
}
