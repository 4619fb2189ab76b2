/**
 * The real aws-ir entry point (src/app.ts) as a child process in HTTP mode, between the Slack stand-in
 * and an AwsRecorder, with its SQLite file in a temporary directory. A crash is the child's exit,
 * visible here as `exitCode`, not a failed test worker.
 *
 *   const app = await startAppProcess();
 *   await postSigned(app.eventsUrl, app.signingSecret, body);
 *   app.exitCode            // null while it runs
 *   app.logLines            // its JSON log lines (stdout), parsed
 *   app.tableCounts()       // rows per table of its database, read independently
 *   await app.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type RunningStandIn, startStandIn } from '@aws-ir/slack-standin';
import { createLogger } from '../../../src/logger';
import { AwsRecorder } from './aws-recorder';

const ROOT = join(__dirname, '../../..');
const HOOK = join(ROOT, 'test/support/ts-child.js');

export interface AppLogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface AppProcess {
  eventsUrl: string;
  signingSecret: string;
  botToken: string;
  awsSecretAccessKey: string;
  /** The stand-in's Web API: every call the app made (`slack.calls`). */
  slack: RunningStandIn['webApi'];
  aws: AwsRecorder;
  readonly exitCode: number | null;
  readonly logLines: AppLogLine[];
  /** Standard error (a crash's stack lands here). */
  readonly stderr: string;
  /** Rows per table, and audit rows per kind, read from the database file by a separate connection. */
  tableCounts(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startAppProcess(extraEnv: Record<string, string> = {}): Promise<AppProcess> {
  const aws = await AwsRecorder.start();
  const dir = mkdtempSync(join(tmpdir(), 'aws-ir-fuzz-'));
  const dbPath = join(dir, 'aws-ir.db');
  const signingSecret = randomBytes(16).toString('hex');
  const botToken = `xoxb-fuzz-${randomBytes(8).toString('hex')}`;
  const standIn = await startStandIn({ port: 0, botToken, logger: createLogger('silent') });
  const awsSecretAccessKey = randomBytes(20).toString('base64');
  // A clean environment: nothing of the developer's AWS or Slack settings leaks into the child.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: `${standIn.url}/api/`,
    PORT: '0',
    HOST: '127.0.0.1',
    AWS_IR_DB_PATH: dbPath,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIAFUZZFUZZFUZZFUZZ',
    AWS_SECRET_ACCESS_KEY: awsSecretAccessKey,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    LOG_LEVEL: 'info',
    ...extraEnv,
  };
  // cwd is the temporary directory, so dotenv finds no .env of the developer's.
  const child: ChildProcess = spawn(process.execPath, ['-r', HOOK, join(ROOT, 'src/app.ts')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logLines: AppLogLine[] = [];
  let stderr = '';
  let exitCode: number | null = null;
  let pending = '';
  let onLine: ((line: AppLogLine) => void) | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      if (!raw.trim()) continue;
      let line: AppLogLine;
      try {
        line = JSON.parse(raw) as AppLogLine;
      } catch {
        line = { level: 0, msg: raw };
      }
      logLines.push(line);
      onLine?.(line);
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      exitCode = code ?? (signal ? 128 : 1);
      resolve();
    }),
  );

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`aws-ir did not start within 90 s; stderr: ${stderr}`)), 90_000);
    onLine = (line) => {
      // "aws-ir is running: … (events on port N at /slack/events), scanning …"
      const port = /aws-ir is running/.test(line.msg) ? /events on port (\d+)/.exec(line.msg)?.[1] : undefined;
      if (port) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    };
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`aws-ir exited with ${exitCode} while starting; stderr: ${stderr}`));
    });
  });
  onLine = undefined;

  return {
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret,
    botToken,
    awsSecretAccessKey,
    slack: standIn.webApi,
    aws,
    get exitCode() {
      return exitCode;
    },
    logLines,
    get stderr() {
      return stderr;
    },
    tableCounts() {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      try {
        const counts: Record<string, number> = {};
        for (const table of ['scans', 'requests', 'open_items', 'audit']) {
          counts[table] = (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
        }
        for (const row of db.prepare('SELECT kind, COUNT(*) AS n FROM audit GROUP BY kind').all() as { kind: string; n: number }[]) {
          counts[`audit:${row.kind}`] = row.n;
        }
        return counts;
      } finally {
        db.close();
      }
    },
    async stop() {
      if (exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      await standIn.close();
      await aws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
