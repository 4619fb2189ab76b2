/**
 * Item 6 of issue 14 at the unit level, for what the sandbox scenario cannot carry: IAM user and
 * role names, instance ids, regions, evidence keys, trail fields, service names, outcome errors,
 * AWS request ids and checklist notes holding Slack control sequences (real AWS forbids some of
 * these; aws-ir must not rely on it). Every builder that reaches Slack is fed them, its output is
 * packed as the poster packs it, and every mrkdwn text is scanned: 0 mentions, 0 links, 0 Block Kit
 * limit problems. Long values check the lengths stay bounded.
 */
import type { KnownBlock } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { auditGroups } from '../../../src/blocks/audit';
import { evidenceGroups } from '../../../src/blocks/evidence';
import { findingGroups } from '../../../src/blocks/findings';
import { gapGroups } from '../../../src/blocks/gaps';
import { lastAccessedGroups } from '../../../src/blocks/last-accessed';
import { fitBlocks } from '../../../src/blocks/limits';
import { closedItemBlock, openItemBlock } from '../../../src/blocks/open-item';
import { progressBlocks, type ScanProgress } from '../../../src/blocks/progress';
import { interruptedRequestMessage, interruptedScanText } from '../../../src/blocks/interruption';
import { decidedMessage, reasonModal, requestMessage } from '../../../src/blocks/request';
import { scanStartedBlocks, scanStartedText } from '../../../src/blocks/scan-started';
import { checklistChangesText, statusGroups, statusText } from '../../../src/blocks/status';
import { summaryBlocks, summaryText } from '../../../src/blocks/summary';
import { esc, escKeepingMentions, md, mention, mrkdwn, truncateMrkdwn, type Mrkdwn } from '../../../src/blocks/text';
import { trailGroups, trailViewOf } from '../../../src/blocks/trail';
import { describeTarget, type ActionTarget } from '../../../src/remediation/action-ids';
import { actionDefinition } from '../../../src/remediation/catalog';
import type { CheckId, Finding, ScanResult } from '../../../src/scan/model';
import type { PrincipalActivity } from '../../../src/scan/trail';
import type { ActionRequest, AuditEntry, OpenItem, RequestStatus } from '../../../src/store/store';
import { ChannelPacer } from '../../../src/slack/channel-pacer';
import { SlackPoster } from '../../../src/slack/poster';
import type { RecordedCall, RunningStandIn } from '@aws-ir/slack-standin';
import { startTestSlack } from '../../support/test-slack';
import { scanSlackCalls } from '../../support/hardening/slack-markup';

const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const PAYLOAD =
  '<!channel> <!here> <!everyone> <@U0EVE666> <#C0EVIL> <https://evil.example|click_to_approve> <mailto:x@evil.example|support> <!subteam^S0EVIL> & *b* `c`';
const H = (tag: string) => `${tag}${PAYLOAD}`;
const LONG = (tag: string) => H(tag).repeat(60);
const BARE = ['https://evil.example', 'x@evil.example', '#C0EVIL'];

const TARGETS: ActionTarget[] = [
  { kind: 'access-key', userName: H('user'), accessKeyId: H('AKIA') },
  { kind: 'user', userName: LONG('user'), arn: `arn:aws:iam::111122223333:user/${H('path')}/${H('name')}` },
  { kind: 'role', roleName: H('role'), arn: `arn:aws:iam::111122223333:role/${LONG('path')}/x` },
  { kind: 'policy', policyArn: `arn:aws:iam::111122223333:policy/${H('path')}/p` },
  { kind: 'instance', region: H('region'), instanceId: H('i-') },
];
const ACTIONS = ['key.deactivate', 'user.delete', 'role.revoke-sessions', 'policy.delete', 'instance.terminate'] as const;

function finding(n: number, target: ActionTarget): Finding {
  return {
    id: `f${n}`,
    check: 'iam-changes',
    severity: 'high',
    step: 'D5',
    title: n % 2 ? LONG('title') : H('title'),
    resources: [H('arn'), LONG('arn')],
    evidence: { [H('key')]: H('value'), nested: { [H('k')]: [H('a'), { deep: LONG('v') }] }, when: '2026-01-01T00:00:00Z' },
    actions: [ACTIONS[n % ACTIONS.length] as (typeof ACTIONS)[number]],
    target,
    guidance: LONG('guidance'),
  };
}

function request(n: number, status: RequestStatus): ActionRequest {
  const target = TARGETS[n % TARGETS.length] as ActionTarget;
  return {
    id: H('req'),
    action: ACTIONS[n % ACTIONS.length] as (typeof ACTIONS)[number],
    target,
    account: H('account'),
    channel: 'C0INCIDENT',
    threadTs: '1.1',
    requestedBy: ALICE,
    reason: LONG('reason'),
    createdAt: '2026-01-01T00:00:00Z',
    expiresAt: H('not a time'),
    status,
    decidedBy: n % 2 ? BOB : H('U'),
    decidedAt: '2026-01-01T00:01:00Z',
    undoOf: H('undo'),
    dryRun: n === 3,
    outcome: {
      ok: status === 'succeeded',
      dryRun: n === 3,
      verified: true,
      before: { [H('k')]: LONG('before') },
      after: { state: H('after') },
      calls: Array.from({ length: 20 }, () => ({ operation: H('Op'), input: { name: LONG('input') } })),
      requestIds: Array.from({ length: 40 }, () => H('rid')),
      error: LONG('error'),
      startedAt: '2026-01-01T00:00:00Z',
      finishedAt: '2026-01-01T00:00:01Z',
    },
  };
}

function item(n: number, status: OpenItem['status']): OpenItem {
  return {
    id: `item-${n}`,
    channel: 'C0INCIDENT',
    key: H('key'),
    step: 'R1',
    title: LONG('title'),
    guidance: LONG('guidance'),
    verifiedBy: n % 2 ? 'scan' : 'person',
    source: {},
    status,
    createdAt: '2026-01-01T00:00:00Z',
    closedAt: '2026-01-01T00:00:00Z',
    closedBy: n % 2 ? BOB : H('U'),
    note: LONG('note'),
  };
}

/**
 * What the real poster sends for these groups (packed, fitted, checked), through a real Web API client
 * to a local Slack that records the calls and accepts any blocks (this test checks the limits itself).
 */
const TOKEN = 'xoxb-hostile-blocks';
let slack: RunningStandIn;
beforeAll(async () => {
  slack = await startTestSlack(TOKEN);
  slack.webApi.validateBlocks = false;
});
afterAll(() => slack.close());

async function asCalls(groups: KnownBlock[][], text: Mrkdwn): Promise<RecordedCall[]> {
  const before = slack.webApi.calls.length;
  const client = new WebClient(TOKEN, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  await new SlackPoster(client, new ChannelPacer(0), false).postGroups('C0INCIDENT', '1.1', groups, text);
  return slack.webApi.calls.slice(before);
}

function check(calls: RecordedCall[]): { rendered: number; limits: number; texts: number } {
  const report = scanSlackCalls(calls, { ownUserIds: [ALICE, BOB], bare: BARE });
  expect(report.rendered).toEqual([]);
  expect(report.limitProblems).toEqual([]);
  // The attacker's text is there, escaped: the scan looked at real content.
  expect(report.texts.some((t) => t.text.includes('&lt;!channel&gt;'))).toBe(true);
  return { rendered: report.rendered.length, limits: report.limitProblems.length, texts: report.texts.length };
}

const result: ScanResult = {
  account: H('account'),
  window: { start: H('start'), end: H('end') },
  regions: [H('region')],
  findings: TARGETS.map((t, i) => finding(i, t)),
  gaps: [{ check: H('check') as CheckId, region: H('region'), reason: LONG('reason') }],
  stats: { durationMs: 1234, apiCalls: { [H('svc')]: 3 } },
} as ScanResult;

describe('builders fed attacker-written text', () => {
  const totals = { texts: 0, rendered: 0 };
  const run = async (calls: RecordedCall[] | Promise<RecordedCall[]>) => {
    const r = check(await calls);
    totals.texts += r.texts;
    totals.rendered += r.rendered;
  };
  afterAll(() => process.stdout.write(`hostile builders: ${totals.texts} mrkdwn texts, attacker text rendered as mentions or links: ${totals.rendered}\n`));

  it('scan messages: start, progress, summary, findings, gaps, checklist changes', async () => {
    const info = { user: ALICE, account: H('acct'), days: 7, regions: [H('region'), LONG('region')] };
    await run(asCalls([fitBlocks(scanStartedBlocks(info))], scanStartedText(info)));
    const progress: ScanProgress = { checks: { cloudtrail: { status: 'running' } }, detail: LONG('detail'), finished: false };
    await run(asCalls([progressBlocks(progress)], mrkdwn`progress`));
    await run(asCalls([summaryBlocks(result, { user: H('U'), days: 7, regions: [H('r')] })], summaryText(result)));
    await run(asCalls(findingGroups(H('scan'), result.findings), mrkdwn`findings`));
    await run(asCalls(gapGroups(result.gaps), mrkdwn`gaps`));
    const changes = checklistChangesText({ opened: [item(1, 'open'), item(2, 'open')], verified: [item(3, 'verified')], reopened: [item(4, 'open')] });
    if (!changes) throw new Error('no checklist changes text');
    await run(asCalls([[{ type: 'section', text: md(changes) }]], changes));
  });

  it('request messages in every state, and the reason modal', async () => {
    const statuses: RequestStatus[] = ['pending', 'executing', 'succeeded', 'failed', 'rejected', 'expired', 'interrupted'];
    for (const [n, status] of statuses.entries()) {
      const r = request(n, status);
      const message = status === 'pending' ? requestMessage(r, actionDefinition(r.action)) : decidedMessage(r, actionDefinition(r.action));
      await run(asCalls([message.blocks], message.text));
    }
    for (const [n, t] of TARGETS.entries()) {
      const view = reasonModal(
        { scanId: H('s'), findingId: H('f'), action: ACTIONS[n] as (typeof ACTIONS)[number] },
        actionDefinition(ACTIONS[n] as (typeof ACTIONS)[number]),
        LONG(t.kind),
      );
      await run([{ method: 'views.open', args: { view } }]);
    }
  });

  it('trail, last accessed, status, evidence and audit', async () => {
    const activity: PrincipalActivity = {
      principal: { kind: 'user', name: H('u') },
      window: { start: '2025-12-25T00:00:00Z', end: '2026-01-01T00:00:00Z' },
      regions: [
        {
          region: H('region'),
          events: Array.from({ length: 45 }, () => ({
            name: H('Event'),
            time: '2026-01-01T00:00:00Z',
            sourceIp: H('ip'),
            error: LONG('err'),
            accessKeyId: H('AKIA'),
            principal: H('u'),
            resources: [H('resource')],
            byAws: H('aws'),
          })),
          counts: {},
          truncated: false,
        },
      ],
      totalEvents: 45,
      sourceIps: [H('ip')],
      gaps: [{ region: H('r'), reason: LONG('gap') }],
    };
    await run(asCalls(trailGroups(LONG('principal'), trailViewOf(activity)), mrkdwn`trail`));
    await run(
      asCalls(
        lastAccessedGroups(LONG('identity'), {
          arn: H('arn'),
          neverUsed: 3,
          used: [{ service: H('svc'), namespace: H('ns'), region: H('r'), lastAuthenticated: H('t') }],
        }),
        mrkdwn`last accessed`,
      ),
    );
    const status = {
      pending: [request(0, 'pending'), request(1, 'pending')],
      interrupted: [request(2, 'interrupted')],
      unreviewed: [],
      open: [item(1, 'open')],
      closed: [item(2, 'done'), item(3, 'verified')],
    };
    await run(asCalls(statusGroups(status), statusText(status)));
    await run(asCalls([[openItemBlock(item(5, 'open'), 0)], [closedItemBlock(item(6, 'done'))]], mrkdwn`items`));
    await run(
      asCalls(
        evidenceGroups({
          channel: H('C'),
          generatedAt: '2026-01-01T00:00:00Z',
          note: H('note'),
          snapshots: [
            {
              snapshotId: H('snap'),
              volumeId: H('vol'),
              device: H('dev'),
              instanceId: H('i'),
              region: H('r'),
              account: H('a'),
              requestId: H('req'),
              awsRequestId: H('rid'),
              requestedBy: ALICE,
              approvedBy: H('U'),
              takenAt: H('t'),
              restore: LONG('restore'),
              currentState: LONG('state'),
            },
          ],
          configurations: [
            {
              kind: 'policy',
              resource: LONG('res'),
              what: H('what'),
              account: H('a'),
              requestId: H('req'),
              action: H('act'),
              requestedBy: BOB,
              approvedBy: ALICE,
              savedAt: H('t'),
              deletion: H('del'),
              restore: LONG('restore'),
              configuration: { Path: H('path'), Description: LONG('desc'), Tags: [{ Key: H('k'), Value: H('v') }], fence: '```' },
            },
          ],
        }),
        mrkdwn`evidence`,
      ),
    );
    const entries: AuditEntry[] = Array.from({ length: 30 }, (_, i) => ({
      at: H('at'),
      user: i % 2 ? ALICE : H('U'),
      kind: (i % 2 ? 'request.refused' : H('kind')) as AuditEntry['kind'],
      data: { reason: LONG('reason'), target: H('target') },
    }));
    await run(asCalls(auditGroups({ generatedAt: 'now', channel: H('C'), requests: [request(0, 'succeeded'), request(1, 'failed')], entries }), mrkdwn`audit`));
  });

  it('interruption announcements: a scan cut short, an action cut off with its writes read back', async () => {
    const scanText = interruptedScanText(LONG('reason'));
    await run(asCalls([[{ type: 'section', text: md(scanText) }]], scanText));
    const states = ['done', 'not done', 'unknown'] as const;
    for (const [n, target] of TARGETS.entries()) {
      const message = interruptedRequestMessage({
        label: H('label'),
        target: describeTarget(target),
        approvedBy: n % 2 ? BOB : H('U'),
        writes: Array.from({ length: 12 }, (_, i) => ({ operation: H('op'), state: states[i % 3] as (typeof states)[number], check: LONG('check') })),
      });
      await run(asCalls([message.blocks], message.text));
    }
  });

  it('text helpers: mentions only of Slack user ids, refusal reasons keep only the named people, cuts never split an escape', () => {
    expect(mention(H('U'))).not.toContain('<@U0EVE666>');
    expect(mention('U0ALICE')).toBe('<@U0ALICE>');
    const reason = escKeepingMentions(`Already approved by <@${BOB}> on policy ${H('arn')} <@U0EVE666>`, [BOB]);
    expect(reason).toContain(`<@${BOB}>`);
    expect(reason).toContain('&lt;@U0EVE666&gt;');
    expect(reason).not.toMatch(/<[!#h]|<@U0EVE/);
    for (let max = 2; max < 40; max++) {
      const cut = truncateMrkdwn(esc('a&b<c>d&e'.repeat(5)), max);
      expect(cut.length).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/&[a-z]*…$/);
    }
  });
});
