/**
 * `/aws-ir scan` through the real Bolt app over HTTP with signed requests, its Web API pointed at a
 * Slack stand-in: acknowledgement time while a slow scan runs, where every message goes (thread_ts),
 * progress updates, the summary, the findings with their buttons, and Block Kit limits.
 */
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { CHECK_IDS } from '../../../src/scan/model';
import { ACTION, type RequestButtonValue } from '../../../src/slack-ids';
import { ALICE, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import type { RecordedCall } from '@aws-ir/slack-standin';
import { ACCOUNT, compromisedKeyFindings, fakeScan, manyFindings, sampleGaps } from '../../support/scan-fixtures';
import { VirtualTime } from '../../support/virtual-time';

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: { text: string } }[] };

function blocksOf(call: RecordedCall): Block[] {
  return (call.args.blocks as Block[] | undefined) ?? [];
}

function allText(call: RecordedCall): string {
  return JSON.stringify(call.args.blocks ?? []) + String(call.args.text ?? '');
}

describe('/aws-ir scan over HTTP', () => {
  let h: AppHarness;
  afterEach(async () => {
    await h?.close();
  });

  it("acknowledges while a slow scan runs, then posts everything in the first message's thread", async () => {
    // A scan of 1.5 s, its progress coalesced by the app: both on virtual time, so nobody waits. The scan
    // goes on once its progress message is in the thread, as a real one would long before it finished.
    const clock = new VirtualTime();
    let progressPosted: () => void = () => undefined;
    const until = new Promise<void>((resolve) => {
      progressPosted = resolve;
    });
    const scan = fakeScan({ findings: compromisedKeyFindings(), gaps: sampleGaps(), durationMs: 1500, clock, until });
    h = await startAppHarness({ services: { runScan: scan, clock } });
    const harness = h;
    void harness.slack.webApi.until(() => harness.slack.webApi.callsTo('chat.postMessage').some((c) => c.args.thread_ts !== undefined)).then(progressPosted);

    const res = await h.command('scan --days 3 --regions us-east-1,eu-west-1');
    expect(res.status).toBe(200);
    // The ack returns before the scan has done any real work.
    expect(h.slack.webApi.callsTo('chat.update').length).toBe(0);

    await h.idle();
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    const first = posts[0];
    expect(first.args.channel).toBe(TEST_CHANNEL);
    expect(first.args.thread_ts).toBeUndefined();
    expect(String(first.args.text)).toContain(`<@${ALICE}> started a scan of AWS account ${ACCOUNT}`);
    expect(String(first.args.text)).toContain('last 3 days');
    expect(String(first.args.text)).toContain('us-east-1, eu-west-1');
    const firstTs = h.slack.message(TEST_CHANNEL, h.slack.messages()[0].ts)?.ts;
    expect(firstTs).toBeDefined();
    for (const p of posts.slice(1)) expect(p.args.thread_ts).toBe(firstTs);

    // The scan got the parsed options.
    expect(scan.calls[0].options.days).toBe(3);
    expect(scan.calls[0].options.regions).toEqual(['us-east-1', 'eu-west-1']);

    // One progress message in the thread, updated as checks finished, ending as "finished".
    const progressTs = h.slack.threadReplies(TEST_CHANNEL, firstTs as string)[0].ts;
    const progressUpdates = h.slack.webApi.callsTo('chat.update').filter((c) => c.args.ts === progressTs);
    expect(progressUpdates.length).toBeGreaterThan(1);
    expect(allText(progressUpdates[progressUpdates.length - 1])).toContain('Scan finished');
    // Coalesced: fewer updates than progress events (3 per check), not one chat.update per event.
    expect(progressUpdates.length).toBeLessThan(CHECK_IDS.length * 3);

    // The first message became the summary.
    const summary = h.slack.message(TEST_CHANNEL, firstTs as string);
    const summaryText = JSON.stringify(summary?.blocks);
    expect(summaryText).toContain(`AWS IR scan of account ${ACCOUNT}`);
    expect(summaryText).toContain('Critical: *4*');
    expect(summaryText).toContain('Most severe');
    expect(summaryText).toContain('Could not be checked');
    expect(summaryText).toContain('me-south-1');

    // Findings by priority (severity, then runbook step), each keeping its runbook-step label, with
    // request buttons that carry RequestButtonValue JSON.
    const findingPosts = posts.slice(2);
    const text = findingPosts.map(allText).join('\n');
    for (const step of ['· D4 ', '· D5 ', '· R1 ', '· R2 ', '· R5 ', '· R8 ']) expect(text).toContain(step);
    expect(text.indexOf('Critical · R1 ')).toBeLessThan(text.indexOf('High · D4 '));
    expect(text.indexOf('High · R5 ')).toBeLessThan(text.indexOf('Medium · R8 '));
    const buttons = findingPosts
      .flatMap(blocksOf)
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? []);
    const requestButtons = buttons.filter((b) => b.action_id?.startsWith(`${ACTION.requestAction}:`));
    const values = requestButtons.map((b) => JSON.parse(b.value as string) as RequestButtonValue);
    const record = await h.services.store.latestScan(TEST_CHANNEL);
    expect(record?.status).toBe('done');
    expect(values.every((v) => v.scanId === record?.id)).toBe(true);
    expect(values.map((v) => v.action)).toEqual(expect.arrayContaining(['key.deactivate', 'user.delete', 'role.revoke-sessions', 'instance.isolate']));
    expect(buttons.some((b) => b.action_id?.startsWith(`${ACTION.investigate}:`))).toBe(true);
    // Root keys: guidance, no button.
    expect(text).toContain('root user has an active access key');
    expect(text).toContain('What to do:');
    // Every message within limits.
    for (const c of [...posts, ...h.slack.webApi.callsTo('chat.update')]) expectWithinBlockKitLimits(c.args.blocks as unknown[], String(c.args.text));
  });

  it('splits hundreds of findings into several thread messages, each within Block Kit limits', async () => {
    const findings = manyFindings(400);
    h = await startAppHarness({
      services: {
        runScan: fakeScan({
          findings,
          gaps: Array.from({ length: 40 }, (_, i) => ({ check: 'cloudtrail' as const, region: `r-${i}`, reason: 'Access denied. '.repeat(10) })),
        }),
      },
    });
    await h.command('scan');
    await h.idle();
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    // Nothing refused by the stand-in (which rejects like Slack), and many messages in the thread.
    expect(posts.length).toBeGreaterThan(10);
    for (const c of [...posts, ...h.slack.webApi.callsTo('chat.update')]) {
      expect(c.args.blocks).toBeDefined();
      expectWithinBlockKitLimits(c.args.blocks as unknown[], String(c.args.text));
    }
    // Every finding with actions got its buttons somewhere, and action_ids are unique per message.
    const perMessage = posts.map((p) =>
      blocksOf(p)
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements ?? [])
        .map((e) => e.action_id),
    );
    for (const ids of perMessage) expect(new Set(ids).size).toBe(ids.length);
    const requested = new Set(
      posts
        .flatMap(blocksOf)
        .filter((b) => b.type === 'actions')
        .flatMap((b) => b.elements ?? [])
        .filter((e) => e.action_id?.startsWith(`${ACTION.requestAction}:`))
        .map((e) => (JSON.parse(e.value as string) as RequestButtonValue).findingId),
    );
    expect(requested.size).toBe(findings.filter((f) => f.actions.length && f.target).length);
  });

  it('answers malformed flags with an ephemeral message and starts nothing', async () => {
    const scan = fakeScan();
    h = await startAppHarness({ services: { runScan: scan } });
    for (const text of ['scan --days 0', 'scan --days 91', 'scan --days x', 'scan --regions nowhere', 'scan --bogus 1', 'scan --days']) {
      const res = await h.command(text);
      expect(res.status).toBe(200);
      expect(res.json?.response_type).toBe('ephemeral');
      expect(String(res.json?.text)).not.toMatch(/\bat \w+ \(/); // no stack
    }
    expect(String((await h.command('scan --days 0')).json?.text)).toContain('--days must be a whole number from 1 to 90');
    await h.idle();
    expect(scan.calls).toHaveLength(0);
    expect(h.slack.webApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('runs one scan at a time per channel and says so privately', async () => {
    let finish = () => {};
    const scan = fakeScan({
      until: new Promise<void>((resolve) => {
        finish = resolve;
      }),
    });
    h = await startAppHarness({ services: { runScan: scan } });
    await h.command('scan');
    await h.waitFor(async () => (await h.services.store.latestScan(TEST_CHANNEL))?.status === 'running', 5000, 'scan record');
    await h.command('scan', { user: 'U0BOB' });
    await h.command('scan', { channel: 'C0OTHER' });
    finish();
    await h.idle();
    expect(scan.calls).toHaveLength(2);
    const replies = h.slack.webApi.callsTo('response_url');
    expect(replies).toHaveLength(1);
    expect(String(replies[0].args.text)).toContain(`A scan started by <@${ALICE}> is still running`);
    // Once it is done, a new scan may start.
    await h.command('scan');
    await h.idle();
    expect(scan.calls).toHaveLength(3);
  });

  it('accepts the em dash Slack substitutes for "--"', async () => {
    const scan = fakeScan();
    h = await startAppHarness({ services: { runScan: scan } });
    await h.command('scan \u2014days 14');
    await h.idle();
    expect(scan.calls[0].options.days).toBe(14);
  });

  it('reports a failed scan as a plain sentence in the thread, never a stack', async () => {
    const err = Object.assign(new Error('User: arn:aws:sts::111122223333:assumed-role/x is not authorized\n    at Foo (bar.js:1:1)'), { name: 'AccessDenied' });
    h = await startAppHarness({ services: { runScan: fakeScan({ error: err }) } });
    await h.command('scan');
    await h.idle();
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    const last = posts[posts.length - 1];
    expect(last.args.thread_ts).toBeDefined();
    expect(String(last.args.text)).toContain('The scan did not finish. AWS denied aws-ir access.');
    expect(JSON.stringify(h.slack.webApi.calls)).not.toContain('bar.js');
    expect((await h.services.store.latestScan(TEST_CHANNEL))?.status).toBe('failed');
  });

  it('says in the thread when the results could not all be posted', async () => {
    h = await startAppHarness({ services: { runScan: fakeScan({ findings: compromisedKeyFindings() }) } });
    h.slack.webApi.failNext('chat.update', 'ratelimited', 1000);
    await h.command('scan');
    await h.idle();
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    const last = posts[posts.length - 1];
    expect(String(last.args.text)).toContain('not all of its results could be posted here. Slack is rate-limiting aws-ir');
    expect((await h.services.store.latestScan(TEST_CHANNEL))?.status).toBe('done');
    // The progress message's last update was sent before the scan's work ended, not left to a timer.
    expect(h.slack.webApi.callsTo('chat.update').some((c) => String(c.args.text) === 'Scan finished.')).toBe(true);
  });

  it('tells the user privately when it cannot post in the channel', async () => {
    const scan = fakeScan();
    h = await startAppHarness({ services: { runScan: scan } });
    h.slack.webApi.failNext('chat.postMessage', 'not_in_channel');
    await h.command('scan');
    await h.idle();
    const replies = h.slack.webApi.callsTo('response_url');
    expect(replies).toHaveLength(1);
    expect(replies[0].args.response_type).toBe('ephemeral');
    expect(String(replies[0].args.text)).toContain('/invite @aws-ir');
    expect(scan.calls).toHaveLength(0);
  });

  it('marks every message as a drill in drill mode', async () => {
    h = await startAppHarness({ config: { drill: true }, services: { runScan: fakeScan({ findings: compromisedKeyFindings() }) } });
    await h.command('scan');
    await h.idle();
    const messages = [...h.slack.webApi.callsTo('chat.postMessage'), ...h.slack.webApi.callsTo('chat.update')];
    expect(messages.length).toBeGreaterThan(3);
    for (const m of messages) {
      expect(String(m.args.text)).toMatch(/^\[DRILL\]/);
      expect(JSON.stringify(m.args.blocks)).toContain('*DRILL*');
    }
    expect(String((await h.command('help')).json?.text)).toMatch(/^\[DRILL\]/);
  });
});
