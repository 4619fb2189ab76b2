/**
 * The HTTP receiver of the Bolt app (HTTP mode, local mode, tests): Slack's requests at one POST
 * endpoint, a health route, 404 for anything else. It replaces Bolt's HTTPReceiver so that nothing
 * reaches Bolt before it has been
 *  1. bounded: a body over BODY_LIMIT_BYTES is refused with 413 and never kept in memory;
 *  2. verified: signature and timestamp, five minutes either way (request-signature.ts), else 401;
 *  3. parsed and shape-checked the way Bolt will route it (inbound-body.ts), else 400.
 * Then Bolt's own ack object is used, so listeners acknowledge exactly as with HTTPReceiver. A body
 * no listener acknowledges (a button or command aws-ir does not handle) is answered 200 with nothing
 * done, instead of Bolt's 404 after 3 seconds. Every refusal writes one log line, never the body.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ListenOptions } from 'node:net';
import type { Logger as SlackLogger } from '@slack/logger';
import { AuthorizationError, HTTPModuleFunctions, HTTPResponseAck, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { Logger } from '../logger';
import { boltLogger } from './bolt-logger';
import { isSslCheck, readInboundBody } from './inbound-body';
import { checkSignature, checkSignedHeaders, SIGNATURE_REFUSAL_TEXT } from './request-signature';

/**
 * Slack's largest payloads are block_actions carrying the clicked message and view submissions
 * carrying the view; aws-ir's own messages stay under 11,000 characters of text (blocks/limits.ts),
 * so even fully percent-encoded they are far below this.
 */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** A request still arriving after this long is cut off (slow-body clients hold sockets otherwise). */
const REQUEST_TIMEOUT_MS = 15_000;
/**
 * An oversized body is read and thrown away (so the client, still sending, gets the 413 rather than a
 * broken pipe), but only up to this much: beyond it the connection is cut.
 */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

export interface VerifiedReceiverOptions {
  signingSecret: string;
  logger: Logger;
  /** Path of Slack's events and interactivity requests, e.g. /slack/events. */
  endpoint: string;
  /** GET routes answered without a signature (health checks). */
  getRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse) => void>;
  /** Clock for the signature window; Date.now in production, injectable for tests. */
  now?: () => number;
  bodyLimitBytes?: number;
}

class BodyTooLargeError extends Error {
  readonly code = 'aws_ir_body_too_large';
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('request aborted'));
    });
  });
}

/** Ends a refused request and its connection: an unread body is not worth keeping the socket for. */
function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status, { connection: 'close', 'content-length': '0' });
  res.end();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

export class VerifiedHttpReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly log: Logger;
  private readonly boltLog: SlackLogger;
  private readonly now: () => number;
  private readonly limit: number;

  constructor(private readonly options: VerifiedReceiverOptions) {
    this.log = options.logger.child({ component: 'receiver' });
    this.boltLog = boltLogger(options.logger);
    this.now = options.now ?? Date.now;
    this.limit = options.bodyLimitBytes ?? BODY_LIMIT_BYTES;
  }

  init(app: App): void {
    this.app = app;
  }

  start(portOrOptions: number | ListenOptions = 3000): Promise<Server> {
    if (this.server) return Promise.reject(new Error('the receiver is already started'));
    const server = createServer((req, res) => {
      this.route(req, res).catch((err: unknown) => {
        this.log.error({ err, path: req.url }, 'request failed in the receiver');
        refuse(res, 500);
      });
    });
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(typeof portOrOptions === 'number' ? { port: portOrOptions } : portOrOptions, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      // Keep-alive sockets of finished requests would hold close() open until they time out.
      server.closeIdleConnections();
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === this.options.endpoint) {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST', 'content-length': '0' }).end();
        return;
      }
      await this.handleSlackRequest(req, res);
      return;
    }
    const get = req.method === 'GET' ? this.options.getRoutes?.[path] : undefined;
    if (get) get(req, res);
    else refuse(res, 404);
  }

  private refused(res: ServerResponse, status: number, reason: string): void {
    this.log.warn({ status, reason }, 'refused a request to the Slack endpoint');
    refuse(res, status);
  }

  /** 413 once the client has finished sending (discarding what it sends), or a cut connection past DISCARD_LIMIT_BYTES. */
  private refusedTooLarge(req: IncomingMessage, res: ServerResponse, reason: string): void {
    this.log.warn({ status: 413, reason }, 'refused a request to the Slack endpoint');
    let discarded = 0;
    req.removeAllListeners('data');
    req.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_LIMIT_BYTES) req.destroy();
    });
    req.on('end', () => refuse(res, 413));
    req.resume();
  }

  private async handleSlackRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const declared = Number(header(req, 'content-length'));
    if (Number.isFinite(declared) && declared > this.limit) return this.refusedTooLarge(req, res, `body of ${declared} bytes (limit ${this.limit})`);

    const timestampHeader = req.headers['x-slack-request-timestamp'];
    const signatureHeader = req.headers['x-slack-signature'];
    const unsigned = timestampHeader === undefined && signatureHeader === undefined;
    // Stale, future or malformed headers are refused before the body is read.
    const headers = checkSignedHeaders(timestampHeader, signatureHeader, this.now());
    if (typeof headers === 'string' && !unsigned) return this.refused(res, 401, SIGNATURE_REFUSAL_TEXT[headers]);

    let raw: Buffer;
    try {
      raw = await readBody(req, this.limit);
    } catch (err: unknown) {
      if (err instanceof BodyTooLargeError) return this.refusedTooLarge(req, res, err.message);
      return this.refused(res, 400, 'the request body could not be read');
    }
    const contentType = header(req, 'content-type');

    if (typeof headers === 'string') {
      // Slack's SSL check carries no payload and is answered, unverified and unrouted, as Bolt does.
      if (isSslCheck(raw, contentType)) {
        res.writeHead(200, { 'content-length': '0' }).end();
        return;
      }
      return this.refused(res, 401, SIGNATURE_REFUSAL_TEXT[headers]);
    }
    const mismatch = checkSignature(this.options.signingSecret, headers, raw);
    if (mismatch) return this.refused(res, 401, SIGNATURE_REFUSAL_TEXT[mismatch]);

    const inbound = readInboundBody(raw, contentType);
    switch (inbound.kind) {
      case 'malformed':
        return this.refused(res, 400, inbound.problem);
      case 'ssl_check':
        res.writeHead(200, { 'content-length': '0' }).end();
        return;
      case 'notice':
        this.log.warn({ note: inbound.note }, 'notice from Slack');
        res.writeHead(200, { 'content-length': '0' }).end();
        return;
      case 'url_verification':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: inbound.challenge }));
        return;
      case 'dispatch':
        return this.dispatch(req, res, inbound.body, inbound.payloadKind);
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, kind: string): Promise<void> {
    const app = this.app;
    if (!app) return this.refused(res, 503, 'the app is not initialised');
    const boltAck = new HTTPResponseAck({
      logger: this.boltLog,
      processBeforeResponse: false,
      httpRequest: req,
      httpRequestBody: body,
      httpResponse: res,
    }).bind();
    let acknowledged = false;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        acknowledged = true;
        await boltAck(response);
      },
      retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
      retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      customProperties: {},
    };
    try {
      await app.processEvent(event);
    } catch (err: unknown) {
      // Listener errors go to app.error(); what lands here failed in Bolt itself (authorize, routing).
      this.log.error({ err, kind }, 'Bolt could not process a request');
      if (!acknowledged) refuse(res, err instanceof AuthorizationError ? 401 : 500);
      return;
    }
    if (!acknowledged && !res.headersSent) {
      // Nothing of aws-ir handles it (a button or view it does not own, a shortcut, an unknown
      // command): 200 with nothing done, rather than Bolt's 404 once Slack has given up.
      this.log.info({ kind, type: typeof body.type === 'string' ? body.type : undefined }, 'nothing acknowledged this request; answered 200 with nothing done');
      await event.ack();
    }
  }
}
