/** Shared by the sandbox integration tests: real SDK v3 clients pointed at a running sandbox, and their failures. */
import type { RunningSandbox } from '../../src';

/** Client config for an SDK v3 client against the sandbox; retries off unless asked, so errors surface. */
export function clientConfig(
  sb: RunningSandbox,
  opts: { region?: string; maxAttempts?: number; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } = {},
) {
  return {
    endpoint: sb.endpoint,
    region: opts.region ?? 'us-east-1',
    credentials: opts.credentials ?? sb.adminCredentials,
    maxAttempts: opts.maxAttempts ?? 1,
  };
}

/** The rejection of a promise that must fail, for assertions on name/message/$metadata. */
export async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number; requestId?: string }; $fault?: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`);
  }
  throw new Error('expected the call to fail, but it succeeded');
}
