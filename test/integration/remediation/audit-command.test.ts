/** `/aws-ir audit` through the real Bolt app: the channel's record is posted in the latest scan's thread. */
import { storeFinishedScan } from '../../support/stored-scan';
import { ALICE, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';

describe('/aws-ir audit', () => {
  let h: AppHarness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it("posts the channel's incident record as a new message in the channel", async () => {
    h = await startAppHarness();
    const store = h.services.store;
    await storeFinishedScan(store, {
      id: 's1',
      channel: TEST_CHANNEL,
      threadTs: '1700000000.000100',
      requestedBy: ALICE,
      startedAt: new Date().toISOString(),
      status: 'done',
    });
    await store.appendAudit({
      at: new Date().toISOString(),
      channel: TEST_CHANNEL,
      user: ALICE,
      kind: 'request.created',
      requestId: 'req-1',
      data: { action: 'key.deactivate', target: 'access key AKIAEXAMPLE0001 of user ci-deploy' },
    });
    await store.appendAudit({
      at: new Date().toISOString(),
      channel: 'C0OTHER',
      user: ALICE,
      kind: 'request.created',
      requestId: 'req-2',
      data: { action: 'user.delete', target: 'IAM user someone-else' },
    });

    const res = await h.command('audit');
    expect(res.status).toBe(200);
    await h.waitFor(() => h!.slack.webApi.callsTo('chat.postMessage').length > 0, 5000, 'audit post');
    await h.idle();
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    // A shared answer is a new message in the channel, never the end of the latest scan's thread.
    expect(posts[0]?.args.thread_ts).toBeUndefined();
    expect(posts.every((p) => p.args.thread_ts !== '1700000000.000100')).toBe(true);
    const text = posts.map((p) => JSON.stringify(p.args.blocks)).join('\n');
    expect(text).toContain('Incident record');
    expect(text).toContain('AKIAEXAMPLE0001');
    expect(text).not.toContain('someone-else');
  });

  it('says so when nothing is recorded', async () => {
    h = await startAppHarness();
    await h.command('audit', { responseId: 'empty' });
    await h.waitFor(() => h!.slack.webApi.callsTo('response_url').length > 0, 5000, 'response');
    expect(String(h.slack.webApi.callsTo('response_url')[0]!.args.text)).toContain('Nothing is recorded');
  });
});
