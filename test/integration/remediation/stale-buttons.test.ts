/**
 * Stale, tampered and replayed buttons through the real Bolt app over HTTP with signed requests: a
 * button from a scan the store no longer has, values that are not JSON or name things that are not on
 * record, decisions on requests already decided, a stale reason modal, a finding whose resource is
 * gone. Each gets a plain answer, and nothing reaches AWS that the store does not hold.
 */
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand, NoSuchEntityException, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { ACTION, BLOCK, VIEW, buttonActionId } from '../../../src/slack-ids';
import { ALICE, BOB, TEST_CHANNEL } from '../../support/app-harness';
import { ACCOUNT, KEY, requestValue, startRig, THREAD, type Rig } from './key-finding-rig';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
let userGone: boolean;

beforeEach(() => {
  iam.reset();
  sts.reset();
  userGone = false;
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/aws-ir-remediate/session` });
  iam.on(ListAccessKeysCommand).callsFake(async () => {
    if (userGone) throw new NoSuchEntityException({ message: 'The user with name ci-deploy cannot be found.', $metadata: {} });
    return { AccessKeyMetadata: [{ UserName: 'ci-deploy', AccessKeyId: KEY.accessKeyId, Status: 'Active' }] };
  });
  iam.on(UpdateAccessKeyCommand).resolves({ $metadata: { requestId: 'aws-request-1' } });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'iam', Region: 'us-east-1' } });
});

function ephemeralsTo(r: Rig, user: string): string[] {
  return r.h.slack.webApi
    .callsTo('chat.postEphemeral')
    .filter((c) => c.args.user === user)
    .map((c) => String(c.args.text));
}

/** Clicks a button; a refused click is answered privately, so by default this waits for that answer. */
async function click(r: Rig, prefix: string, value: string, user = ALICE, expectAnswer = true): Promise<void> {
  const res = await r.h.click(buttonActionId(prefix, 0), value, { user, messageTs: '1700000000.000200', threadTs: THREAD });
  expect(res.status).toBe(200);
  await r.rt.tasks.idle();
  if (expectAnswer) await r.h.waitFor(() => ephemeralsTo(r, user).length > 0, 5000, `an answer to ${user}`);
}

const reason = (value: string) => ({ [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value } } });
let views = 0;

/** Clicks the finding's button, submits the modal, returns the created request id. */
async function request(r: Rig, user = ALICE): Promise<string> {
  await r.h.click(buttonActionId(ACTION.requestAction, 0), JSON.stringify(requestValue), { user, messageTs: '1700000000.000200', threadTs: THREAD });
  await r.h.waitFor(() => r.h.slack.webApi.callsTo('views.open').length > 0, 5000, 'views.open');
  const view = r.h.slack.webApi.callsTo('views.open').at(-1)!.args.view as { private_metadata: string };
  await r.h.submitView({
    callbackId: VIEW.requestReason,
    userId: user,
    privateMetadata: view.private_metadata,
    viewId: `V0STALE${++views}`,
    values: reason('leaked'),
  });
  await r.rt.tasks.idle();
  return (await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).at(-1)!.id;
}

describe('stale and tampered buttons', () => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it('a finding button from a scan the store does not have (fresh database) is refused plainly, no modal, no request', async () => {
    r = await startRig({ seed: false });
    await click(r, ACTION.requestAction, JSON.stringify(requestValue));
    expect(ephemeralsTo(r, ALICE).join('\n')).toContain('no longer has this finding');
    expect(r.h.slack.webApi.callsTo('views.open')).toHaveLength(0);
    expect(await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).toHaveLength(0);
  });

  it.each([
    ['not JSON', 'not json {'],
    ['a JSON string', JSON.stringify('scan-1')],
    ['an action the finding does not offer', JSON.stringify({ ...requestValue, action: 'user.delete' })],
    ['an action that does not exist', JSON.stringify({ ...requestValue, action: 'account.close' })],
    ['another finding id', JSON.stringify({ ...requestValue, findingId: 'f-other' })],
    ['fields of the wrong type', JSON.stringify({ scanId: 1, findingId: ['f-key'], action: null })],
  ])('a finding button whose value is %s acts on nothing', async (_what, value) => {
    r = await startRig();
    await click(r, ACTION.requestAction, value);
    expect(ephemeralsTo(r, ALICE).join('\n')).toContain('no longer has this finding or does not offer that action');
    expect(r.h.slack.webApi.callsTo('views.open')).toHaveLength(0);
    expect(await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).toHaveLength(0);
  });

  it.each([
    [ACTION.approve, 'not json'],
    [ACTION.reject, '{"requestId": 42}'],
    [ACTION.undo, '[]'],
  ])('%s with an unreadable value (%s) says so and changes nothing', async (prefix, value) => {
    r = await startRig();
    const id = await request(r);
    await click(r, prefix, value, BOB);
    expect(ephemeralsTo(r, BOB).join('\n')).toContain('cannot read this button');
    expect((await r.h.services.store.getRequest(id))?.status).toBe('pending');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it.each([ACTION.approve, ACTION.reject, ACTION.undo])('%s naming a request that is not on record is refused and recorded', async (prefix) => {
    r = await startRig({ seed: false });
    await click(r, prefix, JSON.stringify({ requestId: "req_' OR 1=1 --" }), BOB);
    expect(ephemeralsTo(r, BOB).join('\n')).toContain('no longer on record');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect((await r.h.services.store.listAudit({})).some((e) => e.kind === 'request.refused' && e.user === BOB)).toBe(true);
  });

  it('approve and reject on a request already decided say who decided it, and nothing runs', async () => {
    r = await startRig();
    const id = await request(r);
    await click(r, ACTION.reject, JSON.stringify({ requestId: id }), BOB, false);
    expect((await r.h.services.store.getRequest(id))?.status).toBe('rejected');

    await click(r, ACTION.approve, JSON.stringify({ requestId: id }), 'U0CAROL');
    await click(r, ACTION.reject, JSON.stringify({ requestId: id }), 'U0DAVE');
    expect(ephemeralsTo(r, 'U0CAROL').join('\n')).toContain(`rejected by <@${BOB}>`);
    expect(ephemeralsTo(r, 'U0DAVE').join('\n')).toContain(`rejected by <@${BOB}>`);
    expect((await r.h.services.store.getRequest(id))?.status).toBe('rejected');
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });

  it('a reason form that cannot be read, or has no reason, is answered in the form itself (before any I/O); a stale one after', async () => {
    r = await startRig({ seed: false });
    const forged = await r.h.submitView({ callbackId: VIEW.requestReason, userId: ALICE, privateMetadata: '{not json', values: reason('x') });
    expect(forged.status).toBe(200);
    expect(forged.json).toMatchObject({ response_action: 'errors' });
    expect(JSON.stringify((forged.json as { errors: Record<string, string> }).errors[BLOCK.requestReasonInput])).toContain('no longer has this finding');
    const metadata = JSON.stringify({ ...requestValue, channel: TEST_CHANNEL });
    for (const blank of [{}, reason(''), reason('   ')]) {
      const res = await r.h.submitView({ callbackId: VIEW.requestReason, userId: ALICE, privateMetadata: metadata, values: blank });
      expect(res.json).toMatchObject({ response_action: 'errors', errors: { [BLOCK.requestReasonInput]: expect.stringContaining('needs a reason') } });
    }
    // Whether the scan still exists needs the store: the form closes, and the answer comes privately.
    const stale = await r.h.submitView({ callbackId: VIEW.requestReason, userId: ALICE, privateMetadata: metadata, values: reason('leaked') });
    expect(stale.status).toBe(200);
    expect(stale.json).toBeUndefined();
    await r.rt.tasks.idle();
    await r.h.waitFor(() => ephemeralsTo(r!, ALICE).length > 0, 5000, 'the refusal');
    expect(ephemeralsTo(r, ALICE).join('\n')).toContain('no longer on record');
    expect(await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).toHaveLength(0);
  });

  it('a finding whose user was deleted meanwhile: the precheck says plainly that the key no longer exists', async () => {
    r = await startRig();
    userGone = true;
    await r.h.click(buttonActionId(ACTION.requestAction, 0), JSON.stringify(requestValue), { user: ALICE, messageTs: '1700000000.000200', threadTs: THREAD });
    await r.h.waitFor(() => r!.h.slack.webApi.callsTo('views.open').length > 0, 5000, 'views.open');
    const view = r.h.slack.webApi.callsTo('views.open').at(-1)!.args.view as { private_metadata: string };
    await r.h.submitView({ callbackId: VIEW.requestReason, userId: ALICE, privateMetadata: view.private_metadata, values: reason('leaked') });
    await r.rt.tasks.idle();
    await r.h.waitFor(() => ephemeralsTo(r!, ALICE).length > 0, 5000, 'the refusal');
    const said = ephemeralsTo(r, ALICE).join('\n');
    expect(said).toContain('Access key AKIAEXAMPLE0001 no longer exists');
    expect(said).not.toMatch(/NoSuchEntity|cannot be found|\n\s+at /);
    expect(await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).toHaveLength(0);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });
});
