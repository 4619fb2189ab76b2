/**
 * `npm run bench` (second part): the scan as the channel sees it. The real app in local mode (sandbox
 * with AWS's rate limits, the Slack stand-in, the real Bolt app over HTTP) runs `/aws-ir scan` on a
 * scenario; measured from the command: the first actionable finding in the thread, the summary (the
 * first message turned into the scan's summary), the messages in the thread and the blocks per
 * message. Exits non-zero when a target is missed.
 *
 *   node dist/bench/slack-thread.js [--scenario large|compromised-key]
 */
import { LOCAL_CHANNEL } from '@aws-ir/slack-standin';
import { createLogger } from '../src/logger';
import { startLocalStack } from '../src/local/start-local';

const TARGETS: Record<string, { firstActionableMs: number; threadMessages: number }> = {
  'compromised-key': { firstActionableMs: 3_000, threadMessages: 40 },
  large: { firstActionableMs: 10_000, threadMessages: 40 },
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const text = (blocks: unknown[] | undefined): string => JSON.stringify(blocks ?? []);

async function main(): Promise<number> {
  const scenario = arg('scenario', 'large');
  const target = TARGETS[scenario] ?? { firstActionableMs: 10_000, threadMessages: 40 };
  const stack = await startLocalStack({ port: 0, dbPath: ':memory:', scenario, rateLimits: true, logger: createLogger('silent') });
  try {
    const ws = stack.standIn.workspace;
    let firstActionableMs: number | undefined;
    let summaryMs: number | undefined;
    const t0 = performance.now();
    const stop = ws.onChange(() => {
      const all = ws.publicMessages(LOCAL_CHANNEL.id);
      const parent = all.find((m) => !m.threadTs && /started a scan|AWS IR scan of account/.test(`${m.text}${text(m.blocks)}`));
      if (!parent) return;
      const replies = all.filter((m) => m.threadTs === parent.ts);
      if (firstActionableMs === undefined && replies.some((m) => /Found first|aws_ir\.request/.test(text(m.blocks))))
        firstActionableMs = performance.now() - t0;
      if (summaryMs === undefined && /AWS IR scan of account/.test(text(parent.blocks))) summaryMs = performance.now() - t0;
    });
    await stack.standIn.interactions.slashCommand('U0ALICE', '/aws-ir scan');
    await stack.idle();
    stop();
    const all = ws.publicMessages(LOCAL_CHANNEL.id);
    const parent = all.find((m) => !m.threadTs && /AWS IR scan of account/.test(text(m.blocks)));
    const thread = all.filter((m) => parent && m.threadTs === parent.ts);
    const blocks = thread.map((m) => m.blocks?.length ?? 0);
    const files = thread.filter((m) => m.files?.length).length;
    const lines = [
      `Slack thread of /aws-ir scan on ${scenario} (local mode: sandbox with AWS's rate limits, Slack stand-in, real Bolt app):`,
      `  first actionable finding in the thread: ${firstActionableMs === undefined ? 'none' : `${(firstActionableMs / 1000).toFixed(2)} s`} (target < ${target.firstActionableMs / 1000} s)`,
      `  summary in the channel:                 ${summaryMs === undefined ? 'none' : `${(summaryMs / 1000).toFixed(2)} s`}`,
      `  messages in the thread:                 ${thread.length} (target <= ${target.threadMessages}), ${files} with a file`,
      `  blocks per message:                     max ${Math.max(0, ...blocks)}, mean ${(blocks.reduce((a, b) => a + b, 0) / Math.max(1, blocks.length)).toFixed(1)} (Slack's limit 50); summary ${parent?.blocks?.length ?? 0}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    const missed = [
      firstActionableMs === undefined || firstActionableMs > target.firstActionableMs ? 'first actionable finding' : '',
      thread.length > target.threadMessages ? 'messages in the thread' : '',
      Math.max(0, ...blocks, parent?.blocks?.length ?? 0) > 50 ? 'blocks per message' : '',
    ].filter(Boolean);
    if (missed.length) process.stdout.write(`  MISSED: ${missed.join(', ')}\n`);
    return missed.length ? 1 : 0;
  } finally {
    await stack.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
