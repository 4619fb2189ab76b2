/**
 * Stories through the real Bolt app with signed requests: the summary leads with the story, the first
 * reply of the thread is the do-first plan whose first button requests the plan's first action,
 * `/aws-ir status` lists the plan's steps with their state, and `/aws-ir timeline` answers with a new
 * channel message telling the attacker's events and the team's in order.
 */
import type { Finding } from '../../../src/scan/model';
import type { Story } from '../../../src/scan/stories';
import { ACTION, type RequestButtonValue } from '../../../src/slack-ids';
import { startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { ACCOUNT, fakeScan } from '../../support/scan-fixtures';

const KEY = 'AKIAEXAMPLELEAKED001';
const leaked: Finding = {
  id: 'f-leaked',
  check: 'credential-report',
  severity: 'critical',
  step: 'R1',
  title: `Access key ${KEY} of ci-deploy was used from 203.0.113.77 in the window`,
  resources: [KEY],
  evidence: { last: '2026-11-27T03:12:00.000Z' },
  actions: ['key.deactivate', 'key.delete'],
  target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: KEY },
};
const story: Story = {
  id: 'story-1',
  entry: { kind: 'access-key', id: KEY, userName: 'ci-deploy', label: `access key ${KEY} of ci-deploy` },
  firstSeen: '2026-11-27T03:00:00.000Z',
  lastSeen: '2026-11-27T03:12:00.000Z',
  sourceAddresses: ['203.0.113.77'],
  summary: `Access key ${KEY} of ci-deploy, used from 203.0.113.77.\nLeft behind: user svc-backup (admin rights).`,
  findingIds: [leaked.id],
  timeline: [
    {
      at: '2026-11-27T03:00:00.000Z',
      actor: `ci-deploy (${KEY})`,
      event: 'CreateUser',
      region: 'us-east-1',
      sourceIp: '203.0.113.77',
      what: 'created user svc-backup',
    },
  ],
  credentials: [KEY],
  footprint: {
    users: ['svc-backup'],
    keys: [],
    loginProfiles: [],
    roles: [],
    rolesAssumed: [],
    policies: [],
    accounts: [],
    instances: [],
    regions: [],
    disabled: [],
    sharedOut: [],
  },
  plan: [
    { phase: 'cut', label: `Deactivate the leaked access key ${KEY} of ci-deploy`, action: 'key.deactivate', target: leaked.target, findingId: leaked.id },
    {
      phase: 'cleanup',
      label: `Delete access key ${KEY} once it is inactive`,
      action: 'key.delete',
      target: leaked.target,
      findingId: leaked.id,
      after: { action: 'key.deactivate', targetKey: `access-key:${KEY}` },
    },
  ],
};

describe('stories in Slack', () => {
  let h: AppHarness;
  beforeEach(async () => {
    h = await startAppHarness();
    const scan = fakeScan({ findings: [leaked] });
    h.services.runScan = async (input) => ({ ...(await scan(input)), stories: [story] });
  });
  afterEach(async () => {
    await h.close();
  });

  it('summary, do-first plan, status and timeline', async () => {
    await h.command('scan');
    await h.idle();
    await h.waitFor(async () => (await h.services.store.latestScan(TEST_CHANNEL))?.status === 'done', 5000, 'scan done');
    await h.idle();
    const scan = await h.services.store.latestScan(TEST_CHANNEL);
    const parent = h.slack.message(TEST_CHANNEL, scan?.threadTs as string);
    const summary = JSON.stringify(parent?.blocks);
    expect(summary).toContain('What happened');
    expect(summary).toContain(KEY);
    expect(summary.indexOf('What happened')).toBeLessThan(summary.indexOf('findings'));

    // The first reply is the plan; its first button requests the plan's first action; delete waits for it.
    const first = h.slack.threadReplies(TEST_CHANNEL, scan?.threadTs as string)[0];
    const plan = JSON.stringify(h.slack.message(TEST_CHANNEL, first?.ts as string)?.blocks);
    expect(plan).toContain('Do first');
    const planBlocks = (h.slack.message(TEST_CHANNEL, first?.ts as string)?.blocks ?? []) as { accessory?: { action_id: string; value: string } }[];
    const buttons = planBlocks.map((b) => b.accessory).filter((a): a is { action_id: string; value: string } => !!a);
    expect(buttons).toHaveLength(1);
    expect(buttons[0]?.action_id.startsWith(`${ACTION.requestAction}:`)).toBe(true);
    expect(JSON.parse(buttons[0]?.value as string) as RequestButtonValue).toEqual({ scanId: scan?.id, findingId: leaked.id, action: 'key.deactivate' });
    expect(plan).toContain('once the steps before them are done');

    // Status: the plan with each step's state, as a new message in the channel.
    const posted = (text: string) => [...h.slack.messages()].reverse().find((m) => JSON.stringify(m.blocks ?? []).includes(text));
    await h.command('status');
    await h.waitFor(() => !!posted('Incident status'), 5000, 'status answer');
    const status = posted('Incident status');
    expect(status?.threadTs).toBeUndefined();
    expect(JSON.stringify(status?.blocks)).toContain('0 of 2 steps done');
    expect(JSON.stringify(status?.blocks)).toContain('_open_');

    // Timeline: attacker and team, in order, as a new message in the channel.
    await h.command('timeline');
    await h.waitFor(() => !!posted('Incident timeline'), 5000, 'timeline answer');
    const timeline = posted('Incident timeline');
    expect(timeline?.threadTs).toBeUndefined();
    const text = JSON.stringify(timeline?.blocks);
    expect(text).toContain('created user svc-backup');
    expect(text).toContain('scan started');
    expect(text.indexOf('created user svc-backup')).toBeLessThan(text.indexOf('scan started'));
    expect(ACCOUNT).toMatch(/^\d{12}$/);
  });
});
