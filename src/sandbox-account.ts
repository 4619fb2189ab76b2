/**
 * The built-in sandbox AWS account, for local mode, drills and terminal commands: loaded only when
 * AWS_IR_SANDBOX (or local mode) asks for it, so a production start never loads the package.
 */
import type { RunningSandbox } from '@aws-ir/aws-sandbox';
import type { AwsAccountTarget } from './aws/account';
import type { Clock } from './clock';
import { StartupError } from './errors';

/** An unknown or invalid scenario, as one sentence (undefined for any other error). */
export async function sandboxProblem(err: unknown, scenario: string): Promise<StartupError | undefined> {
  const { ScenarioError } = await import('@aws-ir/aws-sandbox');
  if (!(err instanceof ScenarioError)) return undefined;
  return new StartupError(
    `AWS_IR_SANDBOX=${scenario} cannot be used: ${err.problems.join('; ')}. Use compromised-key, clean, large, organization, large-org or a scenario file.`,
  );
}

/**
 * Starts the sandbox account on 127.0.0.1 with `scenario`, its clock and throttling on `clock` when given
 * (default the wall clock); a bad scenario is a StartupError.
 */
export async function startScenario(scenario: string, clock?: Clock): Promise<RunningSandbox> {
  const { startSandbox } = await import('@aws-ir/aws-sandbox');
  try {
    return await startSandbox({ scenario, ...(clock ? { now: () => clock.now(), rateLimitClock: () => clock.now().getTime() } : {}) });
  } catch (err) {
    throw (await sandboxProblem(err, scenario)) ?? err;
  }
}

/** The account target of a running sandbox: its endpoint and administrator key. */
export function sandboxTarget(sandbox: RunningSandbox): AwsAccountTarget {
  return { key: sandbox.accountId, region: 'us-east-1', endpoint: sandbox.endpoint, credentials: sandbox.adminCredentials };
}
