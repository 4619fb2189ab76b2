/**
 * "Mark done" on an open checklist item. It changes nothing in AWS, so one responder suffices; it is
 * recorded in the audit trail with who and when, and the item's block in the status message is
 * replaced by its closed form, which says aws-ir did not verify it. Who clicked comes from the
 * verified payload, never from the button value.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { DRILL_NOTE } from '../blocks/drill';
import { closedItemBlock, closedItemLine } from '../blocks/open-item';
import { esc, escKeepingMentions, mrkdwn } from '../blocks/text';
import { markDone } from '../checklist/checklist';
import { ResponderPolicy, type SlackDirectory } from '../remediation/responders';
import type { AppServices } from '../services';
import { ACTION, actionIdPattern, openItemBlockId, type OpenItemButtonValue } from '../slack-ids';
import type { BackgroundTasks } from '../slack/background-tasks';
import type { ChannelPacer } from '../slack/channel-pacer';
import { slackDirectory } from '../slack/directory';
import { SlackPoster } from '../slack/poster';
import type { OpenItem } from '../store/store';
import { userMessage } from './user-errors';

export interface ChecklistOptions {
  pacer: ChannelPacer;
  tasks: BackgroundTasks;
  /** Slack directory for the responder check; default the app's Web API client. */
  directory?: SlackDirectory;
}

function itemIdOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const v: unknown = JSON.parse(value);
    const itemId = typeof v === 'object' && v !== null ? (v as Partial<OpenItemButtonValue>).itemId : undefined;
    return typeof itemId === 'string' && itemId.length <= 200 ? itemId : undefined;
  } catch {
    return undefined;
  }
}

interface ClickedMessage {
  ts: string;
  text?: string;
  thread_ts?: string;
  blocks?: KnownBlock[];
}

/** A block as the clicked message carries it; anything else is not echoed back in an update. */
function isEchoableBlock(b: unknown): b is KnownBlock {
  if (typeof b !== 'object' || b === null) return false;
  const { type, elements } = b as { type?: unknown; elements?: unknown };
  return typeof type === 'string' && (type !== 'context' || Array.isArray(elements));
}

function clickedMessage(body: BlockAction): ClickedMessage | undefined {
  const m = body.message as Partial<ClickedMessage> | undefined;
  if (!m || typeof m.ts !== 'string') return undefined;
  const blocks = Array.isArray(m.blocks) && m.blocks.every(isEchoableBlock) ? m.blocks : undefined;
  return { ...m, ts: m.ts, blocks };
}

/** The status message with the item's block closed, or undefined when the payload has no such block. */
function withItemClosed(message: ClickedMessage, item: OpenItem): KnownBlock[] | undefined {
  const blocks = message.blocks ?? [];
  const at = blocks.findIndex((b) => b.block_id === openItemBlockId(item.id));
  if (at < 0) return undefined;
  // The poster adds the drill note again; keep it once.
  const isDrillNote = (b: KnownBlock) => b.type === 'context' && b.elements.some((e) => 'text' in e && e.text === DRILL_NOTE);
  return blocks.map((b, i) => (i === at ? closedItemBlock(item) : b)).filter((b) => !isDrillNote(b));
}

export function registerChecklist(app: App, services: AppServices, options: ChecklistOptions): void {
  const { config, logger, store, now } = services;
  const responders = new ResponderPolicy(config.remediation.responders, options.directory ?? slackDirectory(app.client), now);

  app.action<BlockAction<ButtonAction>>(
    actionIdPattern(ACTION.markItemDone),
    async ({ ack, body, action, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const poster = new SlackPoster(client, options.pacer, config.drill);
      const user = body.user.id;
      const channel = body.channel?.id;
      const itemId = itemIdOf(action.value);
      const threadTs = clickedMessage(body)?.thread_ts;
      options.tasks.run('mark done', async () => {
        try {
          if (!itemId) {
            if (channel)
              await poster.ephemeral(channel, user, mrkdwn`aws-ir does not recognise this button; run \`/aws-ir status\` for the current checklist.`, threadTs);
            return;
          }
          const allowed = await responders.check(user);
          if (!allowed.allowed) {
            const item = store.getOpenItem(itemId);
            store.appendAudit({
              at: now().toISOString(),
              channel: item?.channel ?? channel,
              user,
              kind: 'request.refused',
              data: { attempted: 'mark done', code: 'not_responder', reason: allowed.reason, item: itemId },
            });
            if (channel) await poster.ephemeral(channel, user, esc(allowed.reason), threadTs);
            return;
          }
          const result = markDone({ store, now }, itemId, user);
          if (!result.ok) {
            if (channel) await poster.ephemeral(channel, user, escKeepingMentions(result.reason, [result.item?.closedBy]), threadTs);
            return;
          }
          const message = clickedMessage(body);
          const blocks = message && withItemClosed(message, result.item);
          if (message && blocks) await poster.update(result.item.channel, message.ts, { text: mrkdwn`Incident status`, blocks });
          else {
            const line = closedItemLine(result.item);
            await poster.post(
              result.item.channel,
              { text: line, blocks: [closedItemBlock(result.item)] },
              threadTs ?? store.latestScan(result.item.channel)?.threadTs,
            );
          }
        } catch (err) {
          logger.error({ err, user }, 'mark done failed');
          if (channel) await poster.ephemeral(channel, user, esc(userMessage(err))).catch(() => undefined);
        }
      });
    },
  );
}
