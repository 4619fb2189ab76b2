/**
 * Where a region's log files are and which period they hold: the trail that logs the region (its
 * bucket and prefix, from DescribeTrails) or the log archive configured for an organization trail
 * (AWS_IR_TRAIL_BUCKET / _PREFIX / _ROLE_ARN). The files cover the period the trail logged every
 * management event, up to its latest delivery; what lies outside that is read through LookupEvents.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { clientsFor } from '../../aws/clients';
import type { CheckContext } from '../context';
import { failureReason, step } from '../errors';
import type { CloudTrailSourceOptions } from './model';
import type { LogLocation } from './s3-logs';
import { describeTrails, logsAllManagementEvents, trailStatus } from './trail-info';

/** Calls in the last minutes may not be in a delivered file yet: the files are trusted up to this long before the latest delivery. */
export const DELIVERY_MARGIN_MS = 5 * 60_000;

export interface LogPeriod {
  location: LogLocation;
  /** The files hold every management event of the region in [from, to). */
  from: Date;
  to: Date;
  /** What the reader should know about the period (e.g. a stop in it). */
  notes: string[];
  description: string;
}

export type LocationResult = { ok: true; period: LogPeriod } | { ok: false; reason: string };

type Ctx = Pick<CheckContext, 'clients' | 'memo' | 'account'>;

const trimPrefix = (p: string | undefined): string => (p ? `${p.replace(/^\/+|\/+$/g, '')}/` : '');

/** `AWSLogs/` holds `o-ORGID/` for an organization trail, the account's folder otherwise. */
async function accountRoot(ctx: Ctx, loc: Omit<LogLocation, 'root'>, prefix: string): Promise<string> {
  const out = await step('s3:ListObjectsV2', () =>
    loc.clients.s3(loc.region).send(new ListObjectsV2Command({ Bucket: loc.bucket, Prefix: `${prefix}AWSLogs/`, Delimiter: '/' })),
  );
  const org = (out.CommonPrefixes ?? []).map((p) => p.Prefix ?? '').find((p) => /AWSLogs\/o-[a-z0-9]+\/$/.test(p));
  return org ? `${org}${ctx.account}/CloudTrail/` : `${prefix}AWSLogs/${ctx.account}/CloudTrail/`;
}

function configuredLocation(ctx: Ctx, opts: CloudTrailSourceOptions, region: string): Omit<LogLocation, 'root'> {
  const bucket = opts.trailBucket as string;
  if (!opts.trailRoleArn) return { bucket, clients: ctx.clients, region };
  const target = ctx.clients.target;
  const archive = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(opts.trailRoleArn)?.[1] ?? opts.trailRoleArn;
  const clients = clientsFor({
    key: `log-archive:${archive}`,
    region: target.region,
    credentials: fromTemporaryCredentials({
      params: { RoleArn: opts.trailRoleArn, RoleSessionName: 'aws-ir-trail-logs', DurationSeconds: 3600 },
      ...(target.credentials ? { masterCredentials: target.credentials } : {}),
      clientConfig: { region: target.region, ...(target.endpoint ? { endpoint: target.endpoint } : {}) },
    }),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  });
  return { bucket, clients, region };
}

/** The log files for `region` over [from, to], or why they cannot be used. */
export function logLocation(ctx: Ctx, opts: CloudTrailSourceOptions, region: string, from: Date, to: Date): Promise<LocationResult> {
  return ctx.memo(`cloudtrail:s3-location:${region}`, async (): Promise<LocationResult> => {
    try {
      if (opts.trailBucket) {
        const loc = configuredLocation(ctx, opts, ctx.clients.target.region);
        const prefix = trimPrefix(opts.trailPrefix);
        const root = await ctx.memo(`cloudtrail:s3-root:${loc.bucket}|${prefix}`, () => accountRoot(ctx, loc, prefix));
        const end = new Date(to.getTime() - DELIVERY_MARGIN_MS);
        return {
          ok: true,
          period: {
            location: { ...loc, root },
            from,
            to: end,
            notes: ['the configured log archive is taken to hold every management event of the window (its trail is in another account)'],
            description: `s3://${loc.bucket}/${root}`,
          },
        };
      }
      const trails = (await describeTrails(ctx, region)).filter((t) => t.S3BucketName && (t.IsMultiRegionTrail || t.HomeRegion === region));
      if (!trails.length) return { ok: false, reason: `no trail delivers ${region}'s events to S3` };
      const reasons: string[] = [];
      for (const trail of trails) {
        const status = await trailStatus(ctx, trail, region);
        const name = trail.Name ?? trail.TrailARN ?? 'trail';
        if (!status.IsLogging && !status.StopLoggingTime) {
          reasons.push(`trail ${name} is not logging`);
          continue;
        }
        if (!(await logsAllManagementEvents(ctx, trail, region))) {
          reasons.push(`trail ${name} does not record every management event`);
          continue;
        }
        const started = status.StartLoggingTime;
        const stopped = !status.IsLogging ? status.StopLoggingTime : undefined;
        const delivered = status.LatestDeliveryTime
          ? new Date(status.LatestDeliveryTime.getTime() - DELIVERY_MARGIN_MS)
          : new Date(to.getTime() - DELIVERY_MARGIN_MS);
        const end = new Date(Math.min(to.getTime(), delivered.getTime(), stopped?.getTime() ?? Number.POSITIVE_INFINITY));
        const start = new Date(Math.max(from.getTime(), started?.getTime() ?? from.getTime()));
        if (end <= start) {
          reasons.push(`trail ${name} delivered nothing for the window`);
          continue;
        }
        const home = trail.HomeRegion ?? region;
        const loc: Omit<LogLocation, 'root'> = { bucket: trail.S3BucketName as string, clients: ctx.clients, region: home };
        const prefix = trimPrefix(trail.S3KeyPrefix);
        const root = trail.IsOrganizationTrail
          ? await ctx.memo(`cloudtrail:s3-root:${loc.bucket}|${prefix}`, () => accountRoot(ctx, loc, prefix))
          : `${prefix}AWSLogs/${ctx.account}/CloudTrail/`;
        const notes: string[] = [];
        if (started && started > from) notes.push(`trail ${name} has logged since ${started.toISOString()} (restarted in the window, or new)`);
        if (stopped && stopped < to) notes.push(`trail ${name} stopped logging at ${stopped.toISOString()}`);
        return { ok: true, period: { location: { ...loc, root }, from: start, to: end, notes, description: `trail ${name} (s3://${loc.bucket}/${root})` } };
      }
      return { ok: false, reason: reasons.join('; ') };
    } catch (err) {
      return { ok: false, reason: failureReason(err, region) };
    }
  });
}
