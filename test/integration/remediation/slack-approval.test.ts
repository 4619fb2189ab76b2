/**
 * Two-person remediation through the real Bolt app over HTTP with signed requests, Slack's Web API
 * replaced by the local stand-in and AWS by aws-sdk-client-mock: request (modal), self-approval refused,
 * non-responder refused, 50 concurrent approvals run once, expiry, restart recovery, dry run, undo.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ACTION, BLOCK, VIEW, buttonActionId } from '../../../src/slack-ids';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest } from '../../../src/store/store';
import { ALICE, BOB, TEST_CHANNEL } from '../../support/app-harness';
import type { RecordedCall } from '@aws-ir/slack-standin';
import { ACCOUNT, KEY, requestValue, startRig, THREAD, type Rig } from './key-finding-rig';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
let keyStatus: 'Active' | 'Inactive';

beforeEach(() => {
  iam.reset();
  sts.reset();
  keyStatus = 'Active';
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/aws-ir-remediate/session` });
  iam.on(ListAccessKeysCommand).callsFake(async () => ({ AccessKeyMetadata: [{ UserName: 'ci-deploy', AccessKeyId: KEY.accessKeyId, Status: keyStatus }] }));
  iam.on(UpdateAccessKeyCommand).callsFake(async (input: { Status: 'Active' | 'Inactive' }) => {
    await new Promise((r) => setImmediate(r)); // the write takes a turn of the event loop, as a real call does
    keyStatus = input.Status;
    return { $metadata: { requestId: 'aws-request-1' } };
  });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'iam', Region: 'us-east-1' } });
});

let views = 0;

/** Waits for the reason form the last click opened, then submits it as `user` with `reason` (a new view each time, as Slack does). */
async function submitReasonForm(r: Rig, opensBefore: number, user: string, reason: string): Promise<void> {
  await r.h.waitFor(() => r.h.slack.webApi.callsTo('views.open').length > opensBefore, 5000, 'views.open');
  const view = JSON.parse(JSON.stringify(r.h.slack.webApi.callsTo('views.open').at(-1)!.args.view)) as {
    callback_id: string;
    private_metadata: string;
    blocks: { block_id?: string; optional?: boolean }[];
  };
  expect(view.callback_id).toBe(VIEW.requestReason);
  // Every request needs a reason: the form says so.
  expect(view.blocks.find((b) => b.block_id === BLOCK.requestReasonInput)?.optional).toBe(false);
  const res = await r.h.submitView({
    callbackId: VIEW.requestReason,
    userId: user,
    privateMetadata: view.private_metadata,
    viewId: `V0FORM${++views}`,
    values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: reason } } },
  });
  expect(res.status).toBe(200);
}

/** Clicks the finding's button as `user`, submits the reason modal, and returns the posted request. */
async function requestThroughModal(r: Rig, user = ALICE, reason = 'leaked on GitHub'): Promise<{ request: ActionRequest; messageTs: string }> {
  const opens = r.h.slack.webApi.callsTo('views.open').length;
  const res = await r.h.click(buttonActionId(ACTION.requestAction, 0), JSON.stringify(requestValue), {
    user,
    messageTs: '1700000000.000200',
    threadTs: THREAD,
  });
  expect(res.status).toBe(200);
  const posts = r.h.slack.webApi.callsTo('chat.postMessage').length;
  await submitReasonForm(r, opens, user, reason);
  await r.h.waitFor(() => r.h.slack.webApi.callsTo('chat.postMessage').length > posts, 5000, 'request message');
  await r.rt.tasks.idle();
  const post = r.h.slack.webApi.callsTo('chat.postMessage').at(-1)!;
  const request = (await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).at(-1)!;
  return { request, messageTs: request.messageTs ?? String((post as RecordedCall).args.ts ?? '') };
}

function ephemeralsTo(r: Rig, user: string): string[] {
  return r.h.slack.webApi
    .callsTo('chat.postEphemeral')
    .filter((c) => c.args.user === user)
    .map((c) => String(c.args.text));
}

function messageText(r: Rig, ts: string): string {
  const m = r.h.slack.message(TEST_CHANNEL, ts);
  return `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
}

async function approve(r: Rig, request: ActionRequest, user: string) {
  return r.h.click(buttonActionId(ACTION.approve, 0), JSON.stringify({ requestId: request.id }), { user, messageTs: request.messageTs!, threadTs: THREAD });
}

describe('two-person remediation in Slack', () => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it('posts the request in the scan thread, refuses self-approval, and runs once on a second approval', async () => {
    r = await startRig();
    const { request } = await requestThroughModal(r);
    const post = r.h.slack.webApi.callsTo('chat.postMessage').at(-1)!;
    expect(post.args.thread_ts).toBe(THREAD);
    const posted = messageText(r, request.messageTs!);
    expect(posted).toContain('Approval needed');
    expect(posted).toContain(`<@${ALICE}>`);
    expect(posted).toContain(ACCOUNT);
    expect(posted).toContain('AKIAEXAMPLE0001');
    expect(posted).toContain('leaked on GitHub');
    expect(posted).toContain(buttonActionId(ACTION.approve, 0));
    expect(request).toMatchObject({ status: 'pending', requestedBy: ALICE, reason: 'leaked on GitHub', target: KEY });

    // The requester cannot approve, whatever the button carries.
    const self = await approve(r, request, ALICE);
    expect(self.status).toBe(200);
    await r.rt.tasks.idle();
    expect(ephemeralsTo(r, ALICE).join('\n')).toContain('different responder');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);

    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
    const done = messageText(r, request.messageTs!);
    expect(done).toContain('Done');
    expect(done).toContain(`<@${BOB}>`);
    expect(done).toContain('aws-request-1');
    expect(done).toContain('Inactive');
    expect(done).not.toContain(buttonActionId(ACTION.approve, 0));
    expect(done).toContain(buttonActionId(ACTION.undo, 0));
    const kinds = (await r.h.services.store.listAudit({ requestId: request.id })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['request.created', 'request.refused', 'request.approved', 'action.succeeded']));
  });

  it('refuses a non-responder and a guest; accepts a member of a responder user group', async () => {
    r = await startRig({ config: { responders: [ALICE, 'S0ONCALL'] } });
    r.h.slack.usergroups.set('S0ONCALL', ['U0CAROL']);
    r.h.slack.users.set('U0GUEST', { is_restricted: true });
    const { request } = await requestThroughModal(r);

    await approve(r, request, BOB);
    await approve(r, request, 'U0GUEST');
    await r.rt.tasks.idle();
    expect(ephemeralsTo(r, BOB).join('\n')).toContain('not on the responders list');
    expect(ephemeralsTo(r, 'U0GUEST').join('\n')).toContain('Guest accounts');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);

    await approve(r, request, 'U0CAROL');
    await r.rt.tasks.idle();
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
  });

  it('runs the action once under 50 concurrent approvals and tells the others it already ran', async () => {
    r = await startRig();
    const { request } = await requestThroughModal(r);
    const approvers = Array.from({ length: 50 }, (_, i) => `U0APPR${String(i).padStart(2, '0')}`);
    const responses = await Promise.all(approvers.map((u) => approve(r!, request, u)));
    expect(responses.every((res) => res.status === 200)).toBe(true);
    await r.rt.tasks.idle();
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
    expect((await r.h.services.store.getRequest(request.id))?.status).toBe('succeeded');
    const told = r.h.slack.webApi.callsTo('chat.postEphemeral').map((c) => String(c.args.text));
    expect(told.filter((t) => /already approved|already ran/.test(t))).toHaveLength(49);
    expect((await r.h.services.store.listAudit({ requestId: request.id })).filter((e) => e.kind === 'action.started')).toHaveLength(1);
  });

  it('expires a request: the sweep updates its message and a late approval is refused', async () => {
    r = await startRig({ config: { requestTtlMinutes: 5 } });
    const { request } = await requestThroughModal(r);
    await r.clock.advance(6 * 60_000);
    await r.rt.sweepNow();
    expect(messageText(r, request.messageTs!)).toContain('Expired');
    expect(messageText(r, request.messageTs!)).not.toContain(buttonActionId(ACTION.approve, 0));
    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    expect(ephemeralsTo(r, BOB).join('\n')).toContain('expired');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('dry run shows the calls it would make and changes nothing', async () => {
    r = await startRig({ config: { dryRun: true } });
    const { request } = await requestThroughModal(r);
    expect(messageText(r, request.messageTs!)).toContain('dry run');
    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    const text = messageText(r, request.messageTs!);
    expect(text).toContain('Nothing was changed');
    expect(text).toContain('IAM:UpdateAccessKey');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(keyStatus).toBe('Active');
  });

  it('undo is a new request, with its own reason, that a different responder approves', async () => {
    r = await startRig();
    const { request } = await requestThroughModal(r);
    await approve(r, request, BOB);
    await r.rt.tasks.idle();
    const opens = r.h.slack.webApi.callsTo('views.open').length;
    await r.h.click(buttonActionId(ACTION.undo, 0), JSON.stringify({ requestId: request.id }), { user: BOB, messageTs: request.messageTs!, threadTs: THREAD });
    await submitReasonForm(r, opens, BOB, 'the deploy pipeline broke');
    await r.rt.tasks.idle();
    const undo = (await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).find((q) => q.undoOf === request.id)!;
    expect(undo).toMatchObject({ action: 'key.reactivate', requestedBy: BOB, status: 'pending', reason: 'the deploy pipeline broke' });
    expect(messageText(r, undo.messageTs!)).toContain('Reactivate access key');
    await approve(r, undo, BOB);
    await r.rt.tasks.idle();
    expect(ephemeralsTo(r, BOB).join('\n')).toContain('different responder');
    await approve(r, undo, ALICE);
    await r.rt.tasks.idle();
    expect(keyStatus).toBe('Active');
    expect((await r.h.services.store.getRequest(undo.id))?.status).toBe('succeeded');
  });
});

describe('restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-restart-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps a pending request approvable and marks an executing one interrupted, announced, never re-run', async () => {
    const file = path.join(dir, 'aws-ir.db');
    const first = await startRig({ store: new SqliteStore(file) });
    const pending = (await requestThroughModal(first)).request;
    const cut = (await requestThroughModal(first, ALICE, 'second')).request;
    // The process dies right after a second responder's approval won the compare-and-set.
    const executor = first.h.services.owner;
    const leaseUntil = new Date(Date.now() + 120_000).toISOString();
    await first.h.services.store.transitionRequest(cut.id, 'pending', 'executing', {
      decidedBy: BOB,
      decidedAt: new Date().toISOString(),
      executor,
      leaseUntil,
    });
    await first.close();

    const second = await startRig({ store: new SqliteStore(file), seed: false });
    try {
      expect((await second.h.services.store.getRequest(cut.id))?.status).toBe('interrupted');
      const announcement = second.h.slack.webApi.callsTo('chat.postMessage').find((c) => String(c.args.text).includes('was not re-run'));
      expect(announcement?.args.thread_ts).toBe(THREAD);
      expect(
        second.h.slack.webApi.callsTo('chat.update').some((c) => c.args.ts === cut.messageTs && JSON.stringify(c.args.blocks).includes('Interrupted')),
      ).toBe(true);

      await approve(second, cut, 'U0CAROL');
      await second.rt.tasks.idle();
      expect(ephemeralsTo(second, 'U0CAROL').join('\n')).toContain('interrupted');
      expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);

      await approve(second, pending, BOB);
      await second.rt.tasks.idle();
      expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(1);
      expect((await second.h.services.store.getRequest(pending.id))?.status).toBe('succeeded');
    } finally {
      await second.close();
    }
  });
});
