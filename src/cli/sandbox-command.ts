/**
 * `aws-ir sandbox [--scenario NAME|FILE] [--port N] [--no-rate-limits]`: runs the built-in sandbox AWS
 * account on 127.0.0.1 until interrupted, and prints how to point the SDK, the AWS CLI or aws-ir at it.
 */
import { startSandbox, ScenarioError, type RunningSandbox } from '@aws-ir/aws-sandbox';
import { quoted, parseFlags, UsageError } from '../args/flags';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './command';

export interface SandboxArgs {
  scenario?: string;
  port: number;
  rateLimits: boolean;
  help: boolean;
}

export const SANDBOX_USAGE = [
  'Usage: aws-ir sandbox [--scenario NAME|FILE] [--port N] [--no-rate-limits]',
  '',
  '  --scenario  compromised-key (default), clean, large, or a scenario JSON file',
  '  --port      port on 127.0.0.1 (default 0: a free port)',
  '  --no-rate-limits  turn off AWS rate limits (CloudTrail LookupEvents 2 req/s per region)',
].join('\n');

const FLAGS = { scenario: 'string', port: 'string', 'no-rate-limits': 'boolean', help: 'boolean' } as const;

export function parseSandboxArgs(argv: string[]): SandboxArgs {
  const { flags } = parseFlags(argv, FLAGS, { short: { h: 'help' } });
  const args: SandboxArgs = { port: 0, rateLimits: flags['no-rate-limits'] !== true, help: flags.help === true };
  if (flags.scenario !== undefined) args.scenario = flags.scenario;
  if (flags.port !== undefined) {
    const port = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || port > 65535) throw new UsageError(`--port must be a port number (0-65535), got ${quoted(flags.port)}.`);
    args.port = port;
  }
  return args;
}

/** What the command prints once the sandbox listens: endpoint, credentials, copy-paste examples. */
export function describeSandbox(sb: RunningSandbox): string {
  const { accessKeyId, secretAccessKey } = sb.adminCredentials;
  return [
    `Sandbox AWS account ${sb.accountId} (scenario: ${sb.scenarioName}) listening on ${sb.endpoint}`,
    '',
    'Administrator credentials (signatures are verified for this key and every key the scenario knows;',
    'any other access key acts as the administrator, unverified):',
    `  export AWS_ACCESS_KEY_ID=${accessKeyId}`,
    `  export AWS_SECRET_ACCESS_KEY=${secretAccessKey}`,
    // AWS_REGION is what SDKs and AWS CLI v2 read; AWS CLI v1 (Debian's awscli) reads only AWS_DEFAULT_REGION.
    `  export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1`,
    `  export AWS_ENDPOINT_URL=${sb.endpoint}`,
    '',
    'Try:',
    `  aws sts get-caller-identity --endpoint-url ${sb.endpoint}`,
    `  aws iam generate-credential-report --endpoint-url ${sb.endpoint}`,
    `  aws iam get-credential-report --endpoint-url ${sb.endpoint} --query Content --output text | base64 -d`,
    `  aws cloudtrail lookup-events --endpoint-url ${sb.endpoint} --max-results 5`,
    `  aws ce get-cost-and-usage --endpoint-url ${sb.endpoint} --time-period Start=$(date -u -d '-7 days' +%F),End=$(date -u +%F) --granularity DAILY --metrics UnblendedCost --group-by Type=DIMENSION,Key=REGION`,
    `  AWS_ENDPOINT_URL=${sb.endpoint} aws-ir scan`,
    '',
    'Press Ctrl+C to stop.',
  ].join('\n');
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(signal);
    };
    const onInt = () => stop('SIGINT');
    const onTerm = () => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
}

/** The dispatcher's entry point; `waitForStop` is replaceable so tests can stop it. */
export async function run(argv: string[], io: CliIo, waitForStop: () => Promise<unknown> = untilSignal): Promise<number> {
  let args: SandboxArgs;
  try {
    args = parseSandboxArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`aws-ir sandbox: ${err.message}\n${SANDBOX_USAGE}`);
      return EXIT_USAGE;
    }
    throw err;
  }
  if (args.help) {
    io.out(SANDBOX_USAGE);
    return EXIT_OK;
  }
  let sb: RunningSandbox;
  try {
    sb = await startSandbox({ scenario: args.scenario, port: args.port, rateLimits: args.rateLimits });
  } catch (err) {
    if (err instanceof ScenarioError) {
      io.err(`aws-ir sandbox: ${err.message}`);
      return EXIT_FAILURE;
    }
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'EADDRINUSE') {
      io.err(`aws-ir sandbox: port ${args.port} is in use; pick another with --port, or --port 0 for a free one.`);
      return EXIT_FAILURE;
    }
    throw err;
  }
  io.out(describeSandbox(sb));
  await waitForStop();
  await sb.close();
  io.err('aws-ir sandbox: stopped.');
  return EXIT_OK;
}
