/**
 * The whole local stack without a browser: sandbox + stand-in + the real app. A scan requested on
 * the page's API ends up as Block Kit in the channel that Slack would accept; the page is served.
 */
import { createLogger } from '../../../src/logger';
import { startLocalStack, type RunningLocalStack } from '../../../src/local/start-local';
import { LOCAL_CHANNEL } from '@aws-ir/slack-standin';
import { VirtualTime } from '../../support/virtual-time';

jest.setTimeout(120_000);

describe('local stack', () => {
  let stack: RunningLocalStack;
  // The app's AWS and Slack pacing and the sandbox's throttling on virtual time: nobody waits.
  const time = new VirtualTime();

  beforeAll(async () => {
    stack = await startLocalStack({ port: 0, dbPath: ':memory:', clock: time, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('serves the page with the sandbox banner', async () => {
    const html = await (await fetch(stack.url.replace('localhost', '127.0.0.1'))).text();
    expect(html).toContain('Local sandbox — not Slack, not AWS');
    const state = (await (await fetch(`${stack.url.replace('localhost', '127.0.0.1')}/local/state?user=U0ALICE`)).json()) as { info: { accountId: string } };
    expect(state.info.accountId).toBe(stack.sandbox.accountId);
  });

  test('/aws-ir scan posts findings with action buttons in the channel', async () => {
    await stack.standIn.interactions.slashCommand('U0ALICE', '/aws-ir scan');
    await stack.idle();
    const messages = stack.standIn.workspace.publicMessages(LOCAL_CHANNEL.id);
    expect(messages.length).toBeGreaterThan(0);
    const buttons = () => stack.standIn.workspace.publicMessages(LOCAL_CHANNEL.id).find((m) => JSON.stringify(m.blocks ?? []).includes('"type":"button"'));
    await stack.standIn.webApi.until(() => buttons() !== undefined, { timeoutMs: 60_000, what: 'a message with buttons' });
    const withButtons = buttons();
    if (!withButtons) throw new Error('no message with buttons');
    expect(withButtons.user).toBe('U0AWSIR');
    // Every check ran: the jobs the scan polls (credential report, last-accessed data) completed in the time it waited.
    const scan = await stack.services().store.latestScan(LOCAL_CHANNEL.id);
    expect(scan?.result?.gaps).toEqual([]);
  });

  test("reset stops the replaced app's expiry sweep (it would otherwise run against a closed database)", async () => {
    // Between scans the only timers on the app's clock are its listeners' (the expiry sweep): a reset
    // that left the replaced app's sweep running would add one each time.
    await stack.idle();
    const oneApp = time.pending;
    expect(oneApp).toBeGreaterThan(0);
    await stack.reset();
    expect(time.pending).toBe(oneApp);
    await stack.reset();
    expect(time.pending).toBe(oneApp);
  });

  test('reset puts the sandbox back and clears the channel', async () => {
    const user = stack.sandbox.state.users[0];
    expect(user).toBeDefined();
    stack.sandbox.state.users.splice(0, 1);
    await stack.reset();
    expect(stack.standIn.workspace.publicMessages(LOCAL_CHANNEL.id)).toHaveLength(0);
    expect(stack.sandbox.state.users.some((u) => u.userName === user?.userName)).toBe(true);
  });
});
