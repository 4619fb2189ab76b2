/**
 * The AWS account a terminal command works on: the built-in sandbox when AWS_IR_SANDBOX names a
 * scenario, otherwise the SDK's default chain (+ AWS_IR_SCAN_ROLE_ARN, AWS_ENDPOINT_URL*), exactly as
 * the app would scan it. Shared by `aws-ir scan` and `aws-ir trail`.
 */
import type { AwsAccountTarget } from '../aws/account';
import { scanTargetFromConfig } from '../aws/targets';
import { loadConfig } from '../config';

export interface CliTarget {
  target: AwsAccountTarget;
  /** Stops the in-process sandbox, when one was started. */
  close(): Promise<void>;
}

const OFF = new Set(['0', 'false', 'off', 'no']);

export async function cliTarget(env: NodeJS.ProcessEnv): Promise<CliTarget> {
  const scenario = env.AWS_IR_SANDBOX?.trim();
  if (scenario && !OFF.has(scenario.toLowerCase())) {
    const { startSandbox } = await import('@aws-ir/aws-sandbox');
    const sb = await startSandbox({ scenario });
    return {
      target: { key: sb.accountId, region: 'us-east-1', endpoint: sb.endpoint, credentials: sb.adminCredentials },
      close: () => sb.close(),
    };
  }
  // The command line never talks to Slack; a half-configured Slack app must not stop a terminal scan.
  const withoutSlack = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('SLACK_')));
  return { target: scanTargetFromConfig(loadConfig(withoutSlack)), close: async () => undefined };
}
