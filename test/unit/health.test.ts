/** Readiness (/healthz): Slack authenticated and a store that answers; the first reason otherwise. */
import { Readiness } from '../../src/health';
import { SqliteStore } from '../../src/store/sqlite-store';

const slackError = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), { code: 'slack_webapi_platform_error', data: { ok: false, error } });

describe('readiness', () => {
  it('is not ready before Slack accepted the token, ready after, and not ready once Slack says the token stopped working', async () => {
    const store = new SqliteStore(':memory:');
    const readiness = new Readiness(() => store);
    expect(await readiness.check()).toEqual({ ready: false, reason: 'slack: not authenticated yet' });
    readiness.slackAuthenticated();
    expect(await readiness.check()).toEqual({ ready: true });
    readiness.observeSlackError(slackError('not_in_channel'));
    readiness.observeSlackError(new Error('socket hang up'));
    expect(await readiness.check()).toEqual({ ready: true });
    readiness.observeSlackError(slackError('invalid_auth'));
    expect(await readiness.check()).toEqual({ ready: false, reason: 'slack: invalid_auth' });
    await store.close();
  });

  it('is not ready when the store does not answer', async () => {
    const store = new SqliteStore(':memory:');
    const readiness = new Readiness(() => store);
    readiness.slackAuthenticated();
    expect((await readiness.check()).ready).toBe(true);
    await store.close();
    expect(await readiness.check()).toEqual({ ready: false, reason: 'store: the database does not answer' });
  });
});
