/**
 * The in-memory state of the local workspace: the incident channel's messages (threads, ephemeral
 * messages), each user's open modals, and the short-lived trigger ids and response URLs Slack hands
 * to apps. Pure state with change notifications; the HTTP layers on top speak the wire formats.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';

export interface LocalFile {
  id: string;
  name: string;
  title: string;
  size: number;
  mimetype: string;
  content: Buffer;
}

export interface StoredMessage {
  ts: string;
  channel: string;
  /** Set on replies (never equal to ts: a parent has no thread_ts until it has replies, like Slack). */
  threadTs?: string;
  /** Author: a user id (people) or the bot user id (the app). */
  user: string;
  botId?: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  files?: LocalFile[];
  /** Ephemeral: only this user sees it, and it disappears on reload in Slack (kept here for the session). */
  ephemeralTo?: string;
  edited?: { user: string; ts: string };
  /** How the message arrived, shown as a small hint on the page (e.g. "via response_url"). */
  via?: string;
}

export interface ModalView {
  id: string;
  user: string;
  hash: string;
  externalId?: string;
  rootViewId: string;
  previousViewId?: string;
  /** The view as the app sent it (type, title, blocks, callback_id, private_metadata, …). */
  spec: Record<string, unknown>;
  /** Field errors from a `response_action: errors` ack, keyed by block_id. */
  errors?: Record<string, string>;
}

export interface TriggerGrant {
  user: string;
  expiresAt: number;
  used: boolean;
}

export type ResponseTarget =
  | { kind: 'command'; user: string; channel: string }
  | { kind: 'message'; user: string; channel: string; messageTs: string; threadTs?: string; ephemeral: boolean };

export interface ResponseGrant {
  target: ResponseTarget;
  expiresAt: number;
  uses: number;
  /** A test's name for the URL, recorded as `response_id` on its calls instead of the random id. */
  label?: string;
}

/** Whose modal a trigger id the stand-in never issued opens (open directory only): nobody's in particular. */
export const UNKNOWN_TRIGGER_USER = 'U0NOBODY';
/** Slack allows a trigger id to be used once within 3 seconds. */
export const TRIGGER_TTL_MS = 3_000;
/** Slack allows a response_url to be used up to 5 times within 30 minutes. */
export const RESPONSE_URL_TTL_MS = 30 * 60_000;
export const RESPONSE_URL_MAX_USES = 5;

export class Workspace {
  private readonly events = new EventEmitter();
  private messages: StoredMessage[] = [];
  /** user -> modal stack, top last. */
  private modals = new Map<string, ModalView[]>();
  private triggers = new Map<string, TriggerGrant>();
  private responses = new Map<string, ResponseGrant>();
  private lastTsMicros = 0;
  private counter = 0;
  version = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  onChange(listener: (version: number) => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  private changed(): void {
    this.version += 1;
    this.events.emit('change', this.version);
  }

  /** Slack message timestamps: seconds.microseconds, unique and increasing within a channel. */
  nextTs(): string {
    const micros = Math.max(this.clock() * 1000, this.lastTsMicros + 1);
    this.lastTsMicros = micros;
    const s = Math.floor(micros / 1e6);
    return `${s}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** Like Slack's generated block ids: short, random, unique enough within a message. */
  blockId(): string {
    return randomBytes(4).toString('base64url').slice(0, 5);
  }

  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).toUpperCase().padStart(4, '0')}${randomBytes(3).toString('hex').toUpperCase()}`;
  }

  addMessage(m: Omit<StoredMessage, 'ts'> & { ts?: string }): StoredMessage {
    const msg: StoredMessage = { ...m, ts: m.ts ?? this.nextTs() };
    this.messages.push(msg);
    this.changed();
    return msg;
  }

  getMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  updateMessage(channel: string, ts: string, patch: Partial<Omit<StoredMessage, 'ts' | 'channel'>>): StoredMessage | undefined {
    const msg = this.getMessage(channel, ts);
    if (!msg) return undefined;
    Object.assign(msg, patch);
    this.changed();
    return msg;
  }

  deleteMessage(channel: string, ts: string): boolean {
    const before = this.messages.length;
    this.messages = this.messages.filter((m) => !(m.channel === channel && m.ts === ts));
    if (this.messages.length === before) return false;
    this.changed();
    return true;
  }

  /** Messages `user` can see, oldest first (ephemeral ones only for their user). */
  visibleTo(user: string, channel?: string): StoredMessage[] {
    return this.messages.filter((m) => (!channel || m.channel === channel) && (!m.ephemeralTo || m.ephemeralTo === user));
  }

  /** Every channel's non-ephemeral messages (or one channel's), oldest first: what everyone sees. */
  channelMessages(channel?: string): StoredMessage[] {
    return this.messages.filter((m) => (!channel || m.channel === channel) && !m.ephemeralTo);
  }

  /** Non-ephemeral messages, as conversations.history / replies return them. */
  publicMessages(channel: string): StoredMessage[] {
    return this.messages.filter((m) => m.channel === channel && !m.ephemeralTo);
  }

  // --- trigger ids and response urls -------------------------------------------------------------

  /** A trigger id for `user`, usable once within `ttlMs` (Slack's 3 s unless a test asks for longer). */
  grantTrigger(user: string, ttlMs = TRIGGER_TTL_MS): string {
    const id = `${Math.floor(this.clock() / 1000)}.${this.newId('')}.${randomBytes(8).toString('hex')}`;
    this.triggers.set(id, { user, expiresAt: this.clock() + ttlMs, used: false });
    return id;
  }

  /**
   * Returns the user the trigger belongs to, or the Slack error code that views.open would return.
   * `acceptUnknown` (the open directory) takes an id it never issued as a fresh one, still usable once.
   */
  useTrigger(id: string, acceptUnknown = false): { user: string } | { error: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' } {
    if (acceptUnknown && !this.triggers.has(id)) this.triggers.set(id, { user: UNKNOWN_TRIGGER_USER, expiresAt: Number.POSITIVE_INFINITY, used: false });
    const grant = this.triggers.get(id);
    if (!grant) return { error: 'invalid_trigger_id' };
    if (grant.used) return { error: 'exchanged_trigger_id' };
    if (this.clock() > grant.expiresAt) return { error: 'expired_trigger_id' };
    grant.used = true;
    return { user: grant.user };
  }

  grantResponseUrl(target: ResponseTarget, label?: string): string {
    const id = randomBytes(12).toString('hex');
    this.responses.set(id, { target, expiresAt: this.clock() + RESPONSE_URL_TTL_MS, uses: 0, ...(label ? { label } : {}) });
    return id;
  }

  /** What a POST to this response URL is recorded as: the test's label when it minted one, else the id. */
  responseLabel(id: string): string {
    return this.responses.get(id)?.label ?? id;
  }

  useResponseUrl(id: string): ResponseTarget | { error: 'expired_url' | 'used_url' } | undefined {
    const grant = this.responses.get(id);
    if (!grant) return undefined;
    if (this.clock() > grant.expiresAt) return { error: 'expired_url' };
    if (grant.uses >= RESPONSE_URL_MAX_USES) return { error: 'used_url' };
    grant.uses += 1;
    return grant.target;
  }

  // --- modals -------------------------------------------------------------------------------------

  modalStack(user: string): ModalView[] {
    return this.modals.get(user) ?? [];
  }

  openModal(user: string, spec: Record<string, unknown>, mode: 'open' | 'push'): ModalView {
    const stack = mode === 'open' ? [] : [...this.modalStack(user)];
    const id = this.newId('V');
    const view: ModalView = {
      id,
      user,
      hash: this.newHash(),
      externalId: typeof spec.external_id === 'string' ? spec.external_id : undefined,
      rootViewId: stack[0]?.id ?? id,
      previousViewId: stack[stack.length - 1]?.id,
      spec,
    };
    stack.push(view);
    this.modals.set(user, stack);
    this.changed();
    return view;
  }

  findModal(by: { viewId?: string; externalId?: string }): ModalView | undefined {
    for (const stack of this.modals.values()) {
      const v = stack.find((m) => (by.viewId && m.id === by.viewId) || (by.externalId && m.externalId === by.externalId));
      if (v) return v;
    }
    return undefined;
  }

  replaceModal(view: ModalView, spec: Record<string, unknown>): ModalView {
    view.spec = spec;
    view.hash = this.newHash();
    view.errors = undefined;
    if (typeof spec.external_id === 'string') view.externalId = spec.external_id;
    this.changed();
    return view;
  }

  setModalErrors(view: ModalView, errors: Record<string, string>): void {
    view.errors = errors;
    this.changed();
  }

  /** Closes the top modal of `user` (or all of them). */
  closeModal(user: string, all = false): void {
    const stack = this.modalStack(user);
    if (all) this.modals.delete(user);
    else {
      stack.pop();
      if (stack.length === 0) this.modals.delete(user);
    }
    this.changed();
  }

  private newHash(): string {
    return `${Math.floor(this.clock() / 1000)}.${randomBytes(6).toString('hex')}`;
  }

  /** Empties the channel and closes every modal: the page's "reset" control. */
  clear(): void {
    this.messages = [];
    this.modals.clear();
    this.triggers.clear();
    this.responses.clear();
    this.changed();
  }
}
