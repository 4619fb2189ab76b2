/**
 * `/aws-ir trail` output (runbook D3): a principal's CloudTrail events across regions, newest first,
 * with the high-signal ones marked. The engine's result is narrowed here field by field rather than
 * trusted, so a change in its shape degrades to fewer details, not to a crash in Slack.
 */
import type { KnownBlock } from '@slack/types';
import { code, esc, formatTime, joinMrkdwn, md, mrkdwn, plural, truncate, type Mrkdwn } from './text';

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

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (o: Obj, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'string' && v) return v;
    if (v instanceof Date) return v.toISOString();
  }
  return undefined;
};

function toEvent(raw: unknown, regionHint?: string): TrailEventView | undefined {
  if (!isObj(raw)) return undefined;
  const eventName = str(raw, 'eventName', 'EventName', 'name');
  const time = str(raw, 'time', 'eventTime', 'EventTime');
  if (!eventName || !time) return undefined;
  const ev: TrailEventView = { eventName, time, region: str(raw, 'region', 'awsRegion') ?? regionHint ?? '?' };
  const ip = str(raw, 'sourceIp', 'sourceIPAddress', 'sourceIpAddress');
  if (ip) ev.sourceIp = ip;
  const err = str(raw, 'errorCode', 'error');
  if (err) ev.errorCode = err;
  const key = str(raw, 'accessKeyId', 'AccessKeyId');
  if (key) ev.accessKeyId = key;
  const user = str(raw, 'userName', 'username', 'Username', 'principal');
  if (user) ev.userName = user;
  const byAws = str(raw, 'byAws');
  if (byAws) ev.byAws = byAws;
  return ev;
}

/** Accepts `{ events: [...] }`, `{ regions: [{ region, events }] }`, or a bare array of events. */
export function toTrailView(raw: unknown): TrailView {
  const view: TrailView = { events: [], gaps: [], regions: [] };
  const eventsFrom = (list: unknown, region?: string) => {
    if (!Array.isArray(list)) return;
    for (const e of list) {
      const ev = toEvent(e, region);
      if (ev) view.events.push(ev);
    }
  };
  if (Array.isArray(raw)) eventsFrom(raw);
  else if (isObj(raw)) {
    eventsFrom(raw.events);
    if (Array.isArray(raw.regions)) {
      for (const r of raw.regions) {
        if (typeof r === 'string') view.regions.push(r);
        else if (isObj(r)) {
          const region = str(r, 'region');
          if (region) view.regions.push(region);
          eventsFrom(r.events, region);
        }
      }
    }
    if (Array.isArray(raw.gaps)) {
      for (const g of raw.gaps)
        if (isObj(g) && typeof g.reason === 'string') view.gaps.push({ reason: g.reason, ...(typeof g.region === 'string' ? { region: g.region } : {}) });
    }
  }
  if (!view.regions.length) view.regions = [...new Set(view.events.map((e) => e.region))];
  view.events.sort((a, b) => b.time.localeCompare(a.time));
  return view;
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
  groups.push([{ type: 'section', text: md(joinMrkdwn(summary, '\n')) }]);
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
  if (!view.events.length) groups.push([{ type: 'section', text: md(mrkdwn`No CloudTrail management events for this principal in the window.`) }]);
  if (view.gaps.length) {
    const gaps = joinMrkdwn(
      view.gaps.map((g) => mrkdwn`• ${g.region ? mrkdwn`${esc(truncate(g.region, 40))}: ` : mrkdwn``}${esc(truncate(g.reason, 300))}`),
      '\n',
    );
    groups.push([{ type: 'section', text: md(mrkdwn`:warning: *Could not be read*\n${gaps}`) }]);
  }
  return groups;
}
