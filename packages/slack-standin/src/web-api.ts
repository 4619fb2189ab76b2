/**
 * The Slack Web API methods the app calls, answered from the local workspace in Slack's wire format:
 * `{ ok: true, … }` or `{ ok: false, error: "<code>", response_metadata? }`, HTTP 200 either way.
 */
import type { Directory } from './directory';
import { LOCAL_APP_ID, LOCAL_BOT, LOCAL_TEAM } from './identities';
import { MESSAGE_TEXT_LIMIT, validateMessageBlocks, validateView } from './block-kit-rules';
import type { Args } from './http-io';
import type { LocalFile, ModalView, StoredMessage, Workspace } from './workspace';

export class SlackApiFailure extends Error {
  readonly code = 'slack_api_failure';
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
    this.name = 'SlackApiFailure';
  }
}

export interface WebApiOptions {
  botToken: string;
  /** Base URL of the stand-in (no trailing slash), for file upload URLs and permalinks. */
  baseUrl: () => string;
  directory: Directory;
}

export interface UntilOptions {
  /** Reject after this long (a deadline, not a polling interval); no limit by default. */
  timeoutMs?: number;
  /** What is awaited, for the rejection's message. */
  what?: string;
}

type Method = (args: Args) => Record<string, unknown>;

const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

/** The form-encoded client sends nested values as JSON strings: the record holds them decoded. */
function decodedJson(args: Args): Args {
  const out: Args = { ...args };
  for (const name of JSON_FIELDS) {
    const v = out[name];
    if (typeof v !== 'string') continue;
    try {
      out[name] = JSON.parse(v);
    } catch {
      // left as sent: the method itself answers invalid_blocks_format or the like
    }
  }
  return out;
}

/** One Web API call as the stand-in received it: what a test inspects instead of a mock's arguments. */
export interface RecordedCall {
  method: string;
  args: Args;
  token?: string;
}

function str(args: Args, name: string): string | undefined {
  const v = args[name];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function required(args: Args, name: string): string {
  const v = str(args, name);
  if (v === undefined || v === '')
    throw new SlackApiFailure('invalid_arguments', { response_metadata: { messages: [`[ERROR] missing required field: ${name}`] } });
  return v;
}

/** Slack stores a generated block_id on every block that came without one, and sends it back in payloads. */
export function withBlockIds(blocks: unknown[], newId: () => string): unknown[] {
  return blocks.map((b) => (typeof b === 'object' && b !== null && !Array.isArray(b) && !('block_id' in b) ? { ...b, block_id: newId() } : b));
}

/** Blocks, attachments and views arrive JSON-encoded in form bodies and as values in JSON bodies. */
function jsonArg(args: Args, name: string, badFormat: string): unknown {
  const v = args[name];
  if (v === undefined || v === '') return undefined;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new SlackApiFailure(badFormat);
  }
}

export function toSlackMessage(m: StoredMessage, replies: StoredMessage[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = { type: 'message', ts: m.ts, user: m.user, text: m.text, team: LOCAL_TEAM.id };
  if (m.botId) {
    out.bot_id = m.botId;
    out.app_id = LOCAL_APP_ID;
  }
  if (m.blocks) out.blocks = m.blocks;
  if (m.attachments) out.attachments = m.attachments;
  if (m.threadTs) out.thread_ts = m.threadTs;
  if (m.edited) out.edited = m.edited;
  if (m.files) out.files = m.files.map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.size, mimetype: f.mimetype }));
  if (replies.length) {
    out.thread_ts = m.ts;
    out.reply_count = replies.length;
    out.latest_reply = replies[replies.length - 1]?.ts;
  }
  return out;
}

export function toSlackView(v: ModalView, state: Record<string, unknown> = { values: {} }): Record<string, unknown> {
  return {
    id: v.id,
    team_id: LOCAL_TEAM.id,
    type: 'modal',
    callback_id: '',
    private_metadata: '',
    external_id: v.externalId ?? '',
    ...v.spec,
    state,
    hash: v.hash,
    root_view_id: v.rootViewId,
    previous_view_id: v.previousViewId ?? null,
    app_id: LOCAL_APP_ID,
    app_installed_team_id: LOCAL_TEAM.id,
    bot_id: LOCAL_BOT.id,
  };
}

export class LocalWebApi {
  /** Every call received, in order, answered or not (and every POST to a response URL, as `response_url`). */
  readonly calls: RecordedCall[] = [];
  /**
   * When false, blocks and views over Slack's limits are accepted: for a test that wants to see what an
   * app would have sent. Slack itself always checks; so does the stand-in unless a test turns this off.
   */
  validateBlocks = true;
  private readonly pendingUploads = new Map<string, LocalFile>();
  private readonly methods: Record<string, Method>;
  private readonly failures = new Map<string, { error: string; times: number }[]>();
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly ws: Workspace,
    private readonly options: WebApiOptions,
  ) {
    this.methods = {
      'api.test': (a) => ({ args: a }),
      'auth.test': () => this.authTest(),
      'chat.postMessage': (a) => this.postMessage(a),
      'chat.update': (a) => this.update(a),
      'chat.postEphemeral': (a) => this.postEphemeral(a),
      'chat.delete': (a) => this.deleteMessage(a),
      'chat.getPermalink': (a) => this.permalink(a),
      'views.open': (a) => this.viewsOpen(a, 'open'),
      'views.push': (a) => this.viewsOpen(a, 'push'),
      'views.update': (a) => this.viewsUpdate(a),
      'users.info': (a) => this.usersInfo(a),
      'users.list': () => ({ members: this.options.directory.members().map((u) => this.userObject(u.user.id)) }),
      'usergroups.list': () => ({
        usergroups: this.options.directory.groups().map((g) => ({ ...g, team_id: LOCAL_TEAM.id, user_count: g.users.length })),
      }),
      'usergroups.users.list': (a) => this.usergroupUsers(a),
      'conversations.info': (a) => ({ channel: this.channelObject(this.channel(a)) }),
      'conversations.history': (a) => this.history(a),
      'conversations.replies': (a) => this.replies(a),
      'conversations.members': (a) => {
        this.channel(a);
        return { members: this.options.directory.members().map((u) => u.user.id) };
      },
      'reactions.add': (a) => {
        this.message(this.channel(a), required(a, 'timestamp'));
        return {};
      },
      'files.getUploadURLExternal': (a) => this.uploadUrl(a),
      'files.completeUploadExternal': (a) => this.completeUpload(a),
    };
  }

  /** Calls of one method, in order. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * The next `times` calls of `method` fail with `error` as Slack would answer them (`ratelimited`,
   * `channel_not_found`, `not_in_channel`, `token_revoked`…), before anything else is checked.
   */
  failNext(method: string, error: string, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    queue.push({ error, times });
    this.failures.set(method, queue);
  }

  /** Calls `listener` after every recorded call (once the call is answered); returns the unsubscribe. */
  onCall(listener: () => void): () => void {
    this.waiters.add(listener);
    return () => this.waiters.delete(listener);
  }

  /**
   * Resolves once `holds()` is true, checked now and after every call: a wait on events, not on time.
   * With `timeoutMs`, rejects after that long, naming what it waited for and the calls it saw.
   */
  until(holds: () => boolean, options: UntilOptions = {}): Promise<void> {
    if (holds()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const stop = this.onCall(() => {
        if (!holds()) return;
        stop();
        clearTimeout(timer);
        resolve();
      });
      if (options.timeoutMs === undefined) return;
      timer = setTimeout(() => {
        stop();
        const seen = this.calls.map((c) => c.method).join(', ');
        reject(new Error(`slack stand-in: waited ${options.timeoutMs} ms for ${options.what ?? 'a condition'}; calls: ${seen}`));
      }, options.timeoutMs);
    });
  }

  /** Records a call the Web API did not answer itself (a response URL's POST) and wakes the waiters. */
  record(method: string, args: Args): void {
    this.calls.push({ method, args });
    this.notify();
  }

  /** Runs a method; returns the JSON body Slack would send. */
  call(method: string, token: string | undefined, args: Args): Record<string, unknown> {
    this.calls.push({ method, args: decodedJson(args), ...(token ? { token } : {}) });
    try {
      return this.answer(method, token, args);
    } finally {
      this.notify();
    }
  }

  private notify(): void {
    queueMicrotask(() => {
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  private answer(method: string, token: string | undefined, args: Args): Record<string, unknown> {
    const failure = this.failures.get(method)?.[0];
    if (failure) {
      failure.times--;
      if (failure.times <= 0) this.failures.get(method)?.shift();
      return { ok: false, error: failure.error };
    }
    if (!token) return { ok: false, error: 'not_authed' };
    if (token !== this.options.botToken) return { ok: false, error: 'invalid_auth' };
    const fn = this.methods[method];
    if (!fn) return { ok: false, error: 'unknown_method', req_method: method };
    try {
      return { ok: true, ...fn(args) };
    } catch (err: unknown) {
      if (err instanceof SlackApiFailure) return { ok: false, error: err.error, ...err.extra };
      throw err;
    }
  }

  /** Called by the upload endpoint with the bytes the SDK POSTs to the upload URL. */
  receiveUpload(fileId: string, content: Buffer): boolean {
    const f = this.pendingUploads.get(fileId);
    if (!f) return false;
    f.content = content;
    f.size = content.length;
    return true;
  }

  // --- identity -----------------------------------------------------------------------------------

  private authTest(): Record<string, unknown> {
    return {
      url: `${this.options.baseUrl()}/`,
      team: LOCAL_TEAM.name,
      user: LOCAL_BOT.name,
      team_id: LOCAL_TEAM.id,
      user_id: LOCAL_BOT.userId,
      bot_id: LOCAL_BOT.id,
      is_enterprise_install: false,
    };
  }

  private userObject(id: string): Record<string, unknown> {
    const found = this.options.directory.user(id);
    if (!found) throw new SlackApiFailure('user_not_found');
    const { user: u, flags } = found;
    return {
      id: u.id,
      team_id: LOCAL_TEAM.id,
      name: flags.name ?? u.name,
      real_name: u.realName,
      deleted: flags.deleted ?? false,
      is_bot: flags.is_bot ?? u.isBot,
      is_admin: flags.is_admin ?? false,
      is_restricted: flags.is_restricted ?? false,
      is_ultra_restricted: flags.is_ultra_restricted ?? false,
      tz: 'Etc/UTC',
      tz_label: 'Coordinated Universal Time',
      tz_offset: 0,
      profile: { real_name: u.realName, display_name: u.name, title: u.title, team: LOCAL_TEAM.id, ...(u.isBot ? { bot_id: LOCAL_BOT.id } : {}) },
    };
  }

  private usersInfo(a: Args): Record<string, unknown> {
    return { user: this.userObject(required(a, 'user')) };
  }

  private usergroupUsers(a: Args): Record<string, unknown> {
    const users = this.options.directory.usergroupMembers(required(a, 'usergroup'));
    if (!users) throw new SlackApiFailure('no_such_subteam');
    return { users };
  }

  // --- channel and messages -----------------------------------------------------------------------

  private channel(a: Args, name = 'channel'): string {
    const raw = str(a, name);
    if (!raw) throw new SlackApiFailure('channel_not_found');
    const id = this.options.directory.channel(raw);
    if (!id) throw new SlackApiFailure('channel_not_found');
    return id;
  }

  private channelObject(id: string): Record<string, unknown> {
    return {
      id,
      name: this.options.directory.channelName(id),
      is_channel: true,
      is_private: false,
      is_archived: false,
      is_member: true,
      topic: { value: 'AWS incident response (local sandbox)' },
    };
  }

  private message(channel: string, ts: string): StoredMessage {
    const m = this.ws.getMessage(channel, ts);
    if (!m || m.ephemeralTo) throw new SlackApiFailure('message_not_found');
    return m;
  }

  /** text / blocks / attachments of a message, validated as Slack would. */
  private content(a: Args, requireSome: boolean): { text?: string; blocks?: unknown[]; attachments?: unknown[] } {
    const blocks = jsonArg(a, 'blocks', 'invalid_blocks_format');
    const attachments = jsonArg(a, 'attachments', 'invalid_attachments');
    const text = str(a, 'text');
    if (blocks !== undefined) {
      if (!Array.isArray(blocks)) throw new SlackApiFailure('invalid_blocks_format');
      const problems = this.validateBlocks ? validateMessageBlocks(blocks) : [];
      if (problems.length) throw new SlackApiFailure('invalid_blocks', { errors: problems, response_metadata: { messages: problems } });
    }
    if (attachments !== undefined && !Array.isArray(attachments)) throw new SlackApiFailure('invalid_attachments');
    if (requireSome && !text && (!Array.isArray(blocks) || blocks.length === 0) && (!Array.isArray(attachments) || attachments.length === 0)) {
      throw new SlackApiFailure('no_text');
    }
    if (text && text.length > MESSAGE_TEXT_LIMIT && this.validateBlocks) throw new SlackApiFailure('msg_too_long');
    const stored = Array.isArray(blocks) ? withBlockIds(blocks, () => this.ws.blockId()) : undefined;
    return { text, blocks: stored, attachments: attachments as unknown[] | undefined };
  }

  /** Slack threads a reply to a reply under the parent; an unknown thread_ts posts to the channel. */
  private threadParent(channel: string, threadTs: string | undefined): string | undefined {
    if (!threadTs) return undefined;
    const parent = this.ws.getMessage(channel, threadTs);
    if (!parent) return undefined;
    return parent.threadTs ?? parent.ts;
  }

  /** A message from the app (postMessage, or postEphemeral when `ephemeralTo` is set), threaded as Slack threads it. */
  private addBotMessage(a: Args, channel: string, ephemeralTo?: string) {
    const c = this.content(a, true);
    return this.ws.addMessage({
      channel,
      threadTs: this.threadParent(channel, str(a, 'thread_ts')),
      user: LOCAL_BOT.userId,
      botId: LOCAL_BOT.id,
      text: c.text ?? '',
      blocks: c.blocks,
      attachments: c.attachments,
      ...(ephemeralTo ? { ephemeralTo } : {}),
    });
  }

  private postMessage(a: Args): Record<string, unknown> {
    const channel = this.channel(a);
    const msg = this.addBotMessage(a, channel);
    return { channel, ts: msg.ts, message: toSlackMessage(msg) };
  }

  private update(a: Args): Record<string, unknown> {
    const channel = this.channel(a);
    const ts = required(a, 'ts');
    const msg = this.message(channel, ts);
    if (msg.user !== LOCAL_BOT.userId) throw new SlackApiFailure('cant_update_message');
    const c = this.content(a, false);
    // Like Slack: fields left out keep their previous value; an empty blocks array removes blocks.
    const updated = this.ws.updateMessage(channel, ts, {
      ...(c.text !== undefined ? { text: c.text } : {}),
      ...(c.blocks !== undefined ? { blocks: c.blocks.length ? c.blocks : undefined } : {}),
      ...(c.attachments !== undefined ? { attachments: c.attachments } : {}),
      edited: { user: LOCAL_BOT.userId, ts: this.ws.nextTs() },
    });
    if (!updated) throw new SlackApiFailure('message_not_found');
    return { channel, ts, text: updated.text, message: toSlackMessage(updated) };
  }

  private postEphemeral(a: Args): Record<string, unknown> {
    const channel = this.channel(a);
    const user = required(a, 'user');
    const found = this.options.directory.user(user);
    if (!found) throw new SlackApiFailure('user_not_found');
    if (found.user.isBot || found.flags.is_bot || found.flags.deleted) throw new SlackApiFailure('user_not_in_channel');
    const msg = this.addBotMessage(a, channel, user);
    return { message_ts: msg.ts };
  }

  private deleteMessage(a: Args): Record<string, unknown> {
    const channel = this.channel(a);
    const ts = required(a, 'ts');
    const msg = this.message(channel, ts);
    if (msg.user !== LOCAL_BOT.userId) throw new SlackApiFailure('cant_delete_message');
    this.ws.deleteMessage(channel, ts);
    return { channel, ts };
  }

  private permalink(a: Args): Record<string, unknown> {
    const channel = this.channel(a);
    const ts = required(a, 'message_ts');
    this.message(channel, ts);
    return { channel, permalink: `${this.options.baseUrl()}/#m-${ts.replace('.', '-')}` };
  }

  private history(a: Args): Record<string, unknown> {
    const channel = this.channel(a);
    const all = this.ws.publicMessages(channel);
    const top = all.filter((m) => !m.threadTs).reverse();
    return {
      messages: top.map((m) =>
        toSlackMessage(
          m,
          all.filter((r) => r.threadTs === m.ts),
        ),
      ),
      has_more: false,
    };
  }

  private replies(a: Args): Record<string, unknown> {
    const channel = this.channel(a);
    const ts = required(a, 'ts');
    const parent = this.message(channel, ts);
    const rootTs = parent.threadTs ?? parent.ts;
    const root = this.message(channel, rootTs);
    const replies = this.ws.publicMessages(channel).filter((m) => m.threadTs === rootTs);
    return { messages: [toSlackMessage(root, replies), ...replies.map((m) => toSlackMessage(m))], has_more: false };
  }

  // --- modals -------------------------------------------------------------------------------------

  private viewArg(a: Args): Record<string, unknown> {
    const view = jsonArg(a, 'view', 'invalid_arguments');
    if (!this.validateBlocks && typeof view === 'object' && view !== null && !Array.isArray(view)) return { ...view };
    const problems = validateView(view);
    if (problems.length) throw new SlackApiFailure('invalid_arguments', { response_metadata: { messages: problems } });
    return view as Record<string, unknown>;
  }

  private viewsOpen(a: Args, mode: 'open' | 'push'): Record<string, unknown> {
    const triggerId = required(a, 'trigger_id');
    const view = this.viewArg(a);
    const grant = this.ws.useTrigger(triggerId, this.options.directory.open);
    if ('error' in grant) throw new SlackApiFailure(grant.error);
    if (mode === 'push' && this.ws.modalStack(grant.user).length === 0) throw new SlackApiFailure('not_found');
    if (mode === 'push' && this.ws.modalStack(grant.user).length >= 3) throw new SlackApiFailure('push_limit_reached');
    const opened = this.ws.openModal(grant.user, view, mode);
    return { view: toSlackView(opened) };
  }

  private viewsUpdate(a: Args): Record<string, unknown> {
    const viewId = str(a, 'view_id');
    const externalId = str(a, 'external_id');
    if (!viewId && !externalId)
      throw new SlackApiFailure('invalid_arguments', { response_metadata: { messages: ['[ERROR] view_id or external_id is required'] } });
    const view = this.viewArg(a);
    const current = this.ws.findModal({ viewId, externalId });
    if (!current) throw new SlackApiFailure('not_found');
    const hash = str(a, 'hash');
    if (hash && hash !== current.hash) throw new SlackApiFailure('hash_conflict');
    return { view: toSlackView(this.ws.replaceModal(current, view)) };
  }

  // --- files --------------------------------------------------------------------------------------

  private uploadUrl(a: Args): Record<string, unknown> {
    const filename = required(a, 'filename');
    const length = Number(required(a, 'length'));
    if (!Number.isFinite(length) || length < 0) throw new SlackApiFailure('invalid_arguments');
    const id = this.ws.newId('F');
    this.pendingUploads.set(id, { id, name: filename, title: filename, size: length, mimetype: mimeOf(filename), content: Buffer.alloc(0) });
    return { upload_url: `${this.options.baseUrl()}/upload/${id}`, file_id: id };
  }

  private completeUpload(a: Args): Record<string, unknown> {
    const files = jsonArg(a, 'files', 'invalid_arguments');
    if (!Array.isArray(files) || files.length === 0) throw new SlackApiFailure('invalid_arguments');
    const done: LocalFile[] = [];
    for (const entry of files) {
      const id = typeof entry === 'object' && entry !== null && 'id' in entry ? String((entry as { id: unknown }).id) : '';
      const f = this.pendingUploads.get(id);
      if (!f) throw new SlackApiFailure('file_not_found');
      const title = (entry as { title?: unknown }).title;
      if (typeof title === 'string' && title) f.title = title;
      this.pendingUploads.delete(id);
      done.push(f);
    }
    const channelArg = str(a, 'channel_id') ?? str(a, 'channels');
    if (channelArg) {
      const channel = this.channel({ channel: channelArg.split(',')[0] });
      this.ws.addMessage({
        channel,
        threadTs: this.threadParent(channel, str(a, 'thread_ts')),
        user: LOCAL_BOT.userId,
        botId: LOCAL_BOT.id,
        text: str(a, 'initial_comment') ?? '',
        files: done,
      });
    }
    return { files: done.map((f) => ({ id: f.id, name: f.name, title: f.title, size: f.size, mimetype: f.mimetype })) };
  }

  /** A file's bytes for the page's download links. */
  file(id: string): LocalFile | undefined {
    for (const m of this.ws.visibleTo('', undefined)) {
      const f = m.files?.find((x) => x.id === id);
      if (f) return f;
    }
    return undefined;
  }
}

function mimeOf(name: string): string {
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.csv')) return 'text/csv';
  if (name.endsWith('.md')) return 'text/markdown';
  if (name.endsWith('.png')) return 'image/png';
  return 'text/plain';
}
