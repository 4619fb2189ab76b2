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
    return await startSandbox({ scenario, ...(clock ? sandboxClock(clock) : {}) });
  } catch (err) {
    throw (await sandboxProblem(err, scenario)) ?? err;
  }
}

/**
 * The sandbox's account clock and its throttling on `clock` (startSandbox options): the jobs an app on
 * that clock polls complete, and its pacing is measured, in the time it waits.
 */
export function sandboxClock(clock: Pick<Clock, 'now'>): { now: () => Date; rateLimitClock: () => number } {
  return { now: () => clock.now(), rateLimitClock: () => clock.now().getTime() };
}

/** The account target of a running sandbox: its endpoint and administrator key, its waits on `clock` when given. */
export function sandboxTarget(sandbox: RunningSandbox, clock?: Clock): AwsAccountTarget {
  const target: AwsAccountTarget = { key: sandbox.accountId, region: 'us-east-1', endpoint: sandbox.endpoint, credentials: sandbox.adminCredentials };
  if (clock) target.clock = clock;
  return target;
}
