/**
 * The local Slack stand-in's HTTP server. One port serves:
 *   /api/<method>        the Web API the app calls (its slackApiUrl points here)
 *   /response/<id>       response URLs handed out with commands and clicks (Bolt's respond())
 *   /upload/<file id>    the upload URLs of files.getUploadURLExternal
 *   /                    the page: the incident channel as a responder sees it
 *   /local/*             the page's own calls: state, live updates (SSE), commands, clicks, reset
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Directory, type DirectoryMode, type UserFlags } from './directory';
import { LOCAL_CHANNEL, LOCAL_TEAM, humanUsers, findUser } from './identities';
import { type Args, BodyTooLargeError, parseArgs, readBody, sendJson, sendText, tokenOf } from './http-io';
import { InteractionError, LocalInteractions } from './interactions';
import { servePageAsset } from './page-assets';
import { LocalWebApi, toSlackMessage } from './web-api';
import { Workspace, type StoredMessage } from './workspace';

/** The structured logger the stand-in writes to (pino's shape; any object with these methods will do). */
export interface StandInLogger {
  child(bindings: Record<string, unknown>): StandInLogger;
  debug(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export interface StandInInfo {
  scenario?: string;
  accountId?: string;
}

export interface StandInOptions {
  port: number;
  /** Interface to listen on; 127.0.0.1 by default (the page is for this machine only). */
  host?: string;
  botToken: string;
  logger: StandInLogger;
  /** Resets the world behind the channel (sandbox account, app state); the stand-in clears the channel itself. */
  onReset?: () => Promise<void>;
  info?: () => StandInInfo;
  /**
   * `local` (default): the fixed cast and the incident channel, as the page shows them. `open`, for
   * tests: any channel id and user id is accepted (unknown users answer like a normal member unless a
   * test set their flags), and trigger ids the stand-in never issued open modals (still once each).
   */
  directory?: DirectoryMode;
}

/** Where a response URL minted by a test posts: the user it answers, the channel, and the clicked message if any. */
export interface ResponseUrlTarget {
  user: string;
  channel: string;
  messageTs?: string;
  threadTs?: string;
}

export interface RunningStandIn {
  url: string;
  /** `slackApiUrl` for a Bolt app or WebClient (ends with '/'). */
  apiUrl: string;
  port: number;
  workspace: Workspace;
  webApi: LocalWebApi;
  interactions: LocalInteractions;
  /** Per-user flags a test sets: `users.set('U0GUEST', { is_restricted: true })`. */
  users: Map<string, UserFlags>;
  /** User groups a test sets: `usergroups.set('S0ONCALL', ['U0CAROL'])`. */
  usergroups: Map<string, string[]>;
  /**
   * A fresh response URL (30 minutes, 5 uses, like Slack's) for a request a test sends itself. Its POSTs
   * are recorded in `webApi.calls` as method `response_url` with the body's fields and `response_id: label`.
   */
  responseUrl(label: string, target: ResponseUrlTarget): string;
  /** A trigger id for `user` that a test puts in its own payload: usable once, without the 3-second window. */
  triggerId(user: string): string;
  /** Channel messages (not ephemeral ones), oldest first, as they are now (updates applied, deletions gone). */
  messages(channel?: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  /** The replies in a thread, oldest first. */
  threadReplies(channel: string, threadTs: string): StoredMessage[];
  close(): Promise<void>;
}

function pageMessage(m: StoredMessage, replies: StoredMessage[]): Record<string, unknown> {
  const author = findUser(m.user);
  return {
    ...toSlackMessage(m, replies),
    authorName: m.user === 'USLACKBOT' ? 'Slackbot' : (author?.realName ?? m.user),
    isBot: !!m.botId || m.user === 'USLACKBOT',
    ephemeral: !!m.ephemeralTo,
    via: m.via,
    ...(m.threadTs ? { thread_ts: m.threadTs, is_reply: true } : {}),
  };
}

export async function startStandIn(options: StandInOptions): Promise<RunningStandIn> {
  const log = options.logger.child({ component: 'slack-stand-in' });
  const workspace = new Workspace();
  const directory = new Directory(options.directory);
  let baseUrl = '';
  const webApi = new LocalWebApi(workspace, { botToken: options.botToken, baseUrl: () => baseUrl, directory });
  const interactions = new LocalInteractions(
    workspace,
    () => baseUrl,
    () => webApi.validateBlocks,
  );
  const sseClients = new Set<ServerResponse>();
  const unsubscribe = workspace.onChange((version) => {
    for (const res of sseClients) res.write(`event: change\ndata: ${version}\n\n`);
  });

  async function pageJson(req: IncomingMessage): Promise<Record<string, unknown>> {
    const body = await readBody(req, 256 * 1024);
    if (!body.length) return {};
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InteractionError('bad_request', 'Expected a JSON object.');
    return parsed as Record<string, unknown>;
  }

  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const values = (v: unknown): Record<string, Record<string, unknown>> =>
    typeof v === 'object' && v !== null ? (v as Record<string, Record<string, unknown>>) : {};

  function state(user: string): Record<string, unknown> {
    const visible = workspace.visibleTo(user, LOCAL_CHANNEL.id);
    const messages = visible.map((m) => pageMessage(m, m.threadTs ? [] : visible.filter((r) => r.threadTs === m.ts)));
    const stack = workspace.modalStack(user);
    const top = stack[stack.length - 1];
    return {
      version: workspace.version,
      team: LOCAL_TEAM,
      channel: LOCAL_CHANNEL,
      users: humanUsers().map((u) => ({ id: u.id, name: u.name, realName: u.realName, title: u.title })),
      info: options.info?.() ?? {},
      messages,
      modal: top ? { id: top.id, spec: top.spec, errors: top.errors ?? {}, depth: stack.length } : null,
    };
  }

  async function handleLocal(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && path === '/local/state') return sendJson(res, 200, state(url.searchParams.get('user') ?? ''));
    if (req.method === 'GET' && path === '/local/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      res.write(`event: change\ndata: ${workspace.version}\n\n`);
      sseClients.add(res);
      req.on('close', () => sseClients.delete(res));
      return;
    }
    const fileMatch = /^\/local\/files\/([A-Z0-9]+)$/.exec(path);
    if (req.method === 'GET' && fileMatch) {
      const f = webApi.file(fileMatch[1] ?? '');
      if (!f) return sendText(res, 404, 'file_not_found');
      res.writeHead(200, { 'content-type': f.mimetype, 'content-disposition': `attachment; filename="${f.name.replace(/"/g, '')}"` });
      res.end(f.content);
      return;
    }
    if (req.method !== 'POST') return sendText(res, 405, 'method_not_allowed');
    const body = await pageJson(req);
    const user = text(body.user);
    switch (path) {
      case '/local/command':
        await interactions.slashCommand(user, text(body.text));
        return sendJson(res, 200, { ok: true });
      case '/local/message':
        interactions.say(user, text(body.text), text(body.threadTs) || undefined);
        return sendJson(res, 200, { ok: true });
      case '/local/action':
        await interactions.blockAction({
          user,
          actionId: text(body.actionId),
          blockId: text(body.blockId),
          messageTs: text(body.messageTs) || undefined,
          viewId: text(body.viewId) || undefined,
          selectedValue: typeof body.selectedValue === 'string' ? body.selectedValue : undefined,
          values: values(body.values),
        });
        return sendJson(res, 200, { ok: true });
      case '/local/view/submit':
        return sendJson(res, 200, { ok: true, ...(await interactions.viewSubmission(user, text(body.viewId), values(body.values))) });
      case '/local/view/close':
        await interactions.viewClosed(user, text(body.viewId));
        return sendJson(res, 200, { ok: true });
      case '/local/reset':
        await options.onReset?.();
        workspace.clear();
        return sendJson(res, 200, { ok: true });
      default:
        return sendText(res, 404, 'not_found');
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const api = /^\/api\/([A-Za-z.]+)$/.exec(path);
    if (api) {
      const method = api[1] ?? '';
      const raw = await readBody(req);
      let args: Args;
      try {
        args = parseArgs(req, raw);
      } catch {
        return sendJson(res, 200, { ok: false, error: 'invalid_json' });
      }
      const result = webApi.call(method, tokenOf(req, args), args);
      if (result.ok !== true)
        log.warn(
          { method, error: result.error, messages: (result.response_metadata as { messages?: unknown } | undefined)?.messages },
          'Web API call refused, as Slack would',
        );
      else log.debug({ method }, 'Web API call');
      return sendJson(res, 200, result);
    }
    const response = /^\/response\/([a-f0-9]+)$/.exec(path);
    if (response && req.method === 'POST') {
      const raw = await readBody(req);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendText(res, 400, 'invalid_payload');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendText(res, 400, 'invalid_payload');
      const id = response[1] ?? '';
      webApi.record('response_url', { ...body, response_id: workspace.responseLabel(id) });
      const out = interactions.respond(id, body as Record<string, unknown>);
      if (out.status !== 200) log.warn({ status: out.status, error: out.body }, 'response_url post refused, as Slack would');
      return sendText(res, out.status, out.body, out.body.startsWith('{') ? 'application/json' : 'text/plain');
    }
    const upload = /^\/upload\/([A-Z0-9]+)$/.exec(path);
    if (upload && req.method === 'POST') {
      const ok = webApi.receiveUpload(upload[1] ?? '', await readBody(req));
      return sendText(res, ok ? 200 : 404, ok ? `OK - ${upload[1]}` : 'file_not_found');
    }
    if (path.startsWith('/local/')) return handleLocal(req, res, path);
    if (req.method === 'GET' && path === '/healthz') return sendText(res, 200, 'ok');
    if (req.method === 'GET' && servePageAsset(path, res)) return;
    sendText(res, 404, 'not_found');
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.end();
      if (err instanceof InteractionError) return sendJson(res, 200, { ok: false, error: err.code, message: err.message });
      if (err instanceof BodyTooLargeError) return sendText(res, 413, 'request_too_large');
      if (err instanceof SyntaxError) return sendJson(res, 400, { ok: false, error: 'invalid_json' });
      log.error({ err: err instanceof Error ? { name: err.name, message: err.message } : String(err) }, 'stand-in request failed');
      sendJson(res, 500, { ok: false, error: 'internal_error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: `http://localhost:${port}`,
    apiUrl: `${baseUrl}/api/`,
    port,
    workspace,
    webApi,
    interactions,
    users: directory.users,
    usergroups: directory.usergroups,
    responseUrl(label, target) {
      const id = workspace.grantResponseUrl(
        target.messageTs
          ? { kind: 'message', user: target.user, channel: target.channel, messageTs: target.messageTs, threadTs: target.threadTs, ephemeral: false }
          : { kind: 'command', user: target.user, channel: target.channel },
        label,
      );
      return `${baseUrl}/response/${id}`;
    },
    triggerId: (user) => workspace.grantTrigger(user, Number.POSITIVE_INFINITY),
    messages: (channel) => workspace.channelMessages(channel),
    message: (channel, ts) => workspace.getMessage(channel, ts),
    threadReplies: (channel, threadTs) => workspace.channelMessages(channel).filter((m) => m.threadTs === threadTs),
    async close() {
      unsubscribe();
      for (const res of sseClients) res.end();
      sseClients.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
