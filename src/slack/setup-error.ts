/** A Slack set-up problem an operator must fix; its message says what to do. */
export class SlackSetupError extends Error {
  readonly code = 'aws_ir_slack_setup';
  constructor(message: string) {
    super(message);
    this.name = 'SlackSetupError';
  }
}
