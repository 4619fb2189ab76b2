/**
 * The AWS account a terminal command works on: the built-in sandbox when AWS_IR_SANDBOX names a
 * scenario, otherwise the SDK's default chain (+ AWS_IR_SCAN_ROLE_ARN, AWS_ENDPOINT_URL*), exactly as
 * the app would scan it. Shared by `aws-ir scan` and `aws-ir trail`.
 */
import type { AwsAccountTarget } from '../aws/account';
import { scanTargetFromConfig } from '../aws/targets';
import type { Clock } from '../clock';
import type { CoreConfig } from '../config';
import { sandboxTarget, startScenario } from '../sandbox-account';

export interface CliTarget {
  target: AwsAccountTarget;
  /** Stops the in-process sandbox, when one was started. */
  close(): Promise<void>;
}

export async function cliTarget(config: CoreConfig, clock?: Clock): Promise<CliTarget> {
  const scenario = config.aws.sandboxScenario;
  if (scenario) {
    const sandbox = await startScenario(scenario, clock);
    return { target: sandboxTarget(sandbox, clock), close: () => sandbox.close() };
  }
  return { target: scanTargetFromConfig(config), close: async () => undefined };
}
