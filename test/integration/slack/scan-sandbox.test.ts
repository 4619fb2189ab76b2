/**
 * The real scan engine against the sandbox account (`compromised-key` scenario), driven through the
 * real Bolt app over HTTP: the channel sees each sign of compromise under its runbook step, with the
 * buttons for the response, and every message fits Slack's limits.
 */
import { runScan } from '../../../src/scan/engine';
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { ACTION, type RequestButtonValue } from '../../../src/slack-ids';
import { startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

jest.setTimeout(120_000);

/** The sandbox's clock and throttling, and the app's pacing and polls, on one virtual time: nobody waits. */
const time = new VirtualTime();
describe('/aws-ir scan against the sandbox account', () => {
  let sandbox: RunningSandbox;
  let h: AppHarness;

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'compromised-key', ...sandboxClock(time) });
    const target = sandboxTestTarget(sandbox, time);
    h = await startAppHarness({ services: { runScan, scanTarget: target, remediationTarget: target, clock: time } });
  });
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
  });

  it("reports the scenario's signs of compromise under their runbook steps, with buttons", async () => {
    const res = await h.command('scan --days 7');
    expect(res.status).toBe(200);
    await h.idle();

    const record = await h.services.store.latestScan(TEST_CHANNEL);
    expect(record?.status).toBe('done');
    const result = record?.result;
    expect(result?.account).toBe(sandbox.accountId);

    const posts = h.slack.webApi.callsTo('chat.postMessage');
    const updates = h.slack.webApi.callsTo('chat.update');
    for (const c of [...posts, ...updates]) expectWithinBlockKitLimits(c.args.blocks as unknown[], String(c.args.text));
    const threadTs = record?.threadTs;
    for (const p of posts.slice(1)) expect(p.args.thread_ts).toBe(threadTs);

    const text = posts.map((p) => JSON.stringify(p.args.blocks)).join('\n');
    // The planted signs (see scenarios/compromised-key.json), each somewhere in the findings.
    for (const sign of ['ci-deploy', 'svc-backup', 'ops-support', 'AWSCompromisedKeyQuarantine']) expect(text).toContain(sign);
    expect(text).toMatch(/· R2 /);
    expect(text).toMatch(/· D5 /);

    // Buttons refer to findings stored with the scan.
    const values = posts
      .flatMap((p) => (p.args.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]) ?? [])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.action_id?.startsWith(`${ACTION.requestAction}:`))
      .map((e) => JSON.parse(e.value as string) as RequestButtonValue);
    expect(values.length).toBeGreaterThan(0);
    const ids = new Set(result?.findings.map((f) => f.id));
    for (const v of values) expect(ids.has(v.findingId)).toBe(true);
    expect(values.some((v) => v.action === 'key.deactivate')).toBe(true);

    // The summary replaced the first message.
    const summary = h.slack.message(TEST_CHANNEL, threadTs as string);
    expect(JSON.stringify(summary?.blocks)).toContain(`AWS IR scan of account ${sandbox.accountId}`);
  });

  it("/aws-ir trail shows the leaked key's activity from the sandbox's event history", async () => {
    const before = h.slack.webApi.callsTo('chat.postMessage').length;
    const res = await h.command('trail AKIACIDEPLOYLEAKED01 --days 7');
    expect(res.status).toBe(200);
    await h.idle();
    const posts = h.slack.webApi.callsTo('chat.postMessage').slice(before);
    expect(posts.length).toBeGreaterThan(1);
    const text = posts.map((p) => JSON.stringify(p.args.blocks)).join('\n');
    expect(text).toContain('CreateUser');
    expect(text).toContain('RunInstances');
    expect(text).toMatch(/in [2-9]\d* regions/);
    const intro = [...h.slack.messages()].find((m) => !m.threadTs && String(m.text).includes('looked up the CloudTrail activity'));
    expect(intro).toBeDefined();
    expect(posts[0].args.thread_ts).toBeUndefined();
    for (const p of posts.slice(1)) expect(p.args.thread_ts).toBe(intro?.ts);
  });

  it('the investigate button posts real last-accessed data for a flagged user', async () => {
    const scan = await h.services.store.latestScan(TEST_CHANNEL);
    const finding = scan?.result?.findings.find((f) => f.target?.kind === 'user' && f.target.userName === 'svc-backup');
    expect(finding).toBeDefined();
    const before = h.slack.webApi.callsTo('chat.postMessage').length;
    const value = JSON.stringify({ scanId: scan?.id, findingId: finding?.id });
    await h.click(`${ACTION.investigate}:0`, value, { messageTs: scan?.threadTs as string, threadTs: scan?.threadTs });
    await h.waitFor(() => h.slack.webApi.callsTo('chat.postMessage').length > before, 30_000, 'last-accessed post');
    await h.idle();
    const posts = h.slack.webApi.callsTo('chat.postMessage').slice(before);
    expect(posts.every((p) => p.args.thread_ts === scan?.threadTs)).toBe(true);
    const text = posts.map((p) => JSON.stringify(p.args.blocks)).join('\n');
    expect(text).toContain('Last accessed — IAM user svc-backup');
    expect(text).toMatch(/\d+ services? used/);
  });

  it('investigates the owner of a leaked key even when the user has an IAM path', async () => {
    const scan = await h.services.store.latestScan(TEST_CHANNEL);
    const finding = scan?.result?.findings.find((f) => f.target?.kind === 'access-key' && f.target.userName === 'ci-deploy');
    expect(finding).toBeDefined();
    const before = h.slack.webApi.callsTo('chat.postMessage').length;
    await h.click(`${ACTION.investigate}:1`, JSON.stringify({ scanId: scan?.id, findingId: finding?.id }), {
      messageTs: scan?.threadTs as string,
      threadTs: scan?.threadTs,
    });
    await h.waitFor(() => h.slack.webApi.callsTo('chat.postMessage').length > before, 30_000, 'last-accessed post');
    await h.idle();
    const text = h.slack.webApi
      .callsTo('chat.postMessage')
      .slice(before)
      .map((p) => JSON.stringify(p.args.blocks))
      .join('\n');
    expect(text).toContain('Last accessed — IAM user ci-deploy (owner of AKIACIDEPLOYLEAKED01)');
    expect(text).not.toContain('did not finish');
  });
});
