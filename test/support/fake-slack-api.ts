/**
 * A local stand-in for Slack's Web API, for tests (127.0.0.1 only, never the internet).
 *
 * Point a Bolt app / WebClient at it with `clientOptions.slackApiUrl = fake.apiUrl`. It speaks the
 * wire protocol the @slack/web-api client uses (POST /api/<method>, form-encoded or JSON body,
 * nested values as JSON strings, `Authorization: Bearer <token>`) and answers like Slack:
 * `{ ok: true, ... }` with increasing `ts` values, or `{ ok: false, error }`.
 *
 * Implemented: chat.postMessage, chat.update, chat.postEphemeral, chat.delete, views.open,
 * views.update, views.push, users.info, usergroups.users.list, auth.test, conversations.info,
 * conversations.join. Anything else answers `unknown_method` (and is recorded), so a test notices.
 *
 * Like Slack, messages whose blocks break Block Kit limits are refused with `invalid_blocks`
 * (checked with the Slack stand-in's rules, test/support/block-kit.ts). Every call is recorded in `calls` (method, args, token,
 * time); `messages` holds the current state of every posted message (updates applied).
 *
 * Also serves response URLs: `fake.responseUrl(id)` gives a URL whose POSTs are recorded as calls
 * with method `response_url` (what Bolt's `respond()` sends).
 *
 * Faults: `fake.failNext('chat.postMessage', 'not_in_channel')` makes the next call(s) fail.
 * Users: `fake.users.set('U1', { is_restricted: true })`; groups: `fake.usergroups.set('S1', ['U1'])`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockKitProblems, viewProblems } from './block-kit';

export interface RecordedCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  /** ms since epoch when the request arrived. */
  at: number;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: unknown[];
  /** How many times chat.update changed it. */
  updates: number;
}

export interface FakeUser {
  id: string;
  name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
}

export const FAKE_TEAM_ID = 'T0TEST';
export const FAKE_BOT_USER_ID = 'U0AWSIR';

export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly users = new Map<string, Partial<FakeUser>>();
  readonly usergroups = new Map<string, string[]>();
  /** When false, over-limit blocks are accepted (to test what the app would have sent). */
  validateBlocks = true;
  private readonly failures = new Map<string, { error: string; times: number }[]>();
  private tsCounter = 0;
  private readonly baseTs = Math.floor(Date.now() / 1000);
  private readonly waiters: (() => void)[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeSlackApi> {
    let fake: FakeSlackApi | undefined;
    const server = http.createServer((req, res) => {
      void fake?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    fake = new FakeSlackApi(server, `http://127.0.0.1:${port}`);
    return fake;
  }

  /** Base URL for `slackApiUrl` (ends with '/'). */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  responseUrl(id = 'r1'): string {
    return `${this.baseUrl}/response/${encodeURIComponent(id)}`;
  }

  failNext(method: string, error: string, times = 1): void {
    const list = this.failures.get(method) ?? [];
    list.push({ error, times });
    this.failures.set(method, list);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages posted in a thread (replies only), in posting order. */
  threadReplies(channel: string, threadTs: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel === channel && m.thread_ts === threadTs);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(`${channel}/${ts}`);
  }

  /** Resolves once `predicate` holds after some call, or rejects after `timeoutMs`. */
  async waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await predicate())) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`FakeSlackApi: timed out after ${timeoutMs} ms waiting for ${what}; calls: ${this.calls.map((c) => c.method).join(', ')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private nextTs(): string {
    this.tsCounter++;
    return `${this.baseTs}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    const url = new URL(req.url ?? '/', this.baseUrl);
    const args = parseBody(raw, req.headers['content-type'] ?? '');
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    let method: string;
    if (url.pathname.startsWith('/api/')) method = url.pathname.slice(5);
    else if (url.pathname.startsWith('/response/')) method = 'response_url';
    else {
      res.writeHead(404).end();
      return;
    }
    const call: RecordedCall = { method, args, at: Date.now(), ...(token ? { token } : {}) };
    if (method === 'response_url') call.args = { ...args, response_id: decodeURIComponent(url.pathname.slice('/response/'.length)) };
    this.calls.push(call);
    const body = method === 'response_url' ? { ok: true } : this.answer(method, args, token);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
    for (const w of this.waiters.splice(0)) w();
  }

  private answer(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    const failure = this.failures.get(method)?.[0];
    if (failure) {
      failure.times--;
      if (failure.times <= 0) this.failures.get(method)?.shift();
      return { ok: false, error: failure.error };
    }
    if (!token) return { ok: false, error: 'not_authed' };
    const channel = typeof args.channel === 'string' ? args.channel : undefined;
    const blocks = Array.isArray(args.blocks) ? args.blocks : undefined;
    const text = typeof args.text === 'string' ? args.text : undefined;
    const checkMessage = (): Record<string, unknown> | undefined => {
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!blocks && !text) return { ok: false, error: 'no_text' };
      if (blocks && this.validateBlocks) {
        const problems = blockKitProblems(blocks, text);
        if (problems.length) return { ok: false, error: 'invalid_blocks', errors: problems };
      }
      return undefined;
    };
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://test.slack.invalid/',
          team: 'Test',
          user: 'aws-ir',
          team_id: FAKE_TEAM_ID,
          user_id: FAKE_BOT_USER_ID,
          bot_id: 'B0AWSIR',
        };
      case 'chat.postMessage': {
        const bad = checkMessage();
        if (bad) return bad;
        const ts = this.nextTs();
        const thread_ts = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        const msg: StoredMessage = {
          channel: channel as string,
          ts,
          updates: 0,
          ...(thread_ts ? { thread_ts } : {}),
          ...(text ? { text } : {}),
          ...(blocks ? { blocks } : {}),
        };
        this.messages.set(`${channel}/${ts}`, msg);
        return { ok: true, channel, ts, message: { type: 'message', user: FAKE_BOT_USER_ID, ts, text, blocks, ...(thread_ts ? { thread_ts } : {}) } };
      }
      case 'chat.update': {
        const bad = checkMessage();
        if (bad) return bad;
        const ts = typeof args.ts === 'string' ? args.ts : '';
        const msg = this.messages.get(`${channel}/${ts}`);
        if (!msg) return { ok: false, error: 'message_not_found' };
        if (text !== undefined) msg.text = text;
        if (blocks) msg.blocks = blocks;
        msg.updates++;
        return { ok: true, channel, ts, text: msg.text, message: { text: msg.text, blocks: msg.blocks } };
      }
      case 'chat.postEphemeral': {
        const bad = checkMessage();
        if (bad) return bad;
        if (typeof args.user !== 'string') return { ok: false, error: 'user_not_in_channel' };
        return { ok: true, message_ts: this.nextTs() };
      }
      case 'chat.delete': {
        const ts = typeof args.ts === 'string' ? args.ts : '';
        if (!this.messages.delete(`${channel}/${ts}`)) return { ok: false, error: 'message_not_found' };
        return { ok: true, channel, ts };
      }
      case 'views.open':
      case 'views.push':
      case 'views.update': {
        const view = args.view as Record<string, unknown> | undefined;
        if (!view) return { ok: false, error: 'invalid_arguments' };
        if (method !== 'views.update' && typeof args.trigger_id !== 'string') return { ok: false, error: 'invalid_trigger_id' };
        const viewBlocks = Array.isArray(view.blocks) ? view.blocks : [];
        if (this.validateBlocks && (viewBlocks.length > 100 || viewProblems(view).length)) return { ok: false, error: 'invalid_arguments' };
        return { ok: true, view: { id: `V${this.nextTs().replace('.', '')}`, ...view } };
      }
      case 'users.info': {
        const id = typeof args.user === 'string' ? args.user : '';
        if (!/^[UW]/.test(id)) return { ok: false, error: 'user_not_found' };
        const u = this.users.get(id) ?? {};
        return {
          ok: true,
          user: {
            id,
            team_id: FAKE_TEAM_ID,
            name: u.name ?? id.toLowerCase(),
            deleted: u.deleted ?? false,
            is_bot: u.is_bot ?? false,
            is_restricted: u.is_restricted ?? false,
            is_ultra_restricted: u.is_ultra_restricted ?? false,
          },
        };
      }
      case 'usergroups.users.list': {
        const id = typeof args.usergroup === 'string' ? args.usergroup : '';
        const members = this.usergroups.get(id);
        return members ? { ok: true, users: members } : { ok: false, error: 'no_such_subteam' };
      }
      case 'conversations.info':
        return channel
          ? { ok: true, channel: { id: channel, name: channel.toLowerCase(), is_channel: true, is_member: true } }
          : { ok: false, error: 'channel_not_found' };
      case 'conversations.join':
        return channel ? { ok: true, channel: { id: channel } } : { ok: false, error: 'channel_not_found' };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

/** Decodes the web-api client's body: form fields whose objects/arrays are JSON strings, or JSON. */
export function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (!raw) return {};
  if (contentType.includes('application/json')) {
    try {
      const v: unknown = JSON.parse(raw);
      return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    if ((v.startsWith('[') || v.startsWith('{')) && k !== 'text') {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        // a plain string that happens to start with a bracket
      }
    }
    out[k] = v;
  }
  return out;
}
