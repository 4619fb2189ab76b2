/**
 * Item 6 of issue 14: attacker-written text stays text. The sandbox's `hostile-names` scenario is
 * the compromised-key story with Slack control sequences in every field an attacker controls and the
 * scenario format carries (user, role and policy paths, descriptions, tags, security groups, key
 * pairs, user agents, request parameters, error messages, account names, contacts) and mention- or
 * e-mail-like IAM names. Through the real app, Bolt over HTTP and the Slack stand-in: a scan, requests
 * through the reason modal (with a hostile reason), approvals that run against the sandbox and save
 * evidence, Investigate, trail, status, evidence, audit, a refusal, and the restart announcement of
 * an action cut off on the policy whose path carries `<!channel>` and `<https://evil.example|…>`
 * (the message the issue found unescaped). Every text sent to Slack is scanned: no attacker text
 * renders as a mention or a link, and every message and modal is within Block Kit's limits.
 */
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { runScan } from '../../../src/scan/engine';
import { ACTION, BLOCK, VIEW, buttonActionId, type RequestButtonValue } from '../../../src/slack-ids';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest } from '../../../src/store/store';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { listenersIdle } from '../../support/hardening/listeners-idle';
import { scanSlackCalls } from '../../support/hardening/slack-markup';
import { sandboxClock } from '../../../src/sandbox-account';
import { sandboxTestTarget, VirtualTime } from '../../support/virtual-time';

jest.setTimeout(180_000);

let views = 0;

const POLICY_ARN = 'arn:aws:iam::111122223333:policy/<!channel>/<https://evil.example|click_to_approve>/backup-admin';
const HOSTILE_REASON = '<!channel> <https://evil.example|approve here> <@U0EVE666> & <#C0EVIL>';
/** Attacker text Slack would auto-link if it parsed it (not verbatim). */
const BARE = ['https://evil.example', 'helpdesk@evil.example', '#C0EVIL'];
/** The control sequences planted in the scenario, as they must appear: escaped. */
const ESCAPED = ['&lt;!channel&gt;', '&lt;!here&gt;', '&lt;https://evil.example|click_to_approve&gt;', '&lt;#C0EVIL&gt;', '&lt;@U0EVE666&gt;'];

interface Button {
  action_id: string;
  value: string;
}

function buttonsOf(h: AppHarness): Button[] {
  return h.slack.webApi.callsTo('chat.postMessage').flatMap((c) =>
    ((c.args.blocks as { type: string; elements?: Partial<Button>[] }[]) ?? [])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .filter((e): e is Button => typeof e.action_id === 'string' && typeof e.value === 'string'),
  );
}

/** The sandbox's clock and throttling, and the app's pacing and polls, on one virtual time: nobody waits. */
const time = new VirtualTime();
describe('hostile names in the AWS account', () => {
  let sandbox: RunningSandbox;
  let h: AppHarness;
  let idle: () => Promise<void>;

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'hostile-names', ...sandboxClock(time) });
    const target = sandboxTestTarget(sandbox, time);
    // An approved deletion of the hostile policy was running when aws-ir last stopped.
    const store = new SqliteStore(':memory:');
    const now = new Date();
    const interrupted: ActionRequest = {
      id: 'req-cut-off',
      action: 'policy.delete',
      target: { kind: 'policy', policyArn: POLICY_ARN },
      account: sandbox.accountId,
      channel: TEST_CHANNEL,
      threadTs: '1700000000.000100',
      requestedBy: ALICE,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
      status: 'executing',
      decidedBy: BOB,
      decidedAt: now.toISOString(),
      dryRun: false,
    };
    await store.createRequest(interrupted);
    h = await startAppHarness({ services: { runScan, scanTarget: target, remediationTarget: target, store, clock: time } });
    idle = listenersIdle(h);
  });
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
  });

  async function requestAndApprove(button: Button): Promise<ActionRequest> {
    const opens = h.slack.webApi.callsTo('views.open').length;
    await h.click(button.action_id, button.value, {
      user: ALICE,
      messageTs: '1700000000.000200',
      threadTs: (await h.services.store.latestScan(TEST_CHANNEL))?.threadTs,
    });
    await h.waitFor(() => h.slack.webApi.callsTo('views.open').length > opens, 10_000, 'the reason modal');
    const view = h.slack.webApi.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    const before = (await h.services.store.listRequests({ channel: TEST_CHANNEL })).length;
    await h.submitView({
      callbackId: VIEW.requestReason,
      // A new form each time: the same view id is a replay of one submission.
      viewId: `V0HOSTILE${++views}`,
      userId: ALICE,
      privateMetadata: view.private_metadata,
      values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: HOSTILE_REASON } } },
    });
    await idle();
    const requests = await h.services.store.listRequests({ channel: TEST_CHANNEL });
    expect(requests.length).toBe(before + 1);
    const request = requests.at(-1) as ActionRequest;
    await h.click(buttonActionId(ACTION.approve, 0), JSON.stringify({ requestId: request.id }), { user: BOB, messageTs: request.messageTs ?? '1.1' });
    await idle();
    return (await h.services.store.getRequest(request.id)) as ActionRequest;
  }

  it('shows every planted control sequence as text: 0 mentions, 0 links, every message within Block Kit limits', async () => {
    // The restart announcement (posted when the listeners were registered).
    await h.waitFor(
      () => h.slack.webApi.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('aws-ir stopped while')),
      10_000,
      'restart notice',
    );

    expect((await h.command('scan --days 7')).status).toBe(200);
    await idle();
    const scan = await h.services.store.latestScan(TEST_CHANNEL);
    expect(scan?.status).toBe('done');

    // Response actions on the hostile resources: the modal, the request, the approval, the result.
    const findings = scan?.result?.findings ?? [];
    const wanted: [string, (v: RequestButtonValue) => boolean][] = [
      ['policy.delete', (v) => findings.find((f) => f.id === v.findingId)?.target?.kind === 'policy'],
      ['key.deactivate', (v) => JSON.stringify(findings.find((f) => f.id === v.findingId)?.target).includes('@channel')],
      ['role.revoke-sessions', (v) => JSON.stringify(findings.find((f) => f.id === v.findingId)?.target).includes('@here')],
      ['user.quarantine', (v) => JSON.stringify(findings.find((f) => f.id === v.findingId)?.target).includes('helpdesk@evil.example')],
      ['instance.snapshot', () => true],
    ];
    const requestButtons = buttonsOf(h).filter((b) => b.action_id.startsWith(`${ACTION.requestAction}:`));
    const decided: ActionRequest[] = [];
    for (const [action, matches] of wanted) {
      const button = requestButtons.find((b) => {
        const v = JSON.parse(b.value) as RequestButtonValue;
        return v.action === action && matches(v);
      });
      expect([action, button !== undefined]).toEqual([action, true]);
      decided.push(await requestAndApprove(button as Button));
    }
    expect(decided.map((r) => [r.action, r.status])).toEqual(wanted.map(([a]) => [a, 'succeeded']));

    // A refusal quoting the request (already decided), Investigate, and the other commands.
    await h.click(buttonActionId(ACTION.approve, 0), JSON.stringify({ requestId: decided[0]?.id }), { user: BOB, messageTs: decided[0]?.messageTs ?? '1.1' });
    const investigate = buttonsOf(h).find(
      (b) => b.action_id.startsWith(`${ACTION.investigate}:`) && b.value.includes(findings.find((f) => f.title.includes('@channel'))?.id ?? '?'),
    );
    if (investigate) await h.click(investigate.action_id, investigate.value, { messageTs: '1700000000.000200' });
    for (const text of ['trail AKIACIDEPLOYLEAKED01 --days 7', 'trail role/ops-support --days 7', 'status', 'evidence', 'audit']) {
      expect((await h.command(text)).status).toBe(200);
      await idle();
    }

    const calls = h.slack.webApi.calls.filter((c) => c.method !== 'auth.test');
    const report = scanSlackCalls(calls, { ownUserIds: [ALICE, BOB], bare: BARE });
    const all = report.texts.map((t) => t.text).join('\n');
    const shownEscaped = ESCAPED.map((e) => [e, all.split(e).length - 1] as const);
    process.stdout.write(
      `hostile names: ${calls.length} Slack calls, ${report.texts.length} mrkdwn texts; attacker text rendered as mentions or links: ${report.rendered.length}; ` +
        `shown escaped: ${shownEscaped.map(([e, n]) => `${e}×${n}`).join(', ')}; Block Kit limit problems: ${report.limitProblems.length}\n`,
    );
    expect(report.rendered).toEqual([]);
    expect(report.limitProblems).toEqual([]);
    // The test saw the attacker's text (escaped), in the places the issue names.
    for (const [e, n] of shownEscaped) expect([e, n > 0]).toEqual([e, true]);
    const restart = calls.find((c) => String(c.args.text).includes('aws-ir stopped while'));
    expect(String(restart?.args.text)).toContain('policy/&lt;!channel&gt;/&lt;https://evil.example|click_to_approve&gt;/backup-admin');
    expect(all).toContain('&lt;!channel&gt; &lt;https://evil.example|approve here&gt; &lt;@U0EVE666&gt; &amp; &lt;#C0EVIL&gt;');
    expect(calls.some((c) => c.method === 'views.open')).toBe(true);
  });
});
