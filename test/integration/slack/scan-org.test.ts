/**
 * `/aws-ir scan --org` through the real Bolt app over HTTP against the sandbox organization: the
 * channel's first message becomes the organization's summary (accounts ranked, the story across
 * accounts, the accounts not scanned with their reason), the thread has one section per account with
 * findings and their buttons, every message fits Slack's limits, and a member account's button asks
 * for an action that, once a second responder approves, runs in that member account.
 */
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { isOrgSweepResult } from '../../../src/org/model';
import { runScan } from '../../../src/scan/engine';
import { ACTION, BLOCK, VIEW, buttonActionId, type RequestButtonValue } from '../../../src/slack-ids';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

jest.setTimeout(120_000);

/** The sandbox's clock and throttling, and the app's pacing and polls, on one virtual time: nobody waits. */
const time = new VirtualTime();
describe('/aws-ir scan --org against the sandbox organization', () => {
  let sandbox: RunningSandbox;
  let h: AppHarness;

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'organization', ...sandboxClock(time) });
    const target = sandboxTestTarget(sandbox, time);
    h = await startAppHarness({ services: { runScan, scanTarget: target, remediationTarget: target, clock: time } });
  });
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
  });

  it('posts the ranked summary and a thread section per account, and a member button acts in that member after approval', async () => {
    const res = await h.command('scan --org', { user: ALICE });
    expect(res.status).toBe(200);
    await h.idle();

    const record = await h.services.store.latestScan(TEST_CHANNEL);
    expect(record?.status).toBe('done');
    const result = record?.result;
    if (!isOrgSweepResult(result)) throw new Error('not an organization sweep result');
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    for (const c of [...posts, ...h.slack.webApi.callsTo('chat.update')]) expectWithinBlockKitLimits(c.args.blocks as unknown[], String(c.args.text));

    const summary = JSON.stringify(h.slack.message(TEST_CHANNEL, record!.threadTs!)?.blocks);
    expect(summary).toContain('AWS IR organization sweep from account 222200000000');
    expect(summary).toContain('Accounts by their worst story and finding');
    expect(summary.indexOf('222200000001')).toBeLessThan(summary.indexOf('222200000004'));
    expect(summary).toContain('185.220.101.34');
    expect(summary).toMatch(/Not scanned\* \(2\)/);
    expect(summary).toContain('could not assume arn:aws:iam::222200000006:role/aws-ir-scan');

    const thread = posts
      .filter((p) => p.args.thread_ts === record!.threadTs)
      .map((p) => JSON.stringify(p.args.blocks))
      .join('\n');
    for (const a of ['222200000000', '222200000001', '222200000002', '222200000003', '222200000004']) expect(thread).toContain(`Account ${a}`);
    expect(thread).toContain('legacy-app');

    // A member account's button: its value names the sweep and the finding; the target comes from the store.
    const buttons = posts
      .flatMap((p) => (p.args.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]) ?? [])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .filter((e) => e.action_id?.startsWith(`${ACTION.requestAction}:`));
    const leaked = result.findings.find(
      (f) => f.account === '222200000001' && f.target?.kind === 'access-key' && f.target.userName === 'ci-deploy' && f.actions.includes('key.deactivate'),
    )!;
    const button = buttons.find((b) => {
      const v = JSON.parse(b.value!) as RequestButtonValue;
      return v.findingId === leaked.id && v.action === 'key.deactivate';
    });
    expect(button).toBeDefined();
    const opens = h.slack.webApi.callsTo('views.open').length;
    await h.click(button!.action_id!, button!.value!, { user: ALICE, messageTs: record!.threadTs!, threadTs: record!.threadTs! });
    await h.waitFor(() => h.slack.webApi.callsTo('views.open').length > opens, 5000, 'views.open');
    const view = h.slack.webApi.callsTo('views.open').at(-1)!.args.view as { private_metadata: string };
    await h.submitView({
      callbackId: VIEW.requestReason,
      userId: ALICE,
      privateMetadata: view.private_metadata,
      viewId: 'V0ORGFORM1',
      values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'same attacker as prod-data' } } },
    });
    await h.idle();
    const request = (await h.services.store.listRequests({ channel: TEST_CHANNEL })).at(-1)!;
    expect(request).toMatchObject({ status: 'pending', account: '222200000001', memberAccount: true });
    expect(JSON.stringify(h.slack.message(TEST_CHANNEL, request.messageTs!)?.blocks)).toContain('222200000001');
    await h.click(buttonActionId(ACTION.approve, 0), JSON.stringify({ requestId: request.id }), {
      user: BOB,
      messageTs: request.messageTs!,
      threadTs: record!.threadTs!,
    });
    await h.idle();
    expect((await h.services.store.getRequest(request.id))?.status).toBe('succeeded');
    const key = leaked.target?.kind === 'access-key' ? leaked.target.accessKeyId : '';
    expect(
      sandbox
        .account('222200000001')!
        .users.flatMap((u) => u.accessKeys)
        .find((k) => k.accessKeyId === key)?.status,
    ).toBe('Inactive');
  });

  it('answers a bad narrowing at once, privately', async () => {
    const res = await h.command('scan --accounts 123', { user: ALICE });
    expect(res.status).toBe(200);
    expect(res.json?.response_type).toBe('ephemeral');
    expect(String(res.json?.text)).toContain('--accounts narrows an organization sweep: add --org.');
  });
});
