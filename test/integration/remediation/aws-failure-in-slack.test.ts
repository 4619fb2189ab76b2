/**
 * An AWS error in the middle of an approved action, end to end: the real Bolt app over HTTP with
 * signed requests, remediating the sandbox account over real HTTP with injected faults. The thread
 * says what failed in plain words and never "Done"; the audit has every AWS attempt with its request
 * id and no secret; a new request resumes where the failed one stopped.
 */
import { GetUserCommand, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { AwsClients } from '../../../src/aws/clients';
import { RateLimiterRegistry } from '../../../src/aws/rate-limit';
import type { ActionId } from '../../../src/remediation/action-ids';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import type { Finding } from '../../../src/scan/model';
import { ACTION, BLOCK, VIEW, buttonActionId, type RequestButtonValue } from '../../../src/slack-ids';
import type { ActionRequest } from '../../../src/store/store';
import { storeFinishedScan } from '../../support/stored-scan';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { sandboxTarget } from '../../../src/sandbox-account';
import { retryAtOnce } from '../../support/virtual-time';

jest.setTimeout(60_000);

const THREAD = '1700000000.000100';
const CAROL = 'U0CAROL';

let sandbox: RunningSandbox;
let h: AppHarness;
let reader: AwsClients;

const findings: Finding[] = [
  {
    id: 'f-backdoor',
    check: 'iam-changes',
    severity: 'critical',
    step: 'R2',
    title: 'User created in the window',
    resources: ['svc-backup'],
    evidence: {},
    actions: ['user.delete'],
    target: { kind: 'user', userName: 'svc-backup' },
  },
  {
    id: 'f-carol',
    check: 'credential-report',
    severity: 'medium',
    step: 'R1',
    title: 'Active key unused for 90+ days',
    resources: ['AKIACAROL00000000001'],
    evidence: {},
    actions: ['key.deactivate'],
    target: { kind: 'access-key', userName: 'carol', accessKeyId: 'AKIACAROL00000000001' },
  },
];

beforeAll(async () => {
  sandbox = await startSandbox({ scenario: 'compromised-key', rateLimits: false });
  // Three attempts: enough to show the SDK retried, few enough to keep the test quick.
  // The SDK's retries without its backoff timers: how many attempts and what they leave behind are under test, not how long they wait.
  const target = { ...sandboxTarget(sandbox), maxAttempts: 3, retryDelayMs: retryAtOnce };
  h = await startAppHarness({ services: { scanTarget: target, remediationTarget: target } });
  reader = new AwsClients({ ...target, maxAttempts: 1 }, new RateLimiterRegistry());
});
afterAll(async () => {
  await h?.close();
  await sandbox?.close();
});
let views = 0;

beforeEach(async () => {
  sandbox.reset();
  sandbox.faults.clear();
  if (await h.services.store.getScan('scan-sandbox')) return;
  await storeFinishedScan(h.services.store, {
    id: 'scan-sandbox',
    channel: TEST_CHANNEL,
    threadTs: THREAD,
    requestedBy: ALICE,
    startedAt: new Date().toISOString(),
    status: 'done',
    result: {
      account: sandbox.accountId,
      window: { start: 'a', end: 'b' },
      regions: ['us-east-1'],
      findings,
      gaps: [],
      stats: { durationMs: 1, apiCalls: {} },
    },
  });
});

/** ALICE clicks the finding's button and submits the reason modal; `approver` approves. */
async function requestAndApprove(findingId: string, action: ActionId, approver: string): Promise<ActionRequest> {
  const value: RequestButtonValue = { scanId: 'scan-sandbox', findingId, action };
  const opens = h.slack.webApi.callsTo('views.open').length;
  await h.click(buttonActionId(ACTION.requestAction, 0), JSON.stringify(value), { user: ALICE, messageTs: '1700000000.000200', threadTs: THREAD });
  await h.waitFor(() => h.slack.webApi.callsTo('views.open').length > opens, 5000, 'views.open');
  const view = h.slack.webApi.callsTo('views.open').at(-1)!.args.view as { private_metadata: string };
  const before = (await h.services.store.listRequests({ channel: TEST_CHANNEL })).length;
  await h.submitView({
    callbackId: VIEW.requestReason,
    userId: ALICE,
    privateMetadata: view.private_metadata,
    viewId: `V0FAIL${++views}`,
    values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: 'backdoor' } } },
  });
  await h.waitFor(
    async () =>
      (await h.services.store.listRequests({ channel: TEST_CHANNEL })).length > before &&
      !!(await h.services.store.listRequests({ channel: TEST_CHANNEL })).at(-1)?.messageTs,
    10_000,
    'the request message',
  );
  const request = (await h.services.store.listRequests({ channel: TEST_CHANNEL })).at(-1)!;
  await h.click(buttonActionId(ACTION.approve, 0), JSON.stringify({ requestId: request.id }), {
    user: approver,
    messageTs: request.messageTs!,
    threadTs: THREAD,
  });
  await h.waitFor(async () => ['succeeded', 'failed'].includes((await h.services.store.getRequest(request.id))?.status ?? ''), 30_000, 'the action to finish');
  await h.idle();
  return (await h.services.store.getRequest(request.id))!;
}

function shownText(request: ActionRequest): string {
  const m = h.slack.message(TEST_CHANNEL, request.messageTs!);
  return `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
}

async function auditCalls(request: ActionRequest): Promise<{ operation: string; requestId?: string; errorCode?: string }[]> {
  return (await h.services.store.listAudit({ requestId: request.id }))
    .filter((e) => e.kind === 'aws.call')
    .map((e) => e.data as { operation: string; requestId?: string; errorCode?: string });
}

async function userExists(userName: string): Promise<boolean> {
  try {
    await reader.iam().send(new GetUserCommand({ UserName: userName }));
    return true;
  } catch {
    return false;
  }
}

async function expectNoSecrets(): Promise<void> {
  const audit = JSON.stringify(await h.services.store.listAudit({}));
  // What was posted to Slack (the stand-in records the bot token each call authenticated with; that is not content).
  const slack = JSON.stringify(h.slack.webApi.calls.filter((c) => c.method !== 'auth.test').map((c) => c.args));
  for (const text of [audit, slack]) {
    expect(text).not.toContain(sandbox.adminCredentials.secretAccessKey);
    expect(text).not.toMatch(/SecretAccessKey|aws_secret|xoxb-|Authorization|Signature=/i);
    // An AWS secret key is 40 characters of base64; nothing of that shape belongs in the record.
    expect(text).not.toMatch(/(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/);
  }
}

describe('an AWS error in the middle of an approved action, through Slack', () => {
  it('user.delete failing halfway is shown as a failure, audited call by call, and a new request resumes it', async () => {
    sandbox.faults.inject('IAM:DeleteUserPolicy', { error: 'ServiceFailure', status: 500, times: 50 });
    const failed = await requestAndApprove('f-backdoor', 'user.delete', BOB);

    expect(failed.status).toBe('failed');
    const shown = shownText(failed);
    expect(shown).toContain('Failed: Delete user');
    expect(shown).toContain('partly done; a new request resumes');
    expect(shown).not.toMatch(/Done:|verified\.|\n\s+at /);
    expect(await userExists('svc-backup')).toBe(true);

    const calls = await auditCalls(failed);
    // Every write that took effect before the fault has AWS's request id in the audit …
    for (const op of ['IAM:DeleteLoginProfile', 'IAM:DeleteAccessKey']) {
      const call = calls.find((c) => c.operation === op);
      expect(call?.requestId).toEqual(expect.any(String));
      expect(call?.errorCode).toBeUndefined();
    }
    // … and each retried attempt of the failing one is there with its error.
    const attempts = calls.filter((c) => c.operation === 'IAM:DeleteUserPolicy');
    expect(attempts).toHaveLength(3);
    expect(attempts.every((c) => /^ServiceFailure/.test(c.errorCode ?? ''))).toBe(true);
    expect(calls.some((c) => c.operation === 'IAM:DeleteUser')).toBe(false);
    const kinds = (await h.services.store.listAudit({ requestId: failed.id })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['request.created', 'request.approved', 'action.started', 'action.snapshot', 'action.failed']));
    expect(kinds).not.toContain('action.succeeded');

    // The fault clears; a new request (a new pair of people) resumes and finishes the deletion.
    sandbox.faults.clear();
    const resumed = await requestAndApprove('f-backdoor', 'user.delete', CAROL);
    expect(resumed.status).toBe('succeeded');
    expect(shownText(resumed)).toContain('Done: Delete user');
    const ops = (await auditCalls(resumed)).map((c) => c.operation);
    expect(ops).toContain('IAM:DeleteUserPolicy');
    expect(ops).toContain('IAM:DeleteUser');
    expect(ops).not.toContain('IAM:DeleteAccessKey');
    expect(await userExists('svc-backup')).toBe(false);
    await expectNoSecrets();
  });

  it('throttling that outlasts the retries fails plainly, changes nothing and is never reported as success', async () => {
    sandbox.faults.inject('IAM:UpdateAccessKey', { error: 'Throttling', status: 400, times: 50 });
    const failed = await requestAndApprove('f-carol', 'key.deactivate', BOB);

    expect(failed.status).toBe('failed');
    const shown = shownText(failed);
    expect(shown).toContain('Failed: Deactivate access key');
    expect(shown).toContain('Throttling');
    expect(shown).not.toMatch(/Done:|\n\s+at /);
    expect(shown).not.toContain(buttonActionId(ACTION.undo, 0));
    const attempts = (await auditCalls(failed)).filter((c) => c.operation === 'IAM:UpdateAccessKey');
    expect(attempts.length).toBeGreaterThan(1);
    expect(attempts.every((c) => c.errorCode === 'Throttling')).toBe(true);
    const keys = await reader.iam().send(new ListAccessKeysCommand({ UserName: 'carol' }));
    expect(keys.AccessKeyMetadata?.[0]?.Status).toBe('Active');
    await expectNoSecrets();
  });
});
