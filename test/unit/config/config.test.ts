import { ConfigError, loadConfig, loadCoreConfig, secretsOf } from '../../../src/config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('loadConfig', () => {
  it('runs locally against the default sandbox scenario when no Slack credentials are set', () => {
    const c = loadConfig({});
    expect(c.slack.mode).toBe('local');
    expect(c.aws.sandboxScenario).toBe('compromised-key');
    expect(c.port).toBe(3000);
    expect(c.drill).toBe(false);
    expect(c.remediation.requestTtlMinutes).toBe(30);
    expect(c.dbPath).toBe('./data/aws-ir.db');
  });

  it('reads the approval policy and the scan deadline, with safe defaults (break-glass off, one approver)', () => {
    const defaults = loadConfig({}).remediation;
    expect(defaults).toMatchObject({ executionTtlMinutes: 10, destructiveApprovers: 1, breakGlass: false });
    expect(loadConfig({}).scanDeadlineSeconds).toBe(300);
    const c = loadConfig({
      AWS_IR_EXECUTION_TTL_MINUTES: '15',
      AWS_IR_DESTRUCTIVE_APPROVERS: '2',
      AWS_IR_BREAK_GLASS: '1',
      AWS_IR_SCAN_DEADLINE_SECONDS: '120',
      AWS_IR_RESPONDERS: 'U0AAA U0BBB U0CCC',
    });
    expect(c.remediation).toMatchObject({ executionTtlMinutes: 15, destructiveApprovers: 2, breakGlass: true });
    expect(c.scanDeadlineSeconds).toBe(120);
  });

  it('says in one sentence each what is wrong with the approval policy', () => {
    const problems = problemsOf({
      AWS_IR_EXECUTION_TTL_MINUTES: '0',
      AWS_IR_DESTRUCTIVE_APPROVERS: 'two',
      AWS_IR_BREAK_GLASS: 'maybe',
      AWS_IR_SCAN_DEADLINE_SECONDS: '5',
    });
    expect(problems).toEqual([
      'AWS_IR_EXECUTION_TTL_MINUTES must be a whole number from 1 to 1440 (got "0").',
      'AWS_IR_DESTRUCTIVE_APPROVERS must be a whole number from 1 to 5 (got "two").',
      'AWS_IR_BREAK_GLASS must be true or false (got "maybe").',
      'AWS_IR_SCAN_DEADLINE_SECONDS must be a whole number from 10 to 3600 (got "5").',
    ]);
    expect(problemsOf({ AWS_IR_DESTRUCTIVE_APPROVERS: '2', AWS_IR_RESPONDERS: 'U0AAA U0BBB' })).toEqual([
      'AWS_IR_DESTRUCTIVE_APPROVERS=2 needs at least 3 responders (the requester never counts), but AWS_IR_RESPONDERS lists 2: add responders or lower it.',
    ]);
    // A user group may hold any number of people: not counted, not refused.
    expect(problemsOf({ AWS_IR_DESTRUCTIVE_APPROVERS: '2', AWS_IR_RESPONDERS: 'U0AAA S0ONCALL' })).toEqual([]);
  });

  it('chooses HTTP mode with a bot token and signing secret', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh-secret', PORT: '8080' });
    expect(c.slack.mode).toBe('http');
    expect(c.port).toBe(8080);
    expect(c.aws.sandboxScenario).toBeUndefined();
  });

  it('chooses Socket Mode with an app token', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-abc' });
    expect(c.slack.mode).toBe('socket');
  });

  it('marks real Slack with the sandbox account as a drill', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', AWS_IR_SANDBOX: 'clean' });
    expect(c.drill).toBe(true);
    expect(c.aws.sandboxScenario).toBe('clean');
  });

  it('reports every problem at once, each saying what to do', () => {
    const problems = problemsOf({
      SLACK_SIGNING_SECRET: 'x',
      PORT: 'eighty',
      AWS_IR_SCAN_ROLE_ARN: 'my-role',
      AWS_IR_RESPONDERS: 'U123ABC,alice',
      AWS_IR_DRY_RUN: 'maybe',
      SLACK_API_URL: 'not a url',
    });
    expect(problems).toHaveLength(6);
    expect(problems.join('\n')).toMatch(/SLACK_BOT_TOKEN is missing.*OAuth & Permissions/);
    expect(problems.join('\n')).toMatch(/PORT must be a whole number/);
    expect(problems.join('\n')).toMatch(/AWS_IR_SCAN_ROLE_ARN must be an IAM role ARN/);
    expect(problems.join('\n')).toMatch(/"alice" is not a Slack user id/);
    expect(problems.join('\n')).toMatch(/AWS_IR_DRY_RUN must be true or false/);
    expect(problems.join('\n')).toMatch(/SLACK_API_URL must be an http\(s\) URL/);
  });

  it('normalises SLACK_API_URL to end with a slash and parses lists', () => {
    const c = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: 'http://127.0.0.1:9999/api',
      AWS_IR_RESPONDERS: 'U01ALICE, S02TEAM',
      AWS_IR_PROTECTED_ARNS: 'arn:aws:iam::123456789012:role/break-glass',
      AWS_IR_DRY_RUN: 'true',
    });
    expect(c.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
    expect(c.remediation.responders).toEqual(['U01ALICE', 'S02TEAM']);
    expect(c.remediation.protectedArns).toEqual(['arn:aws:iam::123456789012:role/break-glass']);
    expect(c.remediation.dryRun).toBe(true);
  });

  it('takes an optional listening address and rejects nonsense', () => {
    expect(loadConfig({}).host).toBeUndefined();
    expect(loadConfig({ HOST: '0.0.0.0', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).host).toBe('0.0.0.0');
    expect(problemsOf({ HOST: 'http://x y' }).join('\n')).toMatch(/HOST must be an address/);
  });

  it('serves the local demo (no login) only on loopback, or beyond it when AWS_IR_LOCAL=1 asks for it', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(loadConfig({ HOST: host }).slack.mode).toBe('local');
    // The container image sets HOST=0.0.0.0: without its --env-file, start-up stops with one sentence.
    const problems = problemsOf({ HOST: '0.0.0.0' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^No Slack credentials are set and HOST=0\.0\.0\.0 .*AWS_IR_LOCAL=1[^.]*\.$/);
    expect(problems[0]!.split('. ')).toHaveLength(1);
    expect(loadConfig({ HOST: '0.0.0.0', AWS_IR_LOCAL: '1' })).toMatchObject({ host: '0.0.0.0', slack: { mode: 'local' } });
    expect(problemsOf({ AWS_IR_LOCAL: '1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).join('\n')).toMatch(
      /AWS_IR_LOCAL=1 asks for the local sandbox/,
    );
  });

  it('gives the command line the shared settings without asking about Slack or where to listen', () => {
    const core = loadCoreConfig({ HOST: '0.0.0.0', AWS_IR_DB_PATH: '/tmp/x.db', AWS_IR_SANDBOX: 'clean' });
    expect(core).toMatchObject({ dbPath: '/tmp/x.db', aws: { sandboxScenario: 'clean' } });
    expect(loadCoreConfig({}).aws.sandboxScenario).toBeUndefined();
    expect(() => loadCoreConfig({ AWS_REGION: 'mars' })).toThrow(ConfigError);
  });

  it('never echoes a secret in its messages', () => {
    const problems = problemsOf({ SLACK_BOT_TOKEN: 'not-a-bot-token-secret-value', SLACK_SIGNING_SECRET: 'sig' });
    expect(problems.join('\n')).not.toContain('not-a-bot-token-secret-value');
  });

  it('selects PostgreSQL with DATABASE_URL (HTTP and Socket Mode, the command line), never in local mode, and keeps its password secret', () => {
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh-secret' };
    const url = 'postgres://aws_ir_app:pa%40ss-word-123@db.internal:5432/aws_ir?sslmode=require';
    const c = loadConfig({ ...slack, DATABASE_URL: url, AWS_IR_DATABASE_POOL_SIZE: '4', AWS_IR_SWEEP_SECONDS: '5' });
    expect(c).toMatchObject({ databaseUrl: url, databasePoolSize: 4, sweepIntervalMs: 5000 });
    expect(secretsOf(c)).toEqual(expect.arrayContaining([url, 'pa@ss-word-123']));
    expect(loadCoreConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBeUndefined();
    expect(loadConfig(slack)).toMatchObject({ databasePoolSize: 10, sweepIntervalMs: 60_000 });
    expect(loadConfig(slack).databaseUrl).toBeUndefined();
  });

  it('refuses a DATABASE_URL that is not PostgreSQL, and pool or sweep settings out of range, without echoing the URL', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'shh',
      DATABASE_URL: 'mysql://root:hunter2-secret@db/x',
      AWS_IR_DATABASE_POOL_SIZE: '0',
      AWS_IR_SWEEP_SECONDS: 'often',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a PostgreSQL URL such as postgres:\/\/USER:PASSWORD@HOST:5432\/DATABASE/),
      'AWS_IR_DATABASE_POOL_SIZE must be a whole number from 1 to 100 (got "0").',
      'AWS_IR_SWEEP_SECONDS must be a whole number from 1 to 3600 (got "often").',
    ]);
    expect(problems.join('\n')).not.toContain('hunter2-secret');
  });
});
