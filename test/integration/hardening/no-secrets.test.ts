/**
 * Item 9 of issue 14: no secret anywhere. The whole app (real Bolt app over HTTP, real scan engine,
 * the sandbox account reached through an assumed role, so aws-ir holds session credentials) is driven
 * through a scan, a request through the reason modal, an approval that writes to AWS, an undo, an AWS
 * failure, a Slack failure, a refusal, evidence, trail, status and audit, and a Socket Mode app is
 * built with an app-level token. Then everything it produced is collected: every log line (at
 * trace level), every Slack call body, every HTTP answer it gave, the audit export (JSON and
 * Markdown), every row of its database, and the configuration errors it prints. None of the secrets
 * the test set up appears in any of it: the signing secret, the bot and app tokens, the sandbox's
 * AWS secret keys, or the session credentials aws-ir was issued.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { startSandbox, type RunningSandbox } from '@aws-ir/aws-sandbox';
import Database from 'better-sqlite3';
import { run as runAuditExport } from '../../../src/cli/audit-command';
import { ConfigError, loadConfig } from '../../../src/config';
import { runScan } from '../../../src/scan/engine';
import { ACTION, BLOCK, VIEW, buttonActionId, type RequestButtonValue } from '../../../src/slack-ids';
import { createSlackApp } from '../../../src/slack/create-app';
import { SqliteStore } from '../../../src/store/sqlite-store';
import type { ActionRequest } from '../../../src/store/store';
import { ALICE, BOB, startAppHarness, TEST_CHANNEL, testConfig, type AppHarness } from '../../support/app-harness';
import type { SlackHttpResponse } from '../../support/signed-request';
import { listenersIdle } from '../../support/hardening/listeners-idle';
import { LogSink } from '../../support/hardening/log-sink';
import { sandboxClock } from '../../../src/sandbox-account';
import { retryAtOnce, VirtualTime } from '../../support/virtual-time';

jest.setTimeout(180_000);

let views = 0;

const APP_TOKEN = `xapp-1-A0AWSIR-${randomBytes(16).toString('hex')}`;

describe('no secret in anything the app produces', () => {
  let sandbox: RunningSandbox;
  let h: AppHarness;
  let dir: string;
  // The sandbox's clock and throttling, and the app's clock, pacing and polls, on one virtual time: nobody waits.
  const time = new VirtualTime();
  let idle: () => Promise<void>;
  const sink = new LogSink();
  const answers: SlackHttpResponse[] = [];
  const answered = async (res: Promise<SlackHttpResponse>) => {
    const r = await res;
    answers.push(r);
    return r;
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: 'compromised-key', ...sandboxClock(time) });
    dir = mkdtempSync(join(tmpdir(), 'aws-ir-secrets-'));
    // aws-ir works through a role, as in production: it holds session credentials from STS.
    const roleArn = `arn:aws:iam::${sandbox.accountId}:role/ops-support`;
    const viaRole = (session: string) => ({
      key: sandbox.accountId,
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: fromTemporaryCredentials({
        masterCredentials: sandbox.adminCredentials,
        params: { RoleArn: roleArn, RoleSessionName: session },
        clientConfig: { region: 'us-east-1', endpoint: sandbox.endpoint },
      }),
      clock: time,
      retryDelayMs: retryAtOnce,
    });
    h = await startAppHarness({
      services: {
        logger: sink.logger('trace'),
        store: new SqliteStore(join(dir, 'aws-ir.db')),
        runScan,
        scanTarget: viaRole('aws-ir-scan'),
        remediationTarget: viaRole('aws-ir-remediation'),
        clock: time,
      },
    });
    idle = listenersIdle(h);
  });
  afterAll(async () => {
    await h?.close();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function keyButton(): Promise<string> {
    const scan = await h.services.store.latestScan(TEST_CHANNEL);
    const findings = scan?.result?.findings ?? [];
    const finding = findings.find((f) => f.actions.includes('key.deactivate') && f.target?.kind === 'access-key' && f.target.userName === 'ci-deploy');
    const value: RequestButtonValue = { scanId: scan?.id ?? '', findingId: finding?.id ?? '?', action: 'key.deactivate' };
    return JSON.stringify(value);
  }

  /** Submits the reason form the click before opened (every request, undo included, has a reason). */
  async function giveReason(opens: number, user: string, reason: string): Promise<ActionRequest> {
    await h.waitFor(() => h.slack.webApi.callsTo('views.open').length > opens, 10_000, 'the reason modal');
    const view = h.slack.webApi.callsTo('views.open').at(-1)?.args.view as { private_metadata: string };
    await answered(
      h.submitView({
        callbackId: VIEW.requestReason,
        // A new form each time: the same view id is a replay of one submission.
        viewId: `V0SECRETS${++views}`,
        userId: user,
        privateMetadata: view.private_metadata,
        values: { [BLOCK.requestReasonInput]: { [BLOCK.requestReasonAction]: { type: 'plain_text_input', value: reason } } },
      }),
    );
    await idle();
    return (await h.services.store.listRequests({ channel: TEST_CHANNEL })).at(-1) as ActionRequest;
  }

  async function request(user: string, reason: string): Promise<ActionRequest> {
    const opens = h.slack.webApi.callsTo('views.open').length;
    await answered(h.click(buttonActionId(ACTION.requestAction, 0), await keyButton(), { user, messageTs: '1700000000.000200' }));
    return giveReason(opens, user, reason);
  }

  async function click(prefix: string, r: ActionRequest, user: string): Promise<ActionRequest> {
    await answered(h.click(buttonActionId(prefix, 0), JSON.stringify({ requestId: r.id }), { user, messageTs: r.messageTs ?? '1.1' }));
    await idle();
    return (await h.services.store.getRequest(r.id)) as ActionRequest;
  }

  it('finds none of the signing secret, tokens, AWS secret keys or session credentials', async () => {
    await answered(h.command('scan --days 7'));
    await idle();
    expect((await h.services.store.latestScan(TEST_CHANNEL))?.status).toBe('done');

    const deactivate = await request(ALICE, 'leaked on a public repository');
    expect((await click(ACTION.approve, deactivate, ALICE)).status).toBe('pending'); // self-approval refused
    expect((await click(ACTION.approve, deactivate, BOB)).status).toBe('succeeded');
    const opens = h.slack.webApi.callsTo('views.open').length;
    await click(ACTION.undo, deactivate, BOB);
    const undo = await giveReason(opens, BOB, 'the deploy pipeline broke');
    expect(undo.undoOf).toBe(deactivate.id);
    expect((await click(ACTION.approve, undo, ALICE)).status).toBe('succeeded');

    // An AWS failure during an approved action, and Slack refusing a post.
    sandbox.faults.inject('IAM:UpdateAccessKey', { error: 'AccessDenied', status: 403 });
    const failing = await request(ALICE, 'again');
    expect((await click(ACTION.approve, failing, BOB)).status).toBe('failed');
    sandbox.faults.clear();
    h.slack.webApi.failNext('chat.postMessage', 'invalid_auth', 3);
    for (const text of ['status', 'evidence', 'audit', 'trail AKIACIDEPLOYLEAKED01 --days 7', 'status', 'audit']) {
      await answered(h.command(text));
      await idle();
    }

    // The audit export a team hands over, both formats.
    const exported: string[] = [];
    for (const format of ['json', 'markdown']) {
      const code = await runAuditExport(['--format', format], {
        out: (t) => exported.push(t),
        err: (t) => exported.push(t),
        env: { AWS_IR_DB_PATH: join(dir, 'aws-ir.db') },
        interactive: false,
      });
      expect(code).toBe(0);
    }

    // Configuration errors print what is wrong, never the value given.
    const configErrors: string[] = [];
    try {
      loadConfig({ SLACK_BOT_TOKEN: `xoxp-${APP_TOKEN}`, SLACK_APP_TOKEN: `not-${APP_TOKEN}`, SLACK_SIGNING_SECRET: h.signingSecret, PORT: 'x' });
    } catch (err) {
      if (err instanceof ConfigError) configErrors.push(err.message);
    }
    expect(configErrors).toHaveLength(1);
    // A Socket Mode app built with the app-level token, logging to the same sink.
    const authTests = h.slack.webApi.callsTo('auth.test').length;
    const socket = createSlackApp(
      { ...testConfig(h.slack.apiUrl, 'unused'), slack: { mode: 'socket', botToken: 'xoxb-test-0000-aws-ir', appToken: APP_TOKEN, apiUrl: h.slack.apiUrl } },
      { logger: sink.logger('trace') },
    );
    expect(socket.app).toBeDefined();
    await h.waitFor(() => h.slack.webApi.callsTo('auth.test').length > authTests, 10_000, 'the Socket Mode app verifying its token');

    const db = new Database(join(dir, 'aws-ir.db'), { readonly: true });
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    const rows = tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all()));
    db.close();

    const secrets: Record<string, string> = {
      'signing secret': h.signingSecret,
      'bot token': String(h.services.config.slack.botToken),
      'app token': APP_TOKEN,
      'sandbox admin secret key': sandbox.adminCredentials.secretAccessKey,
    };
    sandbox.state.sessions.forEach((s, i) => {
      secrets[`session ${i} (${s.roleSessionName}) secret key`] = s.secretAccessKey;
      secrets[`session ${i} (${s.roleSessionName}) session token`] = s.sessionToken;
    });
    for (const u of sandbox.state.users) for (const k of u.accessKeys) secrets[`${u.userName}'s secret key`] = k.secretAccessKey;
    // aws-ir really held session credentials, for both of its identities.
    expect(sandbox.state.sessions.map((s) => s.roleSessionName)).toEqual(expect.arrayContaining(['aws-ir-scan', 'aws-ir-remediation']));

    const produced: Record<string, string> = {
      logs: sink.raw.join('\n'),
      // Everything sent to Slack except the credential itself (Bolt's auth.test passes the bot token as its `token` argument).
      'Slack calls': JSON.stringify(h.slack.webApi.calls.map((c) => ({ method: c.method, args: { ...c.args, token: undefined } }))),
      'HTTP answers': JSON.stringify(answers.map((a) => a.text)),
      'audit export': exported.join('\n'),
      database: rows.join('\n'),
      'configuration errors': configErrors.join('\n'),
    };
    const found: string[] = [];
    for (const [what, text] of Object.entries(produced)) {
      for (const [name, secret] of Object.entries(secrets)) {
        // The whole value, a 16-character piece of it, and its URL-encoded form.
        for (const needle of new Set([secret, secret.slice(0, 16), secret.slice(-16), encodeURIComponent(secret)]))
          if (text.includes(needle)) found.push(`${name} in ${what}`);
      }
    }
    const sizes = Object.entries(produced).map(([what, text]) => `${what} ${text.length}`);
    process.stdout.write(`no secrets: ${Object.keys(secrets).length} secrets checked in ${sizes.join(', ')} characters; found ${found.length}\n`);
    // The error paths really ran and said something.
    expect(produced['Slack calls']).toContain("aws-ir's Slack token is not valid");
    expect(produced['Slack calls']).toContain('Failed: ');
    expect(sink.raw.length).toBeGreaterThan(20);
    expect(h.slack.webApi.calls.length).toBeGreaterThan(20);
    expect(found).toEqual([]);
  });
});
