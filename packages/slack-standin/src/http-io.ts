/**
 * Small HTTP helpers for the stand-in: read a body, parse Slack-style arguments (form or JSON, with
 * JSON-in-a-form-field for blocks and views), write JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 5 * 1024 * 1024;

export class BodyTooLargeError extends Error {
  readonly code = 'body_too_large';
  constructor() {
    super('Request body too large.');
    this.name = 'BodyTooLargeError';
  }
}

export async function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > max) throw new BodyTooLargeError();
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export type Args = Record<string, unknown>;

/** Web API arguments from a form-encoded or JSON body, plus the query string (Slack accepts all three). */
export function parseArgs(req: IncomingMessage, body: Buffer): Args {
  const args: Args = {};
  const url = new URL(req.url ?? '/', 'http://localhost');
  for (const [k, v] of url.searchParams) args[k] = v;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const text = body.toString('utf8');
  if (type.includes('application/json')) {
    if (text.trim()) {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null) Object.assign(args, parsed);
    }
  } else if (text) {
    for (const [k, v] of new URLSearchParams(text)) args[k] = v;
  }
  return args;
}

/** The token from `Authorization: Bearer …` or the `token` argument, as Slack accepts either. */
export function tokenOf(req: IncomingMessage, args: Args): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return typeof args.token === 'string' ? args.token : undefined;
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
