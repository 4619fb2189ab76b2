import { ERROR_CODES } from '../errors';

/** A Slack set-up problem an operator must fix; its message says what to do. */
export class SlackSetupError extends Error {
  readonly code = ERROR_CODES.slackSetup;
  constructor(message: string) {
    super(message);
    this.name = 'SlackSetupError';
  }
}
