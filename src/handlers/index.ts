/**
 * Registers every listener on the Bolt app. One `/aws-ir` command listener routes subcommands
 * (scan, trail, status, evidence, audit, help); interactive surfaces register themselves (investigate
 * here, the remediation buttons and modal in handlers/remediation.ts, "Mark done" in
 * handlers/checklist.ts), sharing one pacer and task tracker.
 */
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { drillPrefix } from '../blocks/drill';
import { esc } from '../blocks/text';
import { usageText } from '../blocks/usage';
import type { AppServices } from '../services';
import { SLASH_COMMAND } from '../slack-ids';
import { BackgroundTasks } from '../slack/background-tasks';
import { ChannelPacer } from '../slack/channel-pacer';
import { SlackPoster } from '../slack/poster';
import { parseCommand, UsageError } from './command-args';
import type { CommandContext, Lookups } from './command-context';
import { registerInvestigate } from './investigate';
import { handleAuditCommand } from './audit';
import { registerChecklist } from './checklist';
import { handleEvidenceCommand } from './evidence';
import { registerRemediation, type RemediationOptions, type RemediationRuntime } from './remediation';
import { scanSubcommand } from './scan-command';
import { handleStatusCommand } from './status';
import { trailSubcommand } from './trail-command';
import { userMessage } from './user-errors';

export interface ListenerOptions {
  /** Per-channel pacing of posts and updates (Slack: about 1 message/s per channel). */
  pacer?: ChannelPacer;
  /** Minimum time between two updates of a progress message; default 1000 ms. */
  progressIntervalMs?: number;
  tasks?: BackgroundTasks;
  /** Engine lookups (trail, last accessed); default: the scan engine's modules. */
  lookups?: Lookups;
  /** Passed to registerRemediation (e.g. sweepIntervalMs, directory); pacer and tasks are shared. */
  remediation?: RemediationOptions;
}

export interface RegisteredListeners {
  /** Work still running after its Slack request was acknowledged (scans, trails, approvals). */
  tasks: BackgroundTasks;
  remediation: RemediationRuntime;
  /** Stops timers (request expiry sweep); call before stopping the app. */
  stop(): void;
}

interface Subcommand<P> {
  /** Synchronous validation, before the ack: throws UsageError. */
  parse(args: string[]): P;
  run(ctx: CommandContext, parsed: P): Promise<void>;
}

/** A subcommand that takes no arguments: extra words are a usage error, not silently ignored. */
function noArgs(name: string, run: (ctx: CommandContext) => Promise<void>): Subcommand<void> {
  return {
    parse(args) {
      if (args.length) throw new UsageError(`\`${SLASH_COMMAND} ${name}\` takes no arguments (got "${args.join(' ')}").`);
    },
    run,
  };
}

const auditSubcommand: Subcommand<void> = {
  parse: () => undefined,
  run: (ctx) => handleAuditCommand(ctx),
};

/**
 * A subcommand with its parse result's type sealed inside: parsing (before the ack) returns the run to
 * do after the ack, so the table below can hold subcommands whose parse results differ.
 */
interface Route {
  /** Throws UsageError, like Subcommand.parse. */
  parse(args: string[]): (ctx: CommandContext) => Promise<void>;
}

function route<P>(subcommand: Subcommand<P>): Route {
  return {
    parse(args) {
      const parsed = subcommand.parse(args);
      return (ctx) => subcommand.run(ctx, parsed);
    },
  };
}

const SUBCOMMANDS: Record<string, Route> = {
  scan: route(scanSubcommand),
  trail: route(trailSubcommand),
  audit: route(auditSubcommand),
  status: route(noArgs('status', handleStatusCommand)),
  evidence: route(noArgs('evidence', handleEvidenceCommand)),
};

export function registerListeners(app: App, services: AppServices, options: ListenerOptions = {}): RegisteredListeners {
  const pacer = options.pacer ?? new ChannelPacer(1000);
  const tasks = options.tasks ?? new BackgroundTasks(services.logger);
  const progressIntervalMs = options.progressIntervalMs ?? 1000;
  const drill = services.config.drill;
  const lookups = options.lookups ?? {};

  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    const { subcommand, args } = parseCommand(command.text ?? '');
    const entry = SUBCOMMANDS[subcommand];
    if (!entry) {
      const problem = subcommand && subcommand !== 'help' ? `Unknown subcommand "${subcommand}".` : undefined;
      await ack({ response_type: 'ephemeral', text: `${drillPrefix(drill)}${usageText(problem)}` });
      return;
    }
    let run: (ctx: CommandContext) => Promise<void>;
    try {
      run = entry.parse(args);
    } catch (err) {
      if (err instanceof UsageError) await ack({ response_type: 'ephemeral', text: `${drillPrefix(drill)}${err.message} Try \`${SLASH_COMMAND} help\`.` });
      else {
        services.logger.error({ err, subcommand }, 'command could not be parsed');
        await ack({ response_type: 'ephemeral', text: `${drillPrefix(drill)}${esc(userMessage(err))}` });
      }
      return;
    }
    await ack();
    const ctx: CommandContext = { args, command, client, respond, services, poster: new SlackPoster(client, pacer, drill), tasks, progressIntervalMs, lookups };
    try {
      await run(ctx);
    } catch (err) {
      services.logger.error({ err, subcommand }, 'command failed');
      await respond({ response_type: 'ephemeral', text: `${drillPrefix(drill)}${esc(userMessage(err))}` });
    }
  });

  registerInvestigate(app, services, { pacer, tasks, lookups });

  const remediation = registerRemediation(app, services, { ...options.remediation, pacer, tasks });
  registerChecklist(app, services, { pacer, tasks, ...(options.remediation?.directory ? { directory: options.remediation.directory } : {}) });
  return { tasks, remediation, stop: () => remediation.stop() };
}
