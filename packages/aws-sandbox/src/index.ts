/**
 * The package's public API: `startSandbox` loads a scenario and serves it over HTTP as an AWS
 * account; aws-ir's CLI, local mode, drills, tests and the benchmark start it here and nowhere else.
 */
import type { AddressInfo } from 'node:net';
import { ADMIN_CREDENTIALS } from './caller';
import { DEFAULT_RATE_LIMITS, FaultInjector, RateLimiter, type Fault, type RandomFaults } from './limits';
import type { SandboxState } from './model';
import { sandboxServices } from './registry';
import { DEFAULT_SCENARIO, loadScenario } from './scenario/load';
import { createSandboxServer, type SandboxRuntime } from './server';

export interface SandboxOptions {
  /** Scenario name in scenarios/ (default 'compromised-key'), 'library/NAME', 'large', or a file path. */
  scenario?: string;
  /** 0 = a free port; default 0. */
  port?: number;
  /** AWS's limits (LookupEvents 2 req/s per region); default true. */
  rateLimits?: boolean;
  /** Handler crashes (answered as InternalFailure 500); default: one line on stderr. */
  onInternalError?(err: unknown, operation: string): void;
  /**
   * The account's clock (default: the wall clock): scenario times are relative to it, recorded events
   * carry it, snapshots and credential reports complete and sessions expire by it. A test advances it
   * instead of sleeping. SigV4's 15-minute window and rate limits stay on the wall clock.
   */
  now?: () => Date;
}

export interface RunningSandbox {
  endpoint: string;
  accountId: string;
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  scenarioName: string;
  state: SandboxState;
  faults: {
    inject(operation: string, fault: Fault): void;
    /** A seeded share of every request gets a random fault (errors, throttling, hangs, resets, HTML 500s). */
    random(options: RandomFaults): void;
    /** Faults given since the last clear(), by kind ('injected' for inject()'s). */
    given(): Record<string, number>;
    clear(): void;
  };
  reset(): void;
  close(): Promise<void>;
}

export { ADMIN_CREDENTIALS } from './caller';
export { ScenarioError } from './scenario/reader';
/** Where the shipped scenarios live (scenarios/NAME.json, and the public-record library in scenarios/library/). */
export { scenariosDir } from './scenario/load';
export { FAULT_KINDS, type Fault, type FaultKind, type RandomFaults } from './limits';
// The account's state, for tests and benchmarks that compare what the product read with what is there.
export type * from './model';

/** Starts the sandbox account on 127.0.0.1; see the package README for what it serves. */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const now = options.now ?? (() => new Date());
  const scenario = loadScenario(options.scenario ?? DEFAULT_SCENARIO, now());
  const state = scenario.build(now());
  const limiter = options.rateLimits === false ? undefined : new RateLimiter(DEFAULT_RATE_LIMITS);
  const faults = new FaultInjector();
  const runtime: SandboxRuntime = {
    state,
    services: sandboxServices(),
    limiter,
    faults,
    now,
    onInternalError:
      options.onInternalError ??
      ((err, operation) => process.stderr.write(`sandbox: ${operation} failed: ${err instanceof Error ? err.message : String(err)}\n`)),
  };
  const server = createSandboxServer(runtime);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accountId: state.accountId,
    adminCredentials: { ...ADMIN_CREDENTIALS },
    scenarioName: scenario.name,
    state,
    faults: {
      inject: (op, fault) => faults.inject(op, fault),
      random: (options) => faults.random(options),
      given: () => Object.fromEntries(faults.given),
      clear: () => faults.clear(),
    },
    reset() {
      // In place, so everyone holding `state` keeps seeing the live account.
      const fresh = scenario.build(now());
      for (const key of Object.keys(state) as (keyof SandboxState)[]) delete state[key];
      Object.assign(state, fresh);
      limiter?.reset();
      faults.clear();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
