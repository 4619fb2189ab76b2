/**
 * The account's trails and their status, read once per scan and shared by the CloudTrail check (is any
 * trail logging?) and the S3 source (where are the log files, and which period do they cover?).
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type GetTrailStatusCommandOutput,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import type { CheckContext } from '../context';
import { step } from '../errors';

type Ctx = Pick<CheckContext, 'clients' | 'memo'>;

/** DescribeTrails in one region, shadow trails included (a multi-region trail shows in every region). */
export function describeTrails(ctx: Ctx, region: string): Promise<Trail[]> {
  return ctx.memo(`cloudtrail:DescribeTrails:${region}`, async () => {
    const out = await step('cloudtrail:DescribeTrails', () => ctx.clients.cloudTrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true })));
    return out.trailList ?? [];
  });
}

export function trailStatus(ctx: Ctx, trail: Trail, fallbackRegion: string): Promise<GetTrailStatusCommandOutput> {
  const region = trail.HomeRegion ?? fallbackRegion;
  return ctx.memo(`cloudtrail:GetTrailStatus:${trail.TrailARN ?? trail.Name}`, () =>
    step('cloudtrail:GetTrailStatus', () => ctx.clients.cloudTrail(region).send(new GetTrailStatusCommand({ Name: trail.TrailARN }))),
  );
}

/**
 * Whether the trail records every management event (reads and writes): the default selectors do; custom
 * ones are read back. A trail that drops some cannot stand in for LookupEvents.
 */
export function logsAllManagementEvents(ctx: Ctx, trail: Trail, fallbackRegion: string): Promise<boolean> {
  if (!trail.HasCustomEventSelectors) return Promise.resolve(true);
  const region = trail.HomeRegion ?? fallbackRegion;
  return ctx.memo(`cloudtrail:GetEventSelectors:${trail.TrailARN ?? trail.Name}`, async () => {
    const out = await step('cloudtrail:GetEventSelectors', () =>
      ctx.clients.cloudTrail(region).send(new GetEventSelectorsCommand({ TrailName: trail.TrailARN })),
    );
    const basic = (out.EventSelectors ?? []).some(
      (s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') === 'All' && !s.ExcludeManagementEventSources?.length,
    );
    const advanced = (out.AdvancedEventSelectors ?? []).some((s) => {
      const fields = s.FieldSelectors ?? [];
      const management = fields.some((f) => f.Field === 'eventCategory' && f.Equals?.includes('Management'));
      return management && fields.every((f) => f.Field === 'eventCategory');
    });
    return basic || advanced;
  });
}
