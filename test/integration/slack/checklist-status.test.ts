/**
 * The incident checklist, `/aws-ir status` and `/aws-ir evidence` through the real Bolt app with
 * signed requests: a guided finding becomes an open item, "Mark done" is one person's audited word
 * (the message says aws-ir did not verify it), the next scan closes what it re-reads, only responders
 * may attest, and status lists waiting and interrupted requests.
 */
import { ACTION } from '../../../src/slack-ids';
import { findingId } from '../../../src/scan/ids';
import type { Finding } from '../../../src/scan/model';
import type { StoredMessage } from '@aws-ir/slack-standin';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { ACCOUNT, fakeScan } from '../../support/scan-fixtures';
import { blockActionPayload, sendInteraction } from '../../support/signed-request';
import { pendingRequest } from '../../unit/remediation/helpers';

const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const rootKeys: Finding = {
  id: findingId(ACCOUNT, 'credential-report', `${ROOT}#root-keys`),
  check: 'credential-report',
  severity: 'high',
  step: 'R1',
  title: 'The root user has 1 active access key',
  resources: [ROOT],
  evidence: {},
  actions: [],
  guidance: 'Sign in as the root user and delete the key.',
};

/** Runs a scan with these findings and waits for all of its messages. */
async function scanWith(h: AppHarness, findings: Finding[]): Promise<void> {
  h.services.runScan = fakeScan({ findings });
  await h.command('scan');
  await h.idle();
  await h.waitFor(async () => (await h.services.store.latestScan(TEST_CHANNEL))?.status === 'done', 5000, 'scan done');
  await h.idle();
}

/** Sends `/aws-ir status` and returns the posted message holding the item's Mark done button. */
async function statusMessage(h: AppHarness): Promise<StoredMessage> {
  const withButton = () => [...h.slack.messages()].reverse().find((m) => JSON.stringify(m.blocks ?? []).includes(ACTION.markItemDone));
  await h.command('status');
  await h.waitFor(() => withButton() !== undefined, 5000, 'status message with a Mark done button');
  // A copy: the stand-in updates stored messages in place, and later clicks must carry what Slack showed then.
  return structuredClone(withButton()!);
}

function markDoneButton(msg: StoredMessage): { action_id: string; value: string } {
  const block = (msg.blocks as { accessory?: { action_id: string; value: string } }[]).find((b) => b.accessory?.action_id.startsWith(ACTION.markItemDone));
  return block!.accessory!;
}

async function clickMarkDone(h: AppHarness, msg: StoredMessage, user: string): Promise<void> {
  const button = markDoneButton(msg);
  const res = await sendInteraction(
    h.eventsUrl,
    h.signingSecret,
    blockActionPayload({
      actionId: button.action_id,
      value: button.value,
      userId: user,
      channelId: TEST_CHANNEL,
      messageTs: msg.ts,
      ...(msg.threadTs ? { threadTs: msg.threadTs } : {}),
      message: { type: 'message', ts: msg.ts, thread_ts: msg.threadTs, text: msg.text, blocks: msg.blocks },
    }),
  );
  expect(res.status).toBe(200);
  await h.idle();
}

describe('incident checklist in Slack', () => {
  let h: AppHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('opens an item from a guided finding, lets one person mark it done, and closes it with the next scan', async () => {
    h = await startAppHarness();
    await scanWith(h, [rootKeys]);
    const thread = (await h.services.store.latestScan(TEST_CHANNEL))?.threadTs;
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    expect(posts.some((p) => String(p.args.text).includes('Incident checklist: 1 new open item') && p.args.thread_ts === thread)).toBe(true);

    const msg = await statusMessage(h);
    // A shared answer is a new message in the channel, where the person who asked is looking.
    expect(msg.threadTs).toBeUndefined();
    expect(JSON.stringify(msg.blocks)).toContain('The root user has 1 active access key');

    await clickMarkDone(h, msg, BOB);
    const updated = h.slack.message(TEST_CHANNEL, msg.ts)!;
    const text = JSON.stringify(updated.blocks);
    expect(text).toContain('marked done by <@U0BOB>');
    expect(text).toContain('aws-ir did not verify this in AWS yet');
    expect(text).not.toContain(ACTION.markItemDone);
    const done = (await h.services.store.listAudit({ channel: TEST_CHANNEL })).filter((e) => e.kind === 'checklist.done');
    expect(done).toEqual([expect.objectContaining({ user: BOB, data: expect.objectContaining({ attestation: true, verifiedInAws: false }) })]);

    // A second click (another responder, stale message) is told who already did it; nothing new is recorded.
    await clickMarkDone(h, msg, ALICE);
    const ephemeral = h.slack.webApi.callsTo('chat.postEphemeral').pop()!;
    expect(ephemeral.args).toMatchObject({ user: ALICE, text: expect.stringContaining('<@U0BOB> already marked this item done') });
    expect((await h.services.store.listAudit({ channel: TEST_CHANNEL })).filter((e) => e.kind === 'checklist.done')).toHaveLength(1);

    // The next scan's credential report no longer shows root keys: the item is verified.
    await new Promise((r) => setTimeout(r, 5));
    await scanWith(h, []);
    expect(await h.services.store.listOpenItems({ channel: TEST_CHANNEL })).toEqual([
      expect.objectContaining({ status: 'verified', note: expect.stringContaining('Verified by scan') }),
    ]);
    expect(h.slack.webApi.callsTo('chat.postMessage').some((p) => String(p.args.text).includes('1 item closed because this scan no longer shows it'))).toBe(
      true,
    );
  });

  it('lets only responders mark items done', async () => {
    h = await startAppHarness({ config: { remediation: { responders: [ALICE], protectedArns: [], dryRun: false, requestTtlMinutes: 30 } } });
    await scanWith(h, [rootKeys]);
    const msg = await statusMessage(h);
    await clickMarkDone(h, msg, BOB);
    expect(h.slack.webApi.callsTo('chat.postEphemeral').pop()!.args).toMatchObject({ user: BOB });
    expect(await h.services.store.listOpenItems({ channel: TEST_CHANNEL, status: 'open' })).toHaveLength(1);
    expect(
      (await h.services.store.listAudit({ channel: TEST_CHANNEL })).some(
        (e) => e.kind === 'request.refused' && e.user === BOB && e.data.attempted === 'mark done',
      ),
    ).toBe(true);
    await clickMarkDone(h, msg, ALICE);
    expect(await h.services.store.listOpenItems({ channel: TEST_CHANNEL, status: 'done' })).toEqual([expect.objectContaining({ closedBy: ALICE })]);
  });

  it('ignores a tampered button value', async () => {
    h = await startAppHarness();
    await scanWith(h, [rootKeys]);
    const res = await h.click(`${ACTION.markItemDone}:0`, '{"itemId": 42}', { user: BOB, messageTs: '1.1' });
    expect(res.status).toBe(200);
    await h.idle();
    expect(String(h.slack.webApi.callsTo('chat.postEphemeral').pop()!.args.text)).toContain('does not recognise this button');
    expect(await h.services.store.listOpenItems({ channel: TEST_CHANNEL, status: 'open' })).toHaveLength(1);
  });

  it('status lists requests waiting for approval and interrupted ones, and R1 replacement keys after a deactivation', async () => {
    h = await startAppHarness();
    const store = h.services.store;
    const future = new Date(Date.now() + 600_000).toISOString();
    await store.createRequest(pendingRequest({ id: 'req-wait', channel: TEST_CHANNEL, expiresAt: future }));
    await store.createRequest(pendingRequest({ id: 'req-old', channel: TEST_CHANNEL, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    await store.createRequest(pendingRequest({ id: 'req-cut', channel: TEST_CHANNEL, status: 'interrupted', decidedBy: BOB, expiresAt: future }));
    await store.createRequest(pendingRequest({ id: 'req-done', channel: TEST_CHANNEL, status: 'succeeded', decidedBy: BOB, expiresAt: future }));
    const msg = await statusMessage(h);
    const all = h.slack.webApi
      .callsTo('chat.postMessage')
      .map((c) => JSON.stringify(c.args.blocks))
      .join('\n');
    expect(all).toContain('req-wait');
    expect(all).not.toContain('req-old');
    expect(all).toContain('req-cut');
    expect(all).toContain('check the resource in AWS by hand');
    expect(JSON.stringify(msg.blocks)).toContain('The owner of IAM user ci-deploy creates a replacement access key');
    expect(JSON.stringify(msg.blocks)).toContain('never creates keys');
  });

  it('answers privately when nothing is waiting or recorded, and refuses extra words', async () => {
    h = await startAppHarness();
    await h.command('status', { responseId: 'status' });
    await h.command('evidence', { responseId: 'evidence' });
    await h.waitFor(() => h!.slack.webApi.callsTo('response_url').length >= 2, 5000, 'responses');
    const texts = h.slack.webApi.callsTo('response_url').map((c) => String(c.args.text));
    expect(texts.some((t) => t.includes('Nothing is waiting'))).toBe(true);
    expect(texts.some((t) => t.includes('no snapshot and saved no configuration'))).toBe(true);
    expect(h.slack.webApi.callsTo('chat.postMessage')).toHaveLength(0);
    const res = await h.command('status now');
    expect(String(res.json?.text)).toContain('takes no arguments');
    const help = await h.command('help');
    expect(String(help.json?.text)).toMatch(/status.*\n.*evidence/);
  });
});
