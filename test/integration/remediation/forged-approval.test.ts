/**
 * Forged and replayed Approve clicks through the real Bolt app over HTTP: a bad signature, the wrong
 * secret, a captured click replayed after Slack's 5-minute window, and a signed body altered in
 * transit (another approver) are all refused with 401, and the pending request stays untouched.
 */
import { IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { ACTION, buttonActionId } from '../../../src/slack-ids';
import type { ActionRequest } from '../../../src/store/store';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { blockActionPayload, interactionBody, postSigned, slackSignature } from '../../support/signed-request';

const iam = mockClient(IAMClient);

describe('forged and replayed approvals', () => {
  let h: AppHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('are refused with 401 and nothing is approved, recorded as a decision or sent to AWS', async () => {
    iam.reset();
    iam.on(UpdateAccessKeyCommand).resolves({});
    h = await startAppHarness();
    const now = new Date();
    const request: ActionRequest = {
      id: 'req-pending',
      action: 'key.deactivate',
      target: { kind: 'access-key', userName: 'ci-deploy', accessKeyId: 'AKIAEXAMPLE0001' },
      account: '111122223333',
      channel: TEST_CHANNEL,
      threadTs: '1700000000.000100',
      requestedBy: ALICE,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
      status: 'pending',
      dryRun: false,
      messageTs: '1700000000.000300',
    };
    await h.services.store.createRequest(request);
    const click = (user: string) =>
      interactionBody(
        blockActionPayload({
          actionId: buttonActionId(ACTION.approve, 0),
          value: JSON.stringify({ requestId: request.id }),
          userId: user,
          channelId: TEST_CHANNEL,
          messageTs: request.messageTs!,
        }),
      );

    const body = click(BOB);
    const forged = await postSigned(h.eventsUrl, h.signingSecret, body, { signature: `v0=${'0'.repeat(64)}` });
    const wrongSecret = await postSigned(h.eventsUrl, 'not-the-signing-secret', body);
    const replayed = await postSigned(h.eventsUrl, h.signingSecret, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    // A click signed for ALICE whose body was changed in transit to name BOB as the approver.
    const ts = Math.floor(Date.now() / 1000);
    const altered = await postSigned(h.eventsUrl, h.signingSecret, click(BOB), { timestamp: ts, signature: slackSignature(h.signingSecret, ts, click(ALICE)) });
    for (const res of [forged, wrongSecret, replayed, altered]) expect(res.status).toBe(401);

    await h.idle();
    expect((await h.services.store.getRequest(request.id))?.status).toBe('pending');
    expect((await h.services.store.listAudit({ requestId: request.id })).filter((e) => e.kind !== 'request.created')).toEqual([]);
    expect(iam.commandCalls(UpdateAccessKeyCommand)).toHaveLength(0);
    expect(h.slack.webApi.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);

    // The same click, correctly signed now, reaches the workflow (which records BOB's attempt): the
    // refusals above were the signature's doing, not a listener that ignores this button.
    expect((await postSigned(h.eventsUrl, h.signingSecret, body)).status).toBe(200);
    await h.waitFor(async () => (await h.services.store.listAudit({ requestId: request.id })).some((e) => e.user === BOB), 5000, "BOB's approval attempt");
    await h.idle();
  });
});
