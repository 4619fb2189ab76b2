/**
 * The CloudTrail events of the scan, read once per region and shared by the checks that need them (the
 * CloudTrail check runs the detection catalog over them; IAM changes and key correlation read who changed
 * what). The read reaches back at least BASELINE_DAYS, further than a short window, so that a CI's daily
 * deploy or a person's office address are known as habits even in a one-day window; findings still come
 * only from events inside the window.
 */
import { GLOBAL_SERVICE_REGION } from '../aws/account';
import { lookupEvents, type TrailEvent } from './cloudtrail-events';
import type { CheckContext } from './context';
import { gapFrom } from './errors';
import type { Gap } from './model';

/** 200 pages = 10,000 events per region: at 2 requests/s, under two minutes. */
export const MAX_PAGES_PER_REGION = 200;
export const BASELINE_DAYS = 7;
const DAY_MS = 86_400_000;

export interface TrailWindow {
  /** Events of the window and of the baseline before it. */
  events: TrailEvent[];
  /** Regions whose history was read completely (no failure, no page cap). */
  complete: Set<string>;
  gaps: Gap[];
}

export function trailWindow(ctx: CheckContext): Promise<TrailWindow> {
  return ctx.memo('cloudtrail-window', async () => {
    const start = new Date(Math.min(ctx.window.start.getTime(), ctx.window.end.getTime() - BASELINE_DAYS * DAY_MS));
    const events: TrailEvent[] = [];
    const complete = new Set<string>();
    const gaps: Gap[] = [];
    // IAM, STS, sign-in and Organizations events are global and recorded in us-east-1 only.
    const regions = ctx.regions.includes(GLOBAL_SERVICE_REGION) ? ctx.regions : [...ctx.regions, GLOBAL_SERVICE_REGION];
    await Promise.all(
      regions.map(async (region) => {
        try {
          const res = await lookupEvents(ctx.clients, region, { start, end: ctx.window.end }, MAX_PAGES_PER_REGION);
          events.push(...res.events);
          ctx.detail(`cloudtrail: ${region}: ${res.events.length} events in ${res.pages} page(s)`);
          if (!res.truncated) complete.add(region);
          else {
            gaps.push({
              check: 'cloudtrail',
              region,
              reason: `only the latest ${res.events.length} events of ${region} were reviewed (more than ${MAX_PAGES_PER_REGION} pages); shorten the window with --days to review all of it.`,
            });
          }
        } catch (err) {
          gaps.push(gapFrom('cloudtrail', err, region));
        }
      }),
    );
    return { events, complete, gaps };
  });
}
