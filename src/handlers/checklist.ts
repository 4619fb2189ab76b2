/**
 * "Mark done" on an open checklist item: the core records it (one responder's word, audited); here
 * the item's block in the status message is replaced by its closed form, which says aws-ir did not
 * verify it. Who clicked comes from the verified payload, never from the button value.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { DRILL_NOTE } from '../blocks/drill';
import { closedItemBlock, closedItemLine } from '../blocks/open-item';
import { esc } from '../blocks/text';
import { REFUSALS, userMessage } from '../errors';
import type { IncidentCore } from '../incident/core';
import type { Logger } from '../logger';
import { ACTION, actionIdPattern, openItemBlockId } from '../slack-ids';
import type { BackgroundTasks } from '../slack/background-tasks';
import type { SlackClient, SlackPoster } from '../slack/poster';
import type { OpenItem } from '../store/model';
import { parseIds } from './button-values';

export interface ChecklistSurface {
  core: IncidentCore;
  tasks: BackgroundTasks;
  logger: Logger;
  posterFor(client: SlackClient): SlackPoster;
}

interface ClickedMessage {
  ts: string;
  text?: string;
  thread_ts?: string;
  blocks?: KnownBlock[];
}

function clickedMessage(body: BlockAction): ClickedMessage | undefined {
  const m = body.message as Partial<ClickedMessage> | undefined;
  return m && typeof m.ts === 'string' ? (m as ClickedMessage) : undefined;
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

export function registerChecklist(app: App, surface: ChecklistSurface): void {
  const { core, tasks, logger } = surface;
  app.action<BlockAction<ButtonAction>>(
    actionIdPattern(ACTION.markItemDone),
    async ({ ack, body, action, client }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>) => {
      await ack();
      const poster = surface.posterFor(client);
      const user = body.user.id;
      const channel = body.channel?.id;
      const itemId = parseIds(action.value, ['itemId'])?.itemId;
      const message = clickedMessage(body);
      const threadTs = message?.thread_ts;
      tasks.run('mark done', async () => {
        try {
          if (!itemId) {
            if (channel) await poster.ephemeral(channel, user, REFUSALS.unknownItemButton, threadTs);
            return;
          }
          const result = await core.markItemDone({ itemId, userId: user, ...(channel ? { channel } : {}) });
          if (!result.ok) {
            if (channel) await poster.ephemeral(channel, user, result.reason, threadTs);
            return;
          }
          const blocks = message && withItemClosed(message, result.item);
          if (message && blocks) await poster.update(result.item.channel, message.ts, { text: message.text || 'Incident status', blocks });
          else {
            const line = closedItemLine(result.item);
            await poster.post(
              result.item.channel,
              { text: line, blocks: [closedItemBlock(result.item)] },
              threadTs ?? (await core.thread(result.item.channel)),
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
