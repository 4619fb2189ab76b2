/**
 * Readiness for /healthz: aws-ir is ready when Slack has accepted its token and the store answers.
 * Slack is known good once start-up's auth check passed, and bad from the first Web API answer that
 * says the token no longer works (revoked, invalid); the store is asked on every check.
 */
import { SLACK_AUTH_ERRORS, slackErrorCode } from './errors';
import type { Store } from './store/store';

export interface HealthReport {
  ready: boolean;
  /** Short reason when not ready, e.g. "slack: token_revoked". */
  reason?: string;
}

export class Readiness {
  private slack: string | undefined = 'not authenticated yet';

  constructor(private readonly store: () => Store) {}

  slackAuthenticated(): void {
    this.slack = undefined;
  }

  /** Called with every failed Slack Web API call; only token failures change readiness. */
  observeSlackError(err: unknown): void {
    const code = slackErrorCode(err);
    if (code && SLACK_AUTH_ERRORS.has(code)) this.slack = code;
  }

  async check(): Promise<HealthReport> {
    if (this.slack) return { ready: false, reason: `slack: ${this.slack}` };
    try {
      await this.store().ping();
    } catch {
      return { ready: false, reason: 'store: the database does not answer' };
    }
    return { ready: true };
  }
}
