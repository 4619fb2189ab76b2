/**
 * Approvals as real teams need them, through the real Bolt app over HTTP (signed requests, the Slack stand-in for the
 * Slack Web API, AWS mocked): a deletion needing two distinct approvers (self, outsider, the same
 * person twice, two people at once), the execution TTL on the injectable clock, and break-glass off,
 * on, refused for deletions, and reviewed by a second responder.
 */
import { DeleteAccessKeyCommand, GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { AppConfig } from '../../../src/config';
import type { Finding } from '../../../src/scan/model';
import { ACTION, BLOCK, BREAK_GLASS_OPTION, VIEW, buttonActionId } from '../../../src/slack-ids';
import type { ActionRequest } from '../../../src/store/model';
import { SqliteStore } from '../../../src/store/sqlite-store';
import { ALICE, BOB, TEST_CHANNEL } from '../../support/app-harness';
import { ManualClock } from '../../support/manual-clock';
import { storeFinishedScan } from '../../support/stored-scan';
import { ACCOUNT, THREAD, startRig, type Rig } from './key-finding-rig';

const CAROL = 'U0CAROL';
const DAVE = 'U0DAVE';
const OUTSIDER = 'U0MALLORY';
const RESPONDERS = [ALICE, BOB, CAROL, DAVE];

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
/** The account's keys: one active (to deactivate), one already inactive (to delete). */
let keys: Map<string, 'Active' | 'Inactive'>;

const ACTIVE = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIAACTIVE000001' };
const INACTIVE = { kind: 'access-key' as const, userName: 'ci-deploy', accessKeyId: 'AKIAINACTIVE0002' };
const findings: Finding[] = [
  {
    id: 'f-active',
    check: 'credential-report',
    severity: 'critical',
    step: 'R1',
    title: 'Leaked key',
    resources: [],
    evidence: {},
    actions: ['key.deactivate'],
    target: ACTIVE,
  },
  {
    id: 'f-inactive',
    check: 'credential-report',
    severity: 'high',
    step: 'R1',
    title: 'Old key',
    resources: [],
    evidence: {},
    actions: ['key.delete'],
    target: INACTIVE,
  },
];

beforeEach(() => {
  iam.reset();
  sts.reset();
  keys = new Map([
    [ACTIVE.accessKeyId, 'Active'],
    [INACTIVE.accessKeyId, 'Inactive'],
  ]);
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/aws-ir-remediate/session` });
  iam.on(ListAccessKeysCommand).callsFake(async () => ({
    AccessKeyMetadata: [...keys].map(([AccessKeyId, Status]) => ({ UserName: 'ci-deploy', AccessKeyId, Status })),
  }));
  iam.on(UpdateAccessKeyCommand).callsFake(async (input: { AccessKeyId: string; Status: 'Active' | 'Inactive' }) => {
    keys.set(input.AccessKeyId, input.Status);
    return { $metadata: { requestId: 'aws-update-1' } };
  });
  iam.on(DeleteAccessKeyCommand).callsFake(async (input: { AccessKeyId: string }) => {
    await new Promise((r) => setTimeout(r, 10));
    keys.delete(input.AccessKeyId);
    return { $metadata: { requestId: 'aws-delete-1' } };
  });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
});

async function rigWith(config: Partial<AppConfig['remediation']>): Promise<Rig> {
  const clock = new ManualClock(new Date());
  const store = new SqliteStore(':memory:');
  await storeFinishedScan(store, {
    id: 'scan-1',
    channel: TEST_CHANNEL,
    threadTs: THREAD,
    requestedBy: ALICE,
    startedAt: clock.now().toISOString(),
    status: 'done',
    result: { account: ACCOUNT, window: { start: 'a', end: 'b' }, regions: ['us-east-1'], findings, gaps: [], stats: { durationMs: 1, apiCalls: {} } },
  });
  return startRig({ store, clock, config: { responders: RESPONDERS, ...config } });
}

let views = 0;
interface OpenedView {
  private_metadata: string;
  blocks: { block_id?: string }[];
}

/** Clicks a finding's button as `user` and returns the reason form Slack was asked to open. */
async function openForm(r: Rig, findingId: string, action: string, user = ALICE): Promise<OpenedView> {
  const opens = r.h.slack.webApi.callsTo('views.open').length;
  await r.h.click(buttonActionId(ACTION.requestAction, 0), JSON.stringify({ scanId: 'scan-1', findingId, action }), {
    user,
    messageTs: '1700000000.000200',
    threadTs: THREAD,
  });
  await r.h.waitFor(() => r.h.slack.webApi.callsTo('views.open').length > opens, 5000, 'views.open');
  const view = r.h.slack.webApi.callsTo('views.open').at(-1)!.args.view as OpenedView & { callback_id: string };
  expect(view.callback_id).toBe(VIEW.requestReason);
  return view;
}

/** Submits the form (ticking break-glass when asked, whether or not the form offered it) and returns the request. */
async function submit(r: Rig, view: OpenedView, opts: { user?: string; reason?: string; breakGlass?: boolean } = {}): Promise<ActionRequest> {
  const before = (await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).length;
  const values: Record<string, Record<string, Record<string, unknown>>> = {
    [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: opts.reason ?? 'attacker is active' } },
  };
  if (opts.breakGlass)
    values[BLOCK.breakGlassInput] = {
      [BLOCK.breakGlassAction]: { type: 'checkboxes', selected_options: [{ text: { type: 'plain_text', text: 'x' }, value: BREAK_GLASS_OPTION }] },
    };
  const res = await r.h.submitView({
    callbackId: VIEW.requestReason,
    userId: opts.user ?? ALICE,
    privateMetadata: view.private_metadata,
    viewId: `V0POLICY${++views}`,
    values,
  });
  expect(res.status).toBe(200);
  await r.h.waitFor(async () => (await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).length > before, 5000, 'request stored');
  await r.rt.tasks.idle();
  return (await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).at(-1)!;
}

async function approve(r: Rig, request: ActionRequest, user: string) {
  const current = (await r.h.services.store.getRequest(request.id))!;
  return r.h.click(buttonActionId(ACTION.approve, 0), JSON.stringify({ requestId: request.id }), { user, messageTs: current.messageTs!, threadTs: THREAD });
}

function told(r: Rig, user: string): string {
  return r.h.slack.webApi
    .callsTo('chat.postEphemeral')
    .filter((c) => c.args.user === user)
    .map((c) => String(c.args.text))
    .join('\n');
}

async function messageOf(r: Rig, request: ActionRequest): Promise<string> {
  const ts = (await r.h.services.store.getRequest(request.id))!.messageTs!;
  const m = r.h.slack.message(TEST_CHANNEL, ts);
  return `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
}

function deletes(): number {
  return iam.commandCalls(DeleteAccessKeyCommand).length;
}

describe('approvals as real teams need them', () => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it('a deletion needs two distinct approvers: self, an outsider and the same person twice never count', async () => {
    r = await rigWith({ destructiveApprovers: 2 });
    const request = await submit(r, await openForm(r, 'f-inactive', 'key.delete'));
    expect(request).toMatchObject({ status: 'pending', approvalsNeeded: 2 });
    expect(await messageOf(r, request)).toContain('0 of 2 approvals');

    await approve(r, request, ALICE);
    await approve(r, request, OUTSIDER);
    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    expect(told(r, ALICE)).toContain('different responder');
    expect(told(r, OUTSIDER)).toContain('not on the responders list');
    expect(told(r, BOB)).toContain('You already approved');
    expect(deletes()).toBe(0);
    expect((await r.h.services.store.getRequest(request.id))?.status).toBe('pending');
    expect(await messageOf(r, request)).toContain('1 of 2 approvals');

    await approve(r, request, CAROL);
    await r.rt.tasks.idle();
    expect(deletes()).toBe(1);
    const done = await messageOf(r, request);
    expect(done).toContain('Done');
    expect(done).toContain(`<@${BOB}>`);
    expect(done).toContain(`<@${CAROL}>`);
    const approvals = (await r.h.services.store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'request.approved');
    expect(approvals.map((e) => [e.user, e.data.approvals, e.data.needed])).toEqual([
      [BOB, 1, 2],
      [CAROL, 2, 2],
    ]);
  });

  it('two distinct approvers clicking at once, ten times each, run the deletion exactly once', async () => {
    r = await rigWith({ destructiveApprovers: 2 });
    const request = await submit(r, await openForm(r, 'f-inactive', 'key.delete'));
    const clicks = Array.from({ length: 20 }, (_, i) => approve(r!, request, i % 2 ? BOB : CAROL));
    expect((await Promise.all(clicks)).every((res) => res.status === 200)).toBe(true);
    await r.rt.tasks.idle();
    expect(deletes()).toBe(1);
    expect((await r.h.services.store.getRequest(request.id))?.status).toBe('succeeded');
    const started = (await r.h.services.store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'action.started').length;
    expect(started).toBe(1);
    process.stdout.write(`approvals: 20 racing clicks by two approvers on a 2-approver deletion: ${started} execution, ${deletes()} DeleteAccessKey\n`);
  });

  it('an approval older than the execution TTL no longer counts: it must be given again', async () => {
    r = await rigWith({ destructiveApprovers: 2, executionTtlMinutes: 5, requestTtlMinutes: 60 });
    const request = await submit(r, await openForm(r, 'f-inactive', 'key.delete'));
    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    await r.clock.advance(6 * 60_000);
    await approve(r, request, CAROL);
    await r.rt.tasks.idle();
    expect(deletes()).toBe(0);
    expect((await r.h.services.store.getRequest(request.id))?.status).toBe('pending');
    const waiting = await messageOf(r, request);
    expect(waiting).toContain('1 of 2 approvals');
    expect(waiting).toMatch(/approval of <@U0BOB> lapsed/);

    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    expect(deletes()).toBe(1);
    expect((await r.h.services.store.getRequest(request.id))?.status).toBe('succeeded');
  });

  it('break-glass is off by default: the form does not offer it and a ticked box runs nothing', async () => {
    r = await rigWith({});
    const view = await openForm(r, 'f-active', 'key.deactivate');
    expect(view.blocks.some((b) => b.block_id === BLOCK.breakGlassInput)).toBe(false);
    const request = await submit(r, view, { breakGlass: true });
    expect(request.status).toBe('pending');
    expect(told(r, ALICE)).toContain('Break-glass is off');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(r.h.slack.webApi.callsTo('chat.postMessage').some((c) => String(c.args.text).includes('<!here>'))).toBe(false);
  });

  it('break-glass on: one responder contains alone, announced with @here, flagged, listed until another responder reviews it', async () => {
    r = await rigWith({ breakGlass: true });
    const view = await openForm(r, 'f-active', 'key.deactivate');
    expect(view.blocks.some((b) => b.block_id === BLOCK.breakGlassInput)).toBe(true);
    const request = await submit(r, view, { breakGlass: true, reason: 'keys used right now to mint users' });
    await r.rt.tasks.idle();
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
    const run = (await r.h.services.store.getRequest(request.id))!;
    expect(run).toMatchObject({ status: 'succeeded', breakGlass: { by: ALICE, reason: 'keys used right now to mint users' } });

    const here = r.h.slack.webApi.callsTo('chat.postMessage').filter((c) => String(c.args.text).startsWith('<!here>'));
    expect(here).toHaveLength(1);
    expect(here[0]!.args.thread_ts).toBeUndefined();
    expect(String(here[0]!.args.text)).toContain('keys used right now to mint users');
    const audit = await r.h.services.store.listAudit({ requestId: request.id });
    expect(audit.find((e) => e.kind === 'request.break-glass')).toMatchObject({
      user: ALICE,
      data: { breakGlass: true, reason: 'keys used right now to mint users' },
    });
    expect(audit.find((e) => e.kind === 'action.succeeded')?.data.breakGlass).toBe(true);
    const record = await r.h.services.store.listAudit({ channel: TEST_CHANNEL });
    expect(record.some((e) => e.kind === 'request.break-glass')).toBe(true);

    const statusPosts = async (): Promise<string> => {
      const before = r!.h.slack.webApi.callsTo('chat.postMessage').length;
      await r!.h.command('status');
      await r!.h.waitFor(() => r!.h.slack.webApi.callsTo('chat.postMessage').length > before, 5000, 'status');
      await r!.rt.tasks.idle();
      return JSON.stringify(r!.h.slack.webApi.callsTo('chat.postMessage').slice(before));
    };
    expect(await statusPosts()).toContain('Break-glass runs waiting');
    expect(await messageOf(r, request)).toContain('Not reviewed yet');

    const review = (user: string) =>
      r!.h.click(buttonActionId(ACTION.reviewBreakGlass, 0), JSON.stringify({ requestId: request.id }), { user, messageTs: run.messageTs!, threadTs: THREAD });
    await review(ALICE);
    await r.rt.tasks.idle();
    expect(told(r, ALICE)).toContain('a different responder must review');
    await review(BOB);
    await r.rt.tasks.idle();
    expect((await r.h.services.store.getRequest(request.id))?.reviewedBy).toBe(BOB);
    expect((await r.h.services.store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'request.reviewed').map((e) => e.user)).toEqual([BOB]);
    expect(await statusPosts()).not.toContain('Break-glass runs waiting');
    expect(await messageOf(r, request)).toContain(`Reviewed by <@${BOB}>`);
  });

  it('break-glass never runs a deletion, even when a ticked box is forged', async () => {
    r = await rigWith({ breakGlass: true });
    const view = await openForm(r, 'f-inactive', 'key.delete');
    expect(view.blocks.some((b) => b.block_id === BLOCK.breakGlassInput)).toBe(false);
    const request = await submit(r, view, { breakGlass: true });
    expect(told(r, ALICE)).toContain('never a deletion');
    expect(deletes()).toBe(0);
    expect((await r.h.services.store.getRequest(request.id))?.status).toBe('pending');
    expect((await r.h.services.store.listAudit({ requestId: request.id })).some((e) => e.kind === 'request.break-glass')).toBe(false);
  });
});
