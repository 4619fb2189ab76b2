/**
 * `/aws-ir trail` output (runbook D3): a principal's CloudTrail events across regions, newest first,
 * with the high-signal ones marked. The engine's typed result (scan/trail.ts) is mapped to a view.
 */
import type { KnownBlock } from '@slack/types';
import type { PrincipalActivity } from '../scan/trail';
import { esc, formatTime, md, plural, truncate } from './text';

export interface TrailEventView {
  time: string;
  region: string;
  eventName: string;
  sourceIp?: string;
  errorCode?: string;
  accessKeyId?: string;
  userName?: string;
  /** AWS made the call itself (e.g. its quarantine of a leaked key), though recorded under the principal. */
  byAws?: string;
}

export interface TrailView {
  events: TrailEventView[];
  /** Regions that could not be read, with why. */
  gaps: { region?: string; reason: string }[];
  regions: string[];
}

/** The engine's result as the blocks show it: every region's events in one list, newest first. */
export function trailViewOf(activity: PrincipalActivity): TrailView {
  const events = activity.regions.flatMap((r) =>
    r.events.map((e): TrailEventView => {
      const ev: TrailEventView = { eventName: e.name, time: e.time, region: r.region, userName: e.principal };
      if (e.sourceIp) ev.sourceIp = e.sourceIp;
      if (e.error) ev.errorCode = e.error;
      if (e.accessKeyId) ev.accessKeyId = e.accessKeyId;
      if (e.byAws) ev.byAws = e.byAws;
      return ev;
    }),
  );
  events.sort((a, b) => b.time.localeCompare(a.time));
  return { events, gaps: activity.gaps.map((g) => ({ ...g })), regions: activity.regions.map((r) => r.region) };
}

const EVENTS_PER_BLOCK = 20;

/** `isHighSignal` marks events from the runbook's high-signal list (the engine's signals.ts). */
export function trailGroups(principal: string, view: TrailView, isHighSignal: (eventName: string) => boolean = () => false): KnownBlock[][] {
  const groups: KnownBlock[][] = [];
  const byRegion = new Map<string, number>();
  for (const e of view.events) byRegion.set(e.region, (byRegion.get(e.region) ?? 0) + 1);
  // The principal's own addresses: AWS's calls on its behalf come from AWS's.
  const ips = [
    ...new Set(
      view.events
        .filter((e) => !e.byAws)
        .map((e) => e.sourceIp)
        .filter((ip): ip is string => !!ip),
    ),
  ];
  const denied = view.events.filter((e) => e.errorCode).length;
  const summary = [
    `*Activity of ${esc(principal)}*: ${plural(view.events.length, 'event')} in ${plural(byRegion.size, 'region')}${denied ? `, ${denied} failed` : ''}.`,
    byRegion.size ? `Regions: ${[...byRegion].map(([r, n]) => `${esc(r)} (${n})`).join(', ')}` : '',
    ips.length ? `Source IPs: ${ips.slice(0, 15).map(esc).join(', ')}${ips.length > 15 ? ` and ${ips.length - 15} more` : ''}` : '',
  ].filter(Boolean);
  groups.push([{ type: 'section', text: md(summary.join('\n')) }]);
  const lines = view.events.map((e) => {
    const mark = e.byAws ? ':information_source: ' : isHighSignal(e.eventName) ? ':warning: ' : '';
    const extra = [
      e.byAws && `made by ${esc(e.byAws)}`,
      e.sourceIp && `from ${esc(e.sourceIp)}`,
      e.accessKeyId && `key ${esc(e.accessKeyId)}`,
      e.errorCode && `*${esc(e.errorCode)}*`,
    ]
      .filter(Boolean)
      .join(' · ');
    return `${mark}${formatTime(e.time)} · ${esc(e.region)} · \`${esc(truncate(e.eventName, 100))}\`${extra ? ` · ${extra}` : ''}`;
  });
  for (let i = 0; i < lines.length; i += EVENTS_PER_BLOCK) groups.push([{ type: 'section', text: md(lines.slice(i, i + EVENTS_PER_BLOCK).join('\n')) }]);
  if (!view.events.length) groups.push([{ type: 'section', text: md('No CloudTrail management events for this principal in the window.') }]);
  if (view.gaps.length) {
    groups.push([
      {
        type: 'section',
        text: md(
          `:warning: *Could not be read*\n${view.gaps.map((g) => `• ${g.region ? `${esc(g.region)}: ` : ''}${esc(truncate(g.reason, 300))}`).join('\n')}`,
        ),
      },
    ]);
  }
  return groups;
}
