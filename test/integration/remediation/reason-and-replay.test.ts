/**
 * Every request has a reason, and a request is created once per submission, through the real Bolt
 * app over HTTP: when the reason form cannot open (views.open fails) nothing is requested and the
 * person is asked to click again; the same signed form submission sent ten times creates one pending
 * request and one message, because the store keys requests by the form's view id.
 */
import { GetAccessKeyLastUsedCommand, IAMClient, ListAccessKeysCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { REFUSALS } from '../../../src/errors';
import { ACTION, BLOCK, VIEW, buttonActionId } from '../../../src/slack-ids';
import { ALICE, TEST_CHANNEL } from '../../support/app-harness';
import { interactionBody, postSigned, viewSubmissionPayload } from '../../support/signed-request';
import { ACCOUNT, KEY, requestValue, startRig, THREAD, type Rig } from './key-finding-rig';

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);

beforeEach(() => {
  iam.reset();
  sts.reset();
  sts.on(GetCallerIdentityCommand).resolves({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/aws-ir-remediate/session` });
  iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ UserName: 'ci-deploy', AccessKeyId: KEY.accessKeyId, Status: 'Active' }] });
  iam.on(GetAccessKeyLastUsedCommand).resolves({ AccessKeyLastUsed: { ServiceName: 'iam', Region: 'us-east-1' } });
});

const clickFinding = (r: Rig) =>
  r.h.click(buttonActionId(ACTION.requestAction, 0), JSON.stringify(requestValue), { user: ALICE, messageTs: '1.2', threadTs: THREAD });

describe('reasons and replays', () => {
  let r: Rig | undefined;
  afterEach(async () => {
    await r?.close();
    r = undefined;
  });

  it('when the reason form cannot open, nothing is requested and the person is asked to click again', async () => {
    r = await startRig();
    r.h.slack.webApi.failNext('views.open', 'expired_trigger_id');
    expect((await clickFinding(r)).status).toBe(200);
    await r.rt.tasks.idle();
    await r.h.waitFor(() => r!.h.slack.webApi.callsTo('chat.postEphemeral').length > 0, 5000, 'the answer');
    const said = r.h.slack.webApi.callsTo('chat.postEphemeral').map((c) => [c.args.user, c.args.text]);
    expect(said).toEqual([[ALICE, REFUSALS.modalDidNotOpen]]);
    expect(await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).toEqual([]);
    expect(r.h.slack.webApi.callsTo('chat.postMessage')).toEqual([]);

    // Clicking again opens the form, and with a reason the request is made.
    await clickFinding(r);
    await r.h.waitFor(() => r!.h.slack.webApi.callsTo('views.open').length === 2, 5000, 'the form');
    const view = r.h.slack.webApi.callsTo('views.open').at(-1)!.args.view as { private_metadata: string };
    await r.h.submitView({
      callbackId: VIEW.requestReason,
      userId: ALICE,
      privateMetadata: view.private_metadata,
      viewId: 'V0AGAIN',
      values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'key on a paste site' } } },
    });
    await r.rt.tasks.idle();
    expect(await r.h.services.store.listRequests({ channel: TEST_CHANNEL })).toEqual([
      expect.objectContaining({ status: 'pending', reason: 'key on a paste site' }),
    ]);
  });

  it('the same signed form submission sent ten times creates one pending request and one message', async () => {
    r = await startRig();
    const submission = interactionBody(
      viewSubmissionPayload({
        callbackId: VIEW.requestReason,
        userId: ALICE,
        viewId: 'V0REPLAYED',
        privateMetadata: JSON.stringify({ ...requestValue, channel: TEST_CHANNEL }),
        values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'leaked' } } },
      }),
    );
    const answers = await Promise.all(Array.from({ length: 10 }, () => postSigned(r!.h.eventsUrl, r!.h.signingSecret, submission)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    await r.rt.tasks.idle();
    const requests = await r.h.services.store.listRequests({ channel: TEST_CHANNEL });
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ status: 'pending', idempotencyKey: 'view:V0REPLAYED' });
    expect(r.h.slack.webApi.callsTo('chat.postMessage')).toHaveLength(1);
    const created = (await r.h.services.store.listAudit({ channel: TEST_CHANNEL })).filter((e) => e.kind === 'request.created');
    expect(created).toHaveLength(1);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
  });
});
