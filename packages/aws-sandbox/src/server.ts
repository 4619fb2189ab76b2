/**
 * The sandbox's HTTP server: every request goes through authentication, routing, limits, faults,
 * its service handler and CloudTrail recording, as it would in AWS.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { recordKeyUse, resolveCaller, CallerRejected, type ResolvedCaller } from './caller';
import type { FaultInjector, RateLimiter } from './limits';
import { SandboxError, type AccountRouter, type OperationContext, type SandboxState } from './model';
import { json11Protocol } from './protocols/json';
import { ec2Protocol, queryProtocol, queryFields } from './protocols/query';
import { restJsonProtocol } from './protocols/rest-json';
import { restXmlProtocol } from './protocols/rest-xml';
import { parseAuthorization, SigV4ParseError, type SigV4Authorization } from './protocols/sigv4';
import type { AthenaEngineHost } from './athena-engine/host';
import { SignatureRejected, verifySignature } from './protocols/sigv4-verify';
import type { Protocol, ProtocolName, ServiceDefinition, WireRequest, WireResponse } from './protocols/types';
import { buildTrailEvent, isWriteOperation } from './trail-recorder';

export interface SandboxRuntime {
  /** The account (the management account of an organization scenario). */
  state: SandboxState;
  /** Organization scenarios: every account, reached by the key that signs a request. */
  accounts?: AccountRouter;
  services: Map<string, ServiceDefinition>;
  /** Undefined when rate limits are off. */
  limiter?: RateLimiter;
  /** What rate limits are measured on (ms): the wall clock, or a test's virtual time. */
  rateLimitClock(): number;
  faults: FaultInjector;
  /** Runs Athena queries (one engine process for the sandbox's accounts, started by the first query). */
  athena: AthenaEngineHost;
  /**
   * The account's clock: scenario times, recorded events, snapshot and report completion, session
   * expiry. Injectable so tests need not sleep. Signatures keep the wall clock, which is what SDK
   * clients sign with.
   */
  now(): Date;
  /** Called with handler crashes (they are answered as InternalFailure 500). */
  onInternalError?(err: unknown, operation: string): void;
}

const PROTOCOLS: Record<ProtocolName, Protocol> = {
  query: queryProtocol,
  ec2: ec2Protocol,
  json: json11Protocol,
  'rest-json': restJsonProtocol,
  'rest-xml': restXmlProtocol,
};

/** Without a usable signature the service is unknown: answer in the shape the request looks like. */
function guessProtocol(req: WireRequest): Protocol {
  if (req.headers['x-amz-target']) return json11Protocol;
  const fields = req.method === 'POST' || req.query.has('Action') ? queryFields(req) : new URLSearchParams();
  if (fields.has('Action')) return fields.get('Version') === '2016-11-15' ? ec2Protocol : queryProtocol;
  if (req.headers['x-amz-content-sha256']) return restXmlProtocol;
  return restJsonProtocol;
}

const UNKNOWN_SERVICE: ServiceDefinition = { signingName: 'unknown', displayName: 'Unknown', protocol: 'json', handlers: {}, routes: [] };

function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * One request through the sandbox: auth (the signature verified when the key's secret is known, see
 * caller.ts), routing, limits, faults, the handler, CloudTrail.
 */
export async function handleRequest(runtime: SandboxRuntime, req: WireRequest, sourceIp: string): Promise<WireResponse | BrokenTransport> {
  const requestId = randomUUID();
  let protocol = guessProtocol(req);
  let service = UNKNOWN_SERVICE;
  let ctx: OperationContext | undefined;
  let recordRegion = 'us-east-1';
  let operationName = 'unknown';
  try {
    let auth: SigV4Authorization;
    try {
      auth = parseAuthorization(header(req, 'authorization'));
    } catch (err) {
      if (err instanceof SigV4ParseError) throw protocol.authError(err.failure, err.message);
      throw err;
    }
    const found = runtime.services.get(auth.service);
    if (!found) {
      throw new SandboxError('UnknownOperationException', `The sandbox does not implement the AWS service '${auth.service}'.`);
    }
    service = found.variants?.find((v) => v.accepts?.(req)) ?? found;
    protocol = PROTOCOLS[service.protocol];

    // AWS authenticates before it looks at the operation: a bad signature is answered as such whatever was asked.
    const now = runtime.now();
    const state = runtime.accounts?.forKey(auth.accessKeyId) ?? runtime.state;
    let resolved: ResolvedCaller;
    try {
      resolved = resolveCaller(state, auth.accessKeyId, header(req, 'x-amz-security-token'), now);
      if (resolved.secretAccessKey !== undefined) verifySignature(req, auth, resolved.secretAccessKey, new Date());
    } catch (err) {
      if (err instanceof CallerRejected || err instanceof SignatureRejected) throw protocol.authError(err.failure, err.message);
      throw err;
    }

    const { operation, params } = protocol.parse(req, service);
    operationName = operation;
    const handler = service.handlers[operation];
    if (!handler) throw protocol.unknownOperation(operation, service);
    if (resolved.key) recordKeyUse(resolved.key, now, auth.region, auth.service);

    const opName = `${service.displayName}:${operation}`;
    const fault = runtime.faults.take(opName, `${service.signingName}:${operation}`);
    if (fault?.latencyMs) await new Promise((r) => setTimeout(r, fault.latencyMs));
    if (fault?.transport === 'html500') return htmlServerError(requestId);
    if (fault?.transport) return { transport: fault.transport };
    if (fault?.throttle) throw protocol.throttled();
    if (fault?.error) {
      const status = fault.status ?? (/Failure|Internal|Unavailable/.test(fault.error) ? 500 : 400);
      throw new SandboxError(fault.error, `Injected fault for ${opName}.`, status, status >= 500 ? 'Receiver' : 'Sender');
    }
    if (runtime.limiter && !runtime.limiter.tryTake(state.accountId, auth.region, opName, runtime.rateLimitClock())) {
      throw protocol.throttled();
    }

    recordRegion = service.globalRegion ?? auth.region;
    ctx = {
      state,
      service: auth.service,
      operation,
      region: auth.region,
      caller: resolved.caller,
      params,
      now,
      requestId,
      sourceIp,
      userAgent: header(req, 'user-agent') ?? '',
    };
    if (runtime.accounts) ctx.accounts = runtime.accounts;
    ctx.athena = runtime.athena;
    const result = await handler(ctx);
    if (isWriteOperation(operation)) state.events.push(buildTrailEvent(ctx, recordRegion, result, false));
    return withRequestId(protocol.success(result, operation, service, requestId), requestId);
  } catch (err) {
    let error: SandboxError;
    if (err instanceof SandboxError) {
      error = err;
    } else {
      runtime.onInternalError?.(err, operationName);
      error = new SandboxError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, 'Receiver');
    }
    // AWS records failed write attempts too (errorCode/errorMessage), which is how AccessDenied bursts show up.
    if (ctx && isWriteOperation(ctx.operation)) {
      if (ctx.trail) ctx.trail.responseElements = null;
      const event = buildTrailEvent(ctx, recordRegion, undefined, false);
      event.record.errorCode = error.code;
      event.record.errorMessage = error.message;
      ctx.state.events.push(event);
    }
    return withRequestId(protocol.error(error, service, requestId), requestId);
  }
}

/** An injected transport fault: `hang` never answers, `reset` drops the connection. */
export interface BrokenTransport {
  transport: 'hang' | 'reset';
}

/** What a proxy or load balancer in front of AWS answers when the service behind it fails. */
function htmlServerError(requestId: string): WireResponse {
  return {
    status: 500,
    headers: { 'content-type': 'text/html; charset=utf-8', 'x-amzn-requestid': requestId },
    body: '<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>',
  };
}

function withRequestId(res: WireResponse, requestId: string): WireResponse {
  return { ...res, headers: { ...res.headers, 'x-amzn-requestid': requestId } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The sandbox's HTTP server; listen on 127.0.0.1 only (see index.ts). */
export function createSandboxServer(runtime: SandboxRuntime): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', 'http://sandbox.local');
        const body = await readBody(req);
        const forwarded = req.headers['x-forwarded-for'];
        const sourceIp = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() || req.socket.remoteAddress || '127.0.0.1';
        const wire = await handleRequest(
          runtime,
          { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body },
          sourceIp.replace(/^::ffff:/, ''),
        );
        if ('transport' in wire) {
          // hang: the socket stays open, unanswered, until the client gives up or the sandbox closes.
          if (wire.transport === 'reset') req.socket.destroy();
          return;
        }
        const payload = typeof wire.body === 'string' ? Buffer.from(wire.body, 'utf8') : wire.body;
        res.writeHead(wire.status, { ...wire.headers, 'content-length': String(payload.length) });
        res.end(payload);
      } catch (err) {
        runtime.onInternalError?.(err, 'transport');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('InternalFailure');
      }
    })();
  });
}
