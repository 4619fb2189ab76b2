/**
 * Item 1 of issue 14 over real HTTP: the signature window is five minutes in both directions.
 *
 * First against the app's receiver with an injected clock (so 4:59 and 5:01 are exact, nothing
 * waits): 4:59 in the past or the future reaches the listener; 5:01 either way, 10 minutes, 1 hour
 * and 1 day in the future, no headers, an altered body, the wrong secret and an oversized body are
 * refused with the right status, one log line each, and the listener never runs.
 * Then against the whole app (real listeners, store, the Slack stand-in): future-dated `/aws-ir scan`
 * commands and Approve clicks start nothing, post nothing, store nothing.
 */
import { ACTION, buttonActionId } from '../../../src/slack-ids';
import { createSlackApp, type SlackApp } from '../../../src/slack/create-app';
import { BODY_LIMIT_BYTES } from '../../../src/slack/verified-receiver';
import type { ActionRequest } from '../../../src/store/store';
import { ALICE, BOB, startAppHarness, TEST_BOT_TOKEN, TEST_CHANNEL, testConfig, type AppHarness } from '../../support/app-harness';
import { startTestSlack } from '../../support/test-slack';
import type { RunningStandIn } from '@aws-ir/slack-standin';
import { fakeScan } from '../../support/scan-fixtures';
import { blockActionPayload, interactionBody, postSigned, slackSignature, slashCommandBody, type SlackHttpResponse } from '../../support/signed-request';
import { LogSink } from '../../support/hardening/log-sink';

const SECRET = 'signature-window-secret-0001';
const NOW_MS = Date.parse('2026-03-01T12:00:00.250Z');
const NOW_S = Math.floor(NOW_MS / 1000);

describe('the receiver with an injected clock', () => {
  let fake: RunningStandIn;
  let slack: SlackApp;
  let url: string;
  const sink = new LogSink();
  const ran: string[] = [];

  beforeAll(async () => {
    fake = await startTestSlack(TEST_BOT_TOKEN);
    slack = createSlackApp(testConfig(fake.apiUrl, SECRET), { logger: sink.logger('info'), port: 0, host: '127.0.0.1', now: () => NOW_MS });
    slack.app.command('/aws-ir', async ({ ack, command }) => {
      await ack();
      ran.push(command.text);
    });
    url = (await slack.start()).eventsUrl as string;
  });
  afterAll(async () => {
    await slack.stop();
    await fake.close();
  });

  const body = (text: string) => slashCommandBody({ text, user_id: ALICE, channel_id: TEST_CHANNEL });
  const at = (offsetSeconds: number, text: string) => postSigned(url, SECRET, body(text), { timestamp: NOW_S + offsetSeconds });

  it('accepts 4:59 in the past and in the future', async () => {
    ran.length = 0;
    const past = await at(-299, 'past 4:59');
    const future = await at(299, 'future 4:59');
    expect([past.status, future.status]).toEqual([200, 200]);
    expect(ran).toEqual(['past 4:59', 'future 4:59']);
  });

  it('refuses 5:01 both ways and 10 min / 1 h / 1 day in the future with 401, one log line each, listener never run', async () => {
    ran.length = 0;
    const mark = sink.mark();
    const offsets = [-301, 301, 600, 3600, 86_400, -3600, -86_400];
    const results: SlackHttpResponse[] = [];
    for (const offset of offsets) results.push(await at(offset, `offset ${offset}`));
    expect(results.map((r) => r.status)).toEqual(offsets.map(() => 401));
    expect(ran).toEqual([]);
    const refusals = sink.since(mark);
    expect(refusals).toHaveLength(offsets.length);
    expect(refusals.map((l) => l.reason)).toEqual([
      'X-Slack-Request-Timestamp is more than 5 minutes in the past',
      ...Array.from({ length: 4 }, () => 'X-Slack-Request-Timestamp is more than 5 minutes in the future'),
      'X-Slack-Request-Timestamp is more than 5 minutes in the past',
      'X-Slack-Request-Timestamp is more than 5 minutes in the past',
    ]);
    const futureAccepted = results.slice(1, 5).filter((r) => r.status < 400).length;
    process.stdout.write(`signature window: future-dated accepted ${futureAccepted} of 4, stale accepted 0 of 3\n`);
  });

  it('refuses no headers, an altered body, the wrong secret and a forged signature with 401, and an oversized body with 413', async () => {
    ran.length = 0;
    const mark = sink.mark();
    const headerless = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body('no headers') });
    const altered = await postSigned(url, SECRET, body('altered'), { timestamp: NOW_S, signature: slackSignature(SECRET, NOW_S, body('original')) });
    const wrongSecret = await postSigned(url, 'not-the-signing-secret', body('wrong secret'), { timestamp: NOW_S });
    const forged = await postSigned(url, SECRET, body('forged'), { timestamp: NOW_S, signature: `v0=${'0'.repeat(64)}` });
    const huge = body(`x${'y'.repeat(BODY_LIMIT_BYTES)}`);
    const oversized = await postSigned(url, SECRET, huge, { timestamp: NOW_S });
    expect([headerless.status, altered.status, wrongSecret.status, forged.status, oversized.status]).toEqual([401, 401, 401, 401, 413]);
    expect(ran).toEqual([]);
    expect(sink.since(mark).map((l) => l.status)).toEqual([401, 401, 401, 401, 413]);
    // The log says why, never what was sent.
    expect(sink.text()).not.toContain('wrong secret');
    expect(sink.text()).not.toContain('yyyyyyyy');
  });

  it('answers health checks and nothing else without a signature', async () => {
    const base = url.replace('/slack/events', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(url)).status).toBe(405);
    expect((await fetch(`${base}/other`, { method: 'POST', body: 'x' })).status).toBe(404);
  });
});

describe('the whole app: future-dated requests change nothing', () => {
  let h: AppHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('does not start a scan or approve a request when the timestamp is 10 min, 1 h or 1 day ahead', async () => {
    const scan = fakeScan();
    h = await startAppHarness({ services: { runScan: scan } });
    const now = new Date();
    const request: ActionRequest = {
      id: 'req-future-dated',
      action: 'key.deactivate',
      target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' },
      account: '111122223333',
      channel: TEST_CHANNEL,
      threadTs: '1700000000.000100',
      requestedBy: ALICE,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
      status: 'pending',
      dryRun: false,
      messageTs: '1700000000.000300',
    };
    await h.services.store.createRequest(request);
    const auditBefore = (await h.services.store.listAudit({})).length;
    const command = slashCommandBody({ text: 'scan', user_id: ALICE, channel_id: TEST_CHANNEL });
    const approve = interactionBody(
      blockActionPayload({
        actionId: buttonActionId(ACTION.approve, 0),
        value: JSON.stringify({ requestId: request.id }),
        userId: BOB,
        channelId: TEST_CHANNEL,
        messageTs: '1700000000.000300',
      }),
    );
    const statuses: number[] = [];
    for (const ahead of [10 * 60, 3600, 86_400]) {
      for (const b of [command, approve]) {
        statuses.push((await postSigned(h.eventsUrl, h.signingSecret, b, { timestamp: Math.floor(Date.now() / 1000) + ahead })).status);
      }
    }
    await h.idle();
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    expect(scan.calls).toHaveLength(0);
    expect((await h.services.store.getRequest(request.id))?.status).toBe('pending');
    expect(await h.services.store.listAudit({})).toHaveLength(auditBefore);
    expect(h.slack.webApi.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);

    // Signed now, the same command does run: the refusals were the clock's doing.
    expect((await postSigned(h.eventsUrl, h.signingSecret, command)).status).toBe(200);
    await h.idle();
    expect(scan.calls).toHaveLength(1);
  });
});
