/**
 * The Slack surface of the incident core. Builds the core with Slack's ports (the directory behind
 * responder checks, the announcer) and registers every listener: one `/aws-ir` command listener
 * routes subcommands (scan, trail, status, evidence, audit, help); the interactive surfaces register
 * themselves (investigate, the remediation buttons and form, "Mark done"), sharing one pacer and task
 * tracker. Every listener acknowledges before any network or disk work; the work runs after.
 */
import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { quoted, tokenize, UsageError } from '../args/flags';
import { drillPrefix } from '../blocks/drill';
import { esc, mrkdwn, type Mrkdwn } from '../blocks/text';
import { usageText } from '../blocks/usage';
import { userMessage } from '../errors';
import type { Readiness } from '../health';
import { createIncidentCore, type IncidentCore } from '../incident/core';
import type { Lookups } from '../incident/lookups';
import type { SlackDirectory } from '../remediation/responders';
import type { AppServices } from '../services';
import { SLASH_COMMAND } from '../slack-ids';
import { BackgroundTasks } from '../slack/background-tasks';
import type { Pacer } from '../slack/channel-pacer';
import { pacerFor } from '../slack/pacer-for';
import { slackDirectory } from '../slack/directory';
import { SlackPoster, type SlackClient } from '../slack/poster';
import { SWEEP_INTERVAL_MS } from '../limits';
import { handleAuditCommand } from './audit';
import { registerChecklist } from './checklist';
import type { CommandContext } from './command-context';
import { handleEvidenceCommand } from './evidence';
import { registerInvestigate } from './investigate';
import { registerMoreDetails } from './more-details';
import { registerRemediation } from './remediation';
import { scanSubcommand } from './scan-command';
import { slackAnnouncer } from './slack-announcer';
import { handleStatusCommand } from './status';
import { handleTimelineCommand } from './timeline';
import { trailSubcommand } from './trail-command';

export interface ListenerOptions {
  /** Per-channel pacing of posts and updates (Slack: about 1 message/s per channel). */
  pacer?: Pacer;
  /** Minimum time between two updates of a progress message; default 1000 ms. */
  progressIntervalMs?: number;
  tasks?: BackgroundTasks;
  /** Engine lookups (trail, last accessed); default: the scan engine's modules. */
  lookups?: Partial<Lookups>;
  /** Slack directory for the responder checks; default the app's Web API client. */
  directory?: SlackDirectory;
  /** How often the sweep (expiry, work of processes that are gone) runs; default AWS_IR_SWEEP_SECONDS (60 s), 0 = never (tests call sweepNow). */
  sweepIntervalMs?: number;
  /** Told about Slack token failures (readiness). */
  readiness?: Readiness;
}

export interface RegisteredListeners {
  core: IncidentCore;
  /** Work still running after its Slack request was acknowledged (scans, trails, approvals). */
  tasks: BackgroundTasks;
  /** Resolves once the start-up sweep (work interrupted by the previous run, expired requests) is done. */
  recovered: Promise<void>;
  /** Runs the sweep now (tests). */
  sweepNow(): Promise<void>;
  /** Stops timers (the sweep); call before stopping the app. */
  stop(): void;
}

interface Subcommand<P> {
  /** Synchronous validation, before the ack: throws UsageError. */
  parse(tokens: string[]): P;
  run(ctx: CommandContext, parsed: P): Promise<void>;
}

/** A subcommand that takes no arguments: extra words are a usage error, not silently ignored. */
function noArgs(name: string, run: (ctx: CommandContext) => Promise<void>): Subcommand<void> {
  return {
    parse(tokens) {
      if (tokens.length) throw new UsageError(`\`${SLASH_COMMAND} ${name}\` takes no arguments (got ${quoted(tokens.join(' '))}).`);
    },
    run,
  };
}

/**
 * A subcommand with its parse result's type sealed inside: parsing (before the ack) returns the run to
 * do after the ack, so the table below can hold subcommands whose parse results differ.
 */
interface Route {
  parse(tokens: string[]): (ctx: CommandContext) => Promise<void>;
}

function route<P>(subcommand: Subcommand<P>): Route {
  return {
    parse(tokens) {
      const parsed = subcommand.parse(tokens);
      return (ctx) => subcommand.run(ctx, parsed);
    },
  };
}

const SUBCOMMANDS: Record<string, Route> = {
  scan: route(scanSubcommand),
  trail: route(trailSubcommand),
  // `audit` ignored its arguments before the shared parser; it still does, so old habits keep working.
  audit: route({ parse: () => undefined, run: handleAuditCommand }),
  status: route(noArgs('status', handleStatusCommand)),
  evidence: route(noArgs('evidence', handleEvidenceCommand)),
  timeline: route(noArgs('timeline', handleTimelineCommand)),
};

export function registerListeners(app: App, services: AppServices, options: ListenerOptions = {}): RegisteredListeners {
  const { logger, clock } = services;
  const drill = services.config.drill;
  const pacer = options.pacer ?? pacerFor(services);
  const tasks = options.tasks ?? new BackgroundTasks(logger);
  const progressIntervalMs = options.progressIntervalMs ?? 1000;
  const onSlackError = (err: unknown) => options.readiness?.observeSlackError(err);
  const posterFor = (client: SlackClient) => new SlackPoster(client, pacer, drill, onSlackError);
  const appPoster = posterFor(app.client);
  const core: IncidentCore = createIncidentCore(services, {
    directory: options.directory ?? slackDirectory(app.client),
    announcer: slackAnnouncer(appPoster, () => core, logger),
    ...(options.lookups ? { lookups: options.lookups } : {}),
  });

  /** An ephemeral answer to the person who typed the command, drill-marked. */
  const ephemeral = (text: Mrkdwn) => ({ response_type: 'ephemeral' as const, text: mrkdwn`${drillPrefix(drill)}${text}` });

  app.command(SLASH_COMMAND, async ({ command, ack, respond, client }: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => {
    const [first = '', ...tokens] = tokenize(command.text ?? '');
    const subcommand = first.toLowerCase();
    const entry = SUBCOMMANDS[subcommand];
    if (!entry) {
      const problem = subcommand && subcommand !== 'help' ? mrkdwn`Unknown subcommand ${esc(quoted(subcommand))}.` : undefined;
      await ack(ephemeral(usageText(problem)));
      return;
    }
    let run: (ctx: CommandContext) => Promise<void>;
    try {
      run = entry.parse(tokens);
    } catch (err) {
      if (err instanceof UsageError) await ack(ephemeral(mrkdwn`${esc(err.message)} Try \`${esc(SLASH_COMMAND)} help\`.`));
      else {
        logger.error({ err, subcommand }, 'command could not be parsed');
        await ack(ephemeral(esc(userMessage(err))));
      }
      return;
    }
    await ack();
    const ctx: CommandContext = { command, respond, services, core, poster: posterFor(client), tasks, progressIntervalMs };
    // After the ack, as background work: the acks of the other requests in flight go first.
    tasks.run(subcommand, async () => {
      try {
        await run(ctx);
      } catch (err) {
        logger.error({ err, subcommand }, 'command failed');
        await respond(ephemeral(esc(userMessage(err))));
      }
    });
  });

  const surface = { core, tasks, logger, posterFor };
  registerInvestigate(app, surface);
  registerRemediation(app, surface);
  registerChecklist(app, surface);
  registerMoreDetails(app, surface);

  const sweepNow = async (): Promise<void> => {
    await core.sweep();
  };
  const recovered = sweepNow().catch((err: unknown) => logger.error({ err }, 'the start-up sweep failed'));
  const interval = options.sweepIntervalMs ?? services.config.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
  const stopSweeps = interval > 0 ? clock.every(interval, () => tasks.run('sweep', sweepNow)) : () => undefined;
  return { core, tasks, recovered, sweepNow, stop: stopSweeps };
}
