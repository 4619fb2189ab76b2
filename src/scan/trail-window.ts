/**
 * The CloudTrail events of the scan, read once per region and shared by the checks that need them (the
 * CloudTrail check runs the detection catalog over them; IAM changes and key correlation read who changed
 * what). The read reaches back at least BASELINE_DAYS, further than a short window, so that a CI's daily
 * deploy or a person's office address are known as habits even in a one-day window; findings still come
 * only from events inside the window. Which source reads each region (LookupEvents whole or targeted,
 * the trail's S3 log files, Athena) is decided in sources/read-cloudtrail.ts.
 */
import { GLOBAL_SERVICE_REGION } from '../aws/account';
import type { CheckContext } from './context';
import { type CloudTrailRead, readCloudTrail } from './sources/read-cloudtrail';

export { MAX_PAGES_PER_REGION } from './sources/read-cloudtrail';
export const BASELINE_DAYS = 7;
const DAY_MS = 86_400_000;

export type TrailWindow = CloudTrailRead;

export function trailWindow(ctx: CheckContext): Promise<TrailWindow> {
  return ctx.memo('cloudtrail-window', async () => {
    const start = new Date(Math.min(ctx.window.start.getTime(), ctx.window.end.getTime() - BASELINE_DAYS * DAY_MS));
    // IAM, STS, sign-in and Organizations events are global and recorded in us-east-1 only.
    const regions = ctx.regions.includes(GLOBAL_SERVICE_REGION) ? ctx.regions : [...ctx.regions, GLOBAL_SERVICE_REGION];
    const read = await readCloudTrail(ctx, regions, start);
    for (const r of read.report.regions) {
      ctx.detail(`cloudtrail: ${r.region}: ${r.eventsRead} events read (${r.strategy}, ${r.source}) in ${r.requests} request(s)`);
    }
    return read;
  });
}
