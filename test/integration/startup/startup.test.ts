/**
 * Starting aws-ir from an environment, as `node dist/src/app.js` does (startFromEnvironment is its
 * body): safe defaults in a container, one sentence per start-up problem (no stack trace, nothing
 * left listening), and /healthz that says ready only when Slack authentication and the store are.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startFromEnvironment } from '../../../src/app';
import type { RunningApp } from '../../../src/start-app';
import type { RunningStandIn } from '@aws-ir/slack-standin';
import { startTestSlack } from '../../support/test-slack';

function io(): { err(line: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, err: (line) => lines.push(...line.split('\n')) };
}

/** Says one thing: one line after the "cannot start" header, no stack, no secret. */
function expectOneSentence(lines: string[], pattern: RegExp): void {
  const said = lines.join('\n');
  expect(said).not.toMatch(/\n\s+at |Error:|xoxb-/);
  const problems = lines.filter((l) => l.trim() && l !== 'aws-ir cannot start:').map((l) => l.replace(/^ {2}- /, ''));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(pattern);
}

async function health(port: number): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, text: await res.text() };
}

describe('start-up', () => {
  let dir: string;
  let slack: RunningStandIn;
  const botToken = 'xoxb-test-0000-startup';
  let app: RunningApp | undefined;
  const slackEnv = () => ({
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: 'startup-signing-secret',
    SLACK_API_URL: slack.apiUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    AWS_IR_DB_PATH: path.join(dir, 'aws-ir.db'),
  });

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-ir-startup-'));
    slack = await startTestSlack(botToken);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await slack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('in the container (HOST=0.0.0.0) without its --env-file, stops with one sentence instead of serving the unauthenticated demo page', async () => {
    const out = io();
    app = await startFromEnvironment({ HOST: '0.0.0.0', PORT: '0', AWS_IR_DB_PATH: path.join(dir, 'x.db') }, out);
    expect(app).toBeUndefined();
    expectOneSentence(out.lines, /^No Slack credentials are set and HOST=0\.0\.0\.0 .*--env-file.*AWS_IR_LOCAL=1/);
    expect(fs.existsSync(path.join(dir, 'x.db'))).toBe(false);
  });

  it('says in one sentence that the port is taken', async () => {
    const taken = http.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    try {
      const out = io();
      app = await startFromEnvironment({ ...slackEnv(), PORT: String(port) }, out);
      expect(app).toBeUndefined();
      expectOneSentence(out.lines, new RegExp(`^aws-ir could not start: Port ${port} is already in use on 127\\.0\\.0\\.1: .*PORT`));
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('says in one sentence that the sandbox scenario does not exist', async () => {
    const out = io();
    app = await startFromEnvironment({ ...slackEnv(), AWS_IR_SANDBOX: 'no-such-scenario' }, out);
    expect(app).toBeUndefined();
    expectOneSentence(out.lines, /^aws-ir could not start: AWS_IR_SANDBOX=no-such-scenario cannot be used: no scenario named "no-such-scenario"/);
  });

  const folder = (d: string) => {
    fs.mkdirSync(path.join(d, 'db'));
    return path.join(d, 'db');
  };
  const junk = (d: string) => {
    fs.writeFileSync(path.join(d, 'junk.db'), 'x'.repeat(4096));
    return path.join(d, 'junk.db');
  };
  const underAFile = (d: string) => {
    fs.writeFileSync(path.join(d, 'file'), '');
    return path.join(d, 'file', 'aws-ir.db');
  };

  it.each([
    ['is a folder', folder, /cannot be opened: check that it is a file/],
    ['is not a database', junk, /is not an aws-ir database/],
    ['lies under a file', underAFile, /part of its folder path is a file/],
  ])('says in one sentence that the database %s', async (_what, place, pattern) => {
    const dbPath = place(dir);
    const out = io();
    app = await startFromEnvironment({ ...slackEnv(), AWS_IR_DB_PATH: dbPath }, out);
    expect(app).toBeUndefined();
    expectOneSentence(out.lines, pattern);
    expect(out.lines[0]).toContain(dbPath);
  });

  it('reports ready on /healthz only while Slack authentication and the store are', async () => {
    app = await startFromEnvironment(slackEnv(), io());
    expect(app?.port).toEqual(expect.any(Number));
    const port = app!.port!;
    expect(await health(port)).toEqual({ status: 200, text: 'ok' });

    // Slack says the token no longer works: not ready, with the reason.
    slack.webApi.failNext('chat.postMessage', 'token_revoked');
    slack.webApi.failNext('chat.postEphemeral', 'token_revoked');
    const { sendSlashCommand } = await import('../../support/signed-request');
    await sendSlashCommand(`http://127.0.0.1:${port}/slack/events`, 'startup-signing-secret', {
      text: 'scan',
      user_id: 'U0ALICE',
      channel_id: 'C0INCIDENT',
      response_url: slack.responseUrl('scan', { user: 'U0ALICE', channel: 'C0INCIDENT' }),
    });
    await slack.webApi.until(() => slack.webApi.callsTo('response_url').length > 0, { timeoutMs: 10_000, what: 'the scan to be refused' });
    expect(await health(port)).toEqual({ status: 503, text: 'not ready: slack: token_revoked' });
  });
});
