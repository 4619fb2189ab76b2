/**
 * `/aws-ir trail` output (runbook D3): a principal's CloudTrail events across regions, newest first,
 * with the high-signal ones marked. The engine's typed result (scan/trail.ts) is mapped to a view.
 */
import type { KnownBlock } from '@slack/types';
import type { PrincipalActivity } from '../scan/trail';
import { code, esc, formatTime, joinMrkdwn, md, mrkdwn, plural, truncate, truncateMrkdwn, type Mrkdwn } from './text';

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
  identity?: PrincipalActivity['identity'];
  kind?: PrincipalActivity['principal']['kind'];
  sessions?: PrincipalActivity['sessions'];
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
  return {
    events,
    gaps: activity.gaps.map((g) => ({ ...g })),
    regions: activity.regions.map((r) => r.region),
    kind: activity.principal.kind,
    ...(activity.identity ? { identity: activity.identity } : {}),
    ...(activity.sessions ? { sessions: activity.sessions } : {}),
  };
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
  const summary: Mrkdwn[] = [
    mrkdwn`*Activity of ${esc(truncate(principal, 300))}*: ${plural(view.events.length, 'event')} in ${plural(byRegion.size, 'region')}${denied ? mrkdwn`, ${denied} failed` : mrkdwn``}.`,
  ];
  if (byRegion.size)
    summary.push(
      mrkdwn`Regions: ${joinMrkdwn(
        [...byRegion].map(([r, n]) => mrkdwn`${esc(truncate(r, 40))} (${n})`),
        ', ',
      )}`,
    );
  if (ips.length) {
    const shown = joinMrkdwn(
      ips.slice(0, 15).map((ip) => esc(truncate(ip, 60))),
      ', ',
    );
    summary.push(ips.length > 15 ? mrkdwn`Source IPs: ${shown} and ${ips.length - 15} more` : mrkdwn`Source IPs: ${shown}`);
  }
  if (view.identity?.exists === false) {
    const what = view.kind === 'access-key' ? 'access key' : `IAM ${view.kind ?? 'principal'}`;
    const close = view.identity.suggestions?.length
      ? mrkdwn` Did you mean ${joinMrkdwn(
          view.identity.suggestions.map((n) => code(n)),
          ', ',
        )}?`
      : mrkdwn``;
    const past = view.events.length ? mrkdwn` What CloudTrail still holds about it is below.` : mrkdwn``;
    summary.unshift(mrkdwn`:grey_question: *There is no ${esc(what)} by that name in this account.*${close}${past}`);
  }
  groups.push([{ type: 'section', text: md(joinMrkdwn(summary, '\n')) }]);
  if (view.sessions?.length) {
    const lines = view.sessions.map(
      (s) =>
        mrkdwn`• ${formatTime(s.at)}: assumed by ${code(truncate(s.assumedBy, 200))}${s.sourceIp ? mrkdwn` from ${esc(truncate(s.sourceIp, 60))}` : mrkdwn``} — ${
          s.accessKeyId
            ? mrkdwn`session ${code(s.accessKeyId)} made ${plural(s.events, 'call')}${s.eventNames.length ? mrkdwn`: ${esc(truncate(s.eventNames.join(', '), 300))}` : mrkdwn``}`
            : mrkdwn`its session key is not in the record`
        }`,
    );
    groups.push([{ type: 'section', text: md(truncateMrkdwn(mrkdwn`*Who assumed it, and what the sessions did*\n${joinMrkdwn(lines, '\n')}`, 2900)) }]);
  }
  const lines = view.events.map((e) => {
    const mark = e.byAws ? mrkdwn`:information_source: ` : isHighSignal(e.eventName) ? mrkdwn`:warning: ` : mrkdwn``;
    const extra: Mrkdwn[] = [];
    if (e.byAws) extra.push(mrkdwn`made by ${esc(truncate(e.byAws, 100))}`);
    if (e.sourceIp) extra.push(mrkdwn`from ${esc(truncate(e.sourceIp, 60))}`);
    if (e.accessKeyId) extra.push(mrkdwn`key ${esc(truncate(e.accessKeyId, 40))}`);
    if (e.errorCode) extra.push(mrkdwn`*${esc(truncate(e.errorCode, 100))}*`);
    const tail = extra.length ? mrkdwn` · ${joinMrkdwn(extra, ' · ')}` : mrkdwn``;
    return mrkdwn`${mark}${formatTime(e.time)} · ${esc(truncate(e.region, 40))} · ${code(truncate(e.eventName, 100))}${tail}`;
  });
  for (let i = 0; i < lines.length; i += EVENTS_PER_BLOCK) groups.push([{ type: 'section', text: md(joinMrkdwn(lines.slice(i, i + EVENTS_PER_BLOCK), '\n')) }]);
  if (!view.events.length && view.identity?.exists !== false)
    groups.push([{ type: 'section', text: md(mrkdwn`No CloudTrail management events for this principal in the window.`) }]);
  if (view.gaps.length) {
    const gaps = joinMrkdwn(
      view.gaps.map((g) => mrkdwn`• ${g.region ? mrkdwn`${esc(truncate(g.region, 40))}: ` : mrkdwn``}${esc(truncate(g.reason, 300))}`),
      '\n',
    );
    groups.push([{ type: 'section', text: md(mrkdwn`:warning: *Could not be read*\n${gaps}`) }]);
  }
  return groups;
}
