/**
 * The one place SDK clients are created: cached per account, service and region, with rate pacing and
 * call tracking attached, so no scan or action builds its own client per request.
 */
import { AccountClient } from '@aws-sdk/client-account';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CostExplorerClient } from '@aws-sdk/client-cost-explorer';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  FinalizeHandlerOutput,
  HandlerExecutionContext,
  HttpHandlerOptions,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import { AWS_HTTP_TIMEOUTS, GLOBAL_SERVICE_REGION, type AwsAccountTarget } from './account';
import { awsCallContext, redactInput } from './call-tracking';
import { systemClock } from '../clock';
import { currentRequestPriority, pacingOn, type PacingClock, type RateLimiterRegistry } from './rate-limit';

interface ClientConfig {
  region: string;
  credentials?: AwsAccountTarget['credentials'];
  endpoint?: string;
  maxAttempts: number;
  /** The SDK's standard retry mode: exponential backoff with jitter, throttling and transient errors retried. */
  retryMode: 'standard';
  /** Only when the target sets its own retry delays (the SDK's standard strategy, other delays). */
  retryStrategy?: ConfiguredRetryStrategy;
  requestHandler: RunAbortableHttpHandler;
}

/**
 * The SDK's Node HTTP handler, with the current run's abort signal (a scan's deadline) passed to every
 * request, so a request still waiting when the run stops is dropped at once instead of holding its
 * socket (and the command line's exit) until its timeout.
 */
class RunAbortableHttpHandler extends NodeHttpHandler {
  override handle(request: Parameters<NodeHttpHandler['handle']>[0], options: HttpHandlerOptions = {}): ReturnType<NodeHttpHandler['handle']> {
    const signal = awsCallContext.getStore()?.signal;
    return super.handle(request, signal && !options.abortSignal ? { ...options, abortSignal: signal } : options);
  }
}

/** The call was not sent, or its answer no longer awaited, because the run that made it was stopped (a scan's deadline). */
export class AwsCallAbortedError extends Error {
  readonly code = 'aws_ir_call_aborted';
  constructor(readonly operation: string) {
    super(`${operation} was stopped: the scan's deadline passed`);
    this.name = 'AwsCallAbortedError';
  }
}

/** What every SDK v3 client shares: a stack over its own input and output types, all of them objects carrying `$metadata`. */
interface SdkClient {
  middlewareStack: MiddlewareStack<object, MetadataBearer>;
}

/**
 * SDK v3 clients for one AWS account, created once per (service, region) and reused by every scan
 * and action on that account. Each client carries one middleware that paces documented rate limits
 * and reports every attempt to the current run's observer (call counts, audit trail).
 */
export class AwsClients {
  private readonly cache = new Map<string, unknown>();
  /** What pacing and polls of this account wait on (AwsAccountTarget.clock). */
  readonly clock: PacingClock;

  constructor(
    readonly target: AwsAccountTarget,
    private readonly limiters: RateLimiterRegistry = pacingOn(target.clock ?? systemClock),
  ) {
    this.clock = target.clock ?? systemClock;
  }

  iam(): IAMClient {
    return this.get('IAM', GLOBAL_SERVICE_REGION, (c) => new IAMClient(c));
  }
  sts(): STSClient {
    return this.get('STS', this.target.region, (c) => new STSClient(c));
  }
  costExplorer(): CostExplorerClient {
    return this.get('CostExplorer', GLOBAL_SERVICE_REGION, (c) => new CostExplorerClient(c));
  }
  organizations(): OrganizationsClient {
    return this.get('Organizations', GLOBAL_SERVICE_REGION, (c) => new OrganizationsClient(c));
  }
  account(): AccountClient {
    return this.get('Account', GLOBAL_SERVICE_REGION, (c) => new AccountClient(c));
  }
  cloudTrail(region: string): CloudTrailClient {
    return this.get('CloudTrail', region, (c) => new CloudTrailClient(c));
  }
  ec2(region: string): EC2Client {
    return this.get('EC2', region, (c) => new EC2Client(c));
  }
  lambda(region: string): LambdaClient {
    return this.get('Lambda', region, (c) => new LambdaClient(c));
  }
  /**
   * S3 reads of a trail's log files. A bucket in another region is followed there (S3's redirect); the
   * sandbox's single endpoint needs path-style addresses, AWS itself virtual-hosted ones.
   */
  s3(region: string): S3Client {
    return this.get('S3', region, (c) => new S3Client({ ...c, followRegionRedirects: true, ...(this.target.endpoint ? { forcePathStyle: true } : {}) }));
  }
  athena(region: string): AthenaClient {
    return this.get('Athena', region, (c) => new AthenaClient(c));
  }

  /**
   * Closes every client's connections and forgets them. An organization sweep releases a member
   * account's clients once that account is done, so a 100-account sweep holds only the clients of the
   * accounts in flight; a later action on that account builds them again.
   */
  destroy(): void {
    for (const client of this.cache.values()) (client as { destroy?: () => void }).destroy?.();
    this.cache.clear();
  }

  private get<T extends SdkClient>(service: string, region: string, create: (config: ClientConfig) => T): T {
    const key = `${service}|${region}`;
    const cached = this.cache.get(key);
    if (cached) return cached as T;
    const timeouts = this.target.timeouts ?? AWS_HTTP_TIMEOUTS;
    const config: ClientConfig = {
      region,
      maxAttempts: this.target.maxAttempts ?? 5,
      retryMode: 'standard',
      // Without throwOnRequestTimeout the request timeout only logs a warning and a silent endpoint hangs the call.
      requestHandler: new RunAbortableHttpHandler({
        connectionTimeout: timeouts.connectionMs,
        requestTimeout: timeouts.requestMs,
        throwOnRequestTimeout: true,
      }),
    };
    if (this.target.credentials) config.credentials = this.target.credentials;
    if (this.target.endpoint) config.endpoint = this.target.endpoint;
    if (this.target.retryDelayMs) config.retryStrategy = new ConfiguredRetryStrategy(config.maxAttempts, this.target.retryDelayMs);
    const client = create(config);
    this.instrument(client, service, region);
    this.cache.set(key, client);
    return client;
  }

  private instrument(client: SdkClient, service: string, region: string): void {
    const accountKey = this.target.key;
    const limiters = this.limiters;
    client.middlewareStack.add(
      (next: FinalizeHandler<object, MetadataBearer>, context: HandlerExecutionContext): FinalizeHandler<object, MetadataBearer> =>
        async (args: FinalizeHandlerArguments<object>): Promise<FinalizeHandlerOutput<MetadataBearer>> => {
          const operation = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
          const observer = awsCallContext.getStore();
          const signal = observer?.signal;
          if (signal?.aborted) throw new AwsCallAbortedError(operation);
          observer?.onStart?.({ operation, region });
          await limiters.get(accountKey, region, operation)?.acquire(currentRequestPriority());
          if (signal?.aborted) throw new AwsCallAbortedError(operation);
          const started = Date.now();
          try {
            const out = await (signal ? untilAborted(next(args), signal, operation) : next(args));
            observer?.onCall({
              operation,
              region,
              input: redactInput({ ...args.input }),
              requestId: requestIdOf(out),
              durationMs: Date.now() - started,
            });
            return out;
          } catch (err) {
            const e = err as { name?: string; $metadata?: { requestId?: string } };
            observer?.onCall({
              operation,
              region,
              input: redactInput({ ...args.input }),
              requestId: e.$metadata?.requestId,
              errorCode: e.name ?? 'Error',
              durationMs: Date.now() - started,
            });
            throw err;
          }
        },
      // Inside the retry middleware, so every attempt is paced and counted.
      { step: 'finalizeRequest', priority: 'low', name: 'awsIrCallTracking' },
    );
  }
}

/** The attempt's answer, or AwsCallAbortedError as soon as `signal` aborts (the socket is left to its timeout). */
function untilAborted<T>(attempt: Promise<T>, signal: AbortSignal, operation: string): Promise<T> {
  if (signal.aborted) return Promise.reject(new AwsCallAbortedError(operation));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AwsCallAbortedError(operation));
    signal.addEventListener('abort', onAbort, { once: true });
    attempt.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

// The stack types the raw response as `unknown` (it is the transport's); at the finalize step it is
// an HttpResponse, read here without depending on @smithy/protocol-http.
function requestIdOf(out: unknown): string | undefined {
  const headers = isRecord(out) && isRecord(out.response) ? out.response.headers : undefined;
  if (!isRecord(headers)) return undefined;
  const id = headers['x-amzn-requestid'] ?? headers['x-amz-request-id'] ?? headers['x-amzn-request-id'];
  return typeof id === 'string' ? id : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

const registry = new Map<string, AwsClients>();

const registryKey = (target: AwsAccountTarget) => `${target.key}|${target.endpoint ?? ''}|${credentialId(target.credentials)}`;

/** The process-wide client set for an account target (one per key, credentials and endpoint). */
export function clientsFor(target: AwsAccountTarget): AwsClients {
  const key = registryKey(target);
  let clients = registry.get(key);
  if (!clients) {
    clients = new AwsClients(target);
    registry.set(key, clients);
  }
  return clients;
}

/** Destroys the target's clients and drops them from the process-wide set (see AwsClients.destroy). */
export function releaseClients(clients: AwsClients): void {
  const key = registryKey(clients.target);
  if (registry.get(key) === clients) registry.delete(key);
  clients.destroy();
}

const credentialIds = new WeakMap<object, number>();
let nextCredentialId = 1;
function credentialId(credentials: AwsAccountTarget['credentials']): string {
  if (!credentials) return 'default-chain';
  let id = credentialIds.get(credentials);
  if (id === undefined) {
    id = nextCredentialId++;
    credentialIds.set(credentials, id);
  }
  return String(id);
}
