/**
 * Posting for the app's listeners: every message is drill-marked when needed, split to fit Block
 * Kit's limits, checked against them, and paced per channel. Listeners describe *what* to say as
 * blocks; this decides how it reaches Slack. Every text it takes is `Mrkdwn` (blocks/text.ts): an
 * AWS value can reach a fallback text or an ephemeral reply only escaped.
 */
import type { AllMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { drillBlocks, drillPrefix } from '../blocks/drill';
import { assertWithinLimits, fallbackText, fitBlocks, LIMITS, MESSAGE_TEXT_BUDGET, packMessages, textLength } from '../blocks/limits';
import { md, mrkdwn, type Mrkdwn } from '../blocks/text';
import { ERROR_CODES } from '../errors';
import type { Pacer } from './channel-pacer';

export type SlackClient = AllMiddlewareArgs['client'];

export class SlackResponseError extends Error {
  readonly code = ERROR_CODES.slackResponse;
  constructor(message: string) {
    super(message);
    this.name = 'SlackResponseError';
  }
}

export interface Message {
  text: Mrkdwn;
  blocks?: KnownBlock[];
}

function textSection(text: Mrkdwn): KnownBlock {
  return { type: 'section', text: md(text) };
}

export class SlackPoster {
  constructor(
    private readonly client: SlackClient,
    private readonly pacer: Pacer,
    private readonly drill: boolean,
    /** Sees every failed Web API call (readiness notices a revoked token). */
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      this.onError(err);
      throw err;
    }
  }

  private render(message: Message): { text: string; blocks: KnownBlock[] } {
    const text = fallbackText(`${drillPrefix(this.drill)}${message.text}`);
    // A text-only message still goes out as a verbatim section: a top-level text is auto-parsed by
    // Slack, so a bare URL or #channel quoted from AWS would become a link there.
    const blocks = [...drillBlocks(this.drill), ...fitBlocks(message.blocks ?? [textSection(message.text)])];
    // A single message must already fit; long content goes through postGroups.
    assertWithinLimits(blocks, text);
    return { text, blocks };
  }

  /** Posts one message (in a thread when threadTs is given) and returns its ts. `urgent`: before what still waits in the channel. */
  async post(channel: string, message: Message, threadTs?: string, options: { urgent?: boolean } = {}): Promise<string> {
    const body = this.render(message);
    const res = await this.call(() =>
      this.pacer.run(channel, () => this.client.chat.postMessage({ channel, ...body, ...(threadTs ? { thread_ts: threadTs } : {}) }), options),
    );
    // Every later message threads under this ts; carrying on without one would scatter them.
    if (!res.ts) throw new SlackResponseError('chat.postMessage answered without a message ts');
    return res.ts;
  }

  async update(channel: string, ts: string, message: Message): Promise<void> {
    const body = this.render(message);
    await this.call(() => this.pacer.run(channel, () => this.client.chat.update({ channel, ts, ...body })));
  }

  async ephemeral(channel: string, user: string, text: Mrkdwn, threadTs?: string): Promise<void> {
    const full = mrkdwn`${drillPrefix(this.drill)}${text}`;
    await this.call(() =>
      this.client.chat.postEphemeral({
        channel,
        user,
        text: fallbackText(full),
        blocks: fitBlocks([textSection(full)]),
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }),
    );
  }

  /**
   * An answer for the channel (status, audit, evidence, trail, timeline): a new message where people
   * are looking, never the end of an old thread; what does not fit in it follows in its own thread.
   * Returns the new message's ts.
   */
  async postAnswer(channel: string, groups: KnownBlock[][], text: Mrkdwn): Promise<string> {
    const drill = drillBlocks(this.drill);
    const [first = [], ...rest] = packMessages(groups, {
      maxBlocks: LIMITS.blocksPerMessage - drill.length,
      maxChars: MESSAGE_TEXT_BUDGET - textLength(drill),
    });
    const ts = await this.post(channel, { text, blocks: first });
    for (let i = 0; i < rest.length; i++) await this.post(channel, { text: mrkdwn`${text} (${i + 2}/${rest.length + 1})`, blocks: rest[i] }, ts);
    return ts;
  }

  /** Uploads a text file into a thread (files.uploadV2: an upload URL, the bytes, then completion). */
  async uploadFile(channel: string, threadTs: string, file: { filename: string; title: string; content: string; comment: Mrkdwn }): Promise<void> {
    await this.call(() =>
      this.pacer.run(channel, () =>
        this.client.filesUploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          file: Buffer.from(file.content, 'utf8'),
          filename: file.filename,
          title: file.title,
          initial_comment: fallbackText(`${drillPrefix(this.drill)}${file.comment}`),
        }),
      ),
    );
  }

  /**
   * Posts groups of blocks (a group stays in one message when it fits) as as many thread messages
   * as the limits require. Returns the ts of every message posted.
   */
  async postGroups(channel: string, threadTs: string, groups: KnownBlock[][], text: Mrkdwn): Promise<string[]> {
    const drill = drillBlocks(this.drill);
    const messages = packMessages(groups, { maxBlocks: LIMITS.blocksPerMessage - drill.length, maxChars: MESSAGE_TEXT_BUDGET - textLength(drill) });
    const out: string[] = [];
    for (let i = 0; i < messages.length; i++) {
      const part = messages.length > 1 ? mrkdwn` (${i + 1}/${messages.length})` : mrkdwn``;
      out.push(await this.post(channel, { text: mrkdwn`${text}${part}`, blocks: messages[i] }, threadTs));
    }
    return out;
  }
}
