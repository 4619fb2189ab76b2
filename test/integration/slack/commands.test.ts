/**
 * The rest of the `/aws-ir` surface over HTTP: help and unknown subcommands, signature checks, the
 * trail subcommand, the investigate button, and acknowledgement time while a scan is running.
 */
import type { AwsClients } from '../../../src/aws/clients';
import type { PrincipalActivity, PrincipalActivityInput } from '../../../src/scan/trail';
import { ACTION, buttonActionId, type InvestigateButtonValue } from '../../../src/slack-ids';
import type { LastAccessedSummary } from '../../../src/scan/checks/last-accessed';
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, type AppHarness } from '../../support/app-harness';
import { compromisedKeyFindings, fakeScan } from '../../support/scan-fixtures';
import { slashCommandBody, postSigned } from '../../support/signed-request';

describe('/aws-ir commands over HTTP', () => {
  let h: AppHarness;
  afterEach(async () => {
    await h?.close();
  });

  it('answers help, an empty command and unknown subcommands with ephemeral usage', async () => {
    h = await startAppHarness();
    for (const text of ['help', '', 'frobnicate now']) {
      const res = await h.command(text);
      expect(res.status).toBe(200);
      expect(res.json?.response_type).toBe('ephemeral');
      expect(String(res.json?.text)).toContain('/aws-ir scan [--days N] [--regions a,b]');
      expect(String(res.json?.text)).toContain('/aws-ir trail');
      // The placeholder is text, not a Slack link or mention to be parsed.
      expect(String(res.json?.text)).toContain('/aws-ir trail &lt;access key id | user | role/NAME&gt;');
    }
    expect(String((await h.command('frobnicate')).json?.text)).toContain('Unknown subcommand "frobnicate"');
    expect(h.slack.webApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('rejects a forged signature, a wrong secret and a stale timestamp, and runs nothing', async () => {
    const scan = fakeScan();
    h = await startAppHarness({ services: { runScan: scan } });
    const body = slashCommandBody({ text: 'scan', user_id: ALICE, channel_id: TEST_CHANNEL });
    const forged = await postSigned(h.eventsUrl, h.signingSecret, body, { signature: `v0=${'0'.repeat(64)}` });
    const wrongSecret = await postSigned(h.eventsUrl, 'not-the-secret', body);
    const stale = await postSigned(h.eventsUrl, h.signingSecret, body, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 });
    for (const res of [forged, wrongSecret, stale]) expect(res.status).toBe(401);
    await h.idle();
    expect(scan.calls).toHaveLength(0);
    expect(h.slack.webApi.callsTo('chat.postMessage')).toHaveLength(0);
  });

  it('acknowledges other commands while a scan is running', async () => {
    let finish = () => {};
    const running = new Promise<void>((resolve) => {
      finish = resolve;
    });
    h = await startAppHarness({ services: { runScan: fakeScan({ until: running }) } });
    await h.command('help'); // warm up (Bolt's first auth.test)
    await h.command('scan');
    const during = [await h.command('scan --days 2'), await h.command('help'), await h.command('trail AKIAEXAMPLELEAKED001')];
    // Acknowledged (Slack's 3-second deadline is a timing: bench/ measures it) while the scan still runs.
    expect(during.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.tasks.size).toBeGreaterThan(0);
    finish();
    await h.idle();
  });

  it("/aws-ir trail posts the principal's activity in a thread", async () => {
    const principalActivity = jest.fn(
      async (_clients: AwsClients, input: PrincipalActivityInput): Promise<PrincipalActivity> => ({
        principal: { kind: 'access-key', name: input.principal },
        window: { start: input.window!.start.toISOString(), end: input.window!.end.toISOString() },
        regions: [
          {
            region: 'us-east-1',
            events: [
              {
                name: 'CreateUser',
                time: '2026-11-27T03:14:09Z',
                sourceIp: '203.0.113.77',
                accessKeyId: 'AKIAEXAMPLELEAKED001',
                principal: 'ci-deploy',
                resources: [],
              },
              { name: 'ListBuckets', time: '2026-11-27T03:10:00Z', sourceIp: '203.0.113.77', error: 'AccessDenied', principal: 'ci-deploy', resources: [] },
            ],
            counts: { CreateUser: 1, ListBuckets: 1 },
            truncated: false,
          },
          {
            region: 'sa-east-1',
            events: [{ name: 'RunInstances', time: '2026-11-27T03:20:00Z', sourceIp: '203.0.113.77', principal: 'ci-deploy', resources: [] }],
            counts: { RunInstances: 1 },
            truncated: false,
          },
        ],
        totalEvents: 3,
        sourceIps: ['203.0.113.77'],
        gaps: [{ region: 'me-south-1', reason: 'The region is not enabled.' }],
      }),
    );
    h = await startAppHarness({ listeners: { lookups: { principalActivity } } });
    const res = await h.command('trail AKIAEXAMPLELEAKED001 --days 30');
    expect(res.status).toBe(200);
    await h.idle();
    expect(principalActivity).toHaveBeenCalledTimes(1);
    const [, query] = principalActivity.mock.calls[0]!;
    expect(query.principal).toBe('AKIAEXAMPLELEAKED001');
    expect(query.window!.end.getTime() - query.window!.start.getTime()).toBe(30 * 86_400_000);
    const posts = h.slack.webApi.callsTo('chat.postMessage');
    expect(String(posts[0].args.text)).toContain('looked up the CloudTrail activity of access key AKIAEXAMPLELEAKED001');
    const threadTs = [...h.slack.messages()][0].ts;
    const replies = posts.slice(1);
    expect(replies.length).toBeGreaterThan(0);
    for (const r of replies) {
      expect(r.args.thread_ts).toBe(threadTs);
      expectWithinBlockKitLimits(r.args.blocks as unknown[], String(r.args.text));
    }
    const text = JSON.stringify(replies.map((r) => r.args.blocks));
    expect(text).toContain('3 events in 2 regions, 1 failed');
    expect(text).toContain(':warning: 2026-11-27 03:20 UTC · sa-east-1 · `RunInstances`');
    expect(text.indexOf('RunInstances')).toBeLessThan(text.indexOf('ListBuckets')); // newest first
    expect(text).toContain('me-south-1: The region is not enabled.');
  });

  it('/aws-ir trail without a principal, or with a bad one, answers ephemerally', async () => {
    h = await startAppHarness();
    expect(String((await h.command('trail')).json?.text)).toContain('Say whose activity to show');
    expect(String((await h.command('trail a b')).json?.text)).toContain('one principal at a time');
    expect(String((await h.command('trail bad;name!')).json?.text)).toContain('is not an access key id');
  });

  it('the investigate button posts last-accessed data in the scan thread for the stored finding', async () => {
    const lastAccessedFor = jest.fn(
      async (_c: unknown, arn: string): Promise<LastAccessedSummary> => ({
        arn,
        used: [
          { service: 'AWS Identity and Access Management', namespace: 'iam', lastAuthenticated: '2026-11-27T03:14:00Z', region: 'us-east-1' },
          { service: 'Amazon EC2', namespace: 'ec2', lastAuthenticated: '2026-11-27T03:20:00Z', region: 'sa-east-1' },
        ],
        neverUsed: 312,
      }),
    );
    h = await startAppHarness({ services: { runScan: fakeScan({ findings: compromisedKeyFindings() }) }, listeners: { lookups: { lastAccessedFor } } });
    await h.command('scan');
    await h.idle();
    const scan = await h.services.store.latestScan(TEST_CHANNEL);
    const finding = scan?.result?.findings.find((f) => f.target?.kind === 'access-key');
    expect(finding).toBeDefined();
    const value: InvestigateButtonValue = { scanId: scan?.id as string, findingId: finding?.id as string };
    const before = h.slack.webApi.callsTo('chat.postMessage').length;
    const res = await h.click(buttonActionId(ACTION.investigate, 3), JSON.stringify(value), {
      user: BOB,
      messageTs: scan?.threadTs as string,
      threadTs: scan?.threadTs,
    });
    expect(res.status).toBe(200);
    await h.idle();
    expect(lastAccessedFor).toHaveBeenCalledWith(expect.anything(), 'arn:aws:iam::111122223333:user/ci-deploy');
    const posted = h.slack.webApi.callsTo('chat.postMessage').slice(before);
    expect(posted.length).toBeGreaterThan(0);
    expect(posted.every((p) => p.args.thread_ts === scan?.threadTs)).toBe(true);
    const text = JSON.stringify(posted.map((p) => p.args.blocks));
    expect(text).toContain('IAM user ci-deploy');
    expect(text).toContain('2 services used');
    expect(text).toContain('sa-east-1');
  });

  it('the investigate button refuses privately for an unknown scan or a malformed value', async () => {
    const lastAccessedFor = jest.fn();
    h = await startAppHarness({ listeners: { lookups: { lastAccessedFor } } });
    await h.click(buttonActionId(ACTION.investigate, 0), JSON.stringify({ scanId: 'nope', findingId: 'nope' }), { messageTs: '1.000001' });
    await h.click(buttonActionId(ACTION.investigate, 1), 'not json', { messageTs: '1.000001' });
    await h.waitFor(() => h.slack.webApi.callsTo('chat.postEphemeral').length >= 2, 5000, 'two ephemeral refusals');
    const eph = h.slack.webApi.callsTo('chat.postEphemeral');
    expect(eph).toHaveLength(2);
    expect(String(eph[0].args.text)).toContain('run `/aws-ir scan` again');
    expect(eph[0].args.user).toBe(ALICE);
    expect(lastAccessedFor).not.toHaveBeenCalled();
  });
});
