/**
 * CloudTrail's trail operations: create, update, delete, start/stop logging and event selectors. A
 * trail is changed only from its home region (InvalidHomeRegionException elsewhere), as in AWS; a
 * multi-region trail is one object shown in every enabled region.
 */
import { SandboxError, type OperationContext, type Trail } from '../model';
import { enabledRegion } from './region-guard';
import { bool, list, record, str } from './service-input';

const TRAIL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{2,127}$/;

function ctRegion(ctx: OperationContext) {
  return enabledRegion(ctx, { unknown: ['UnrecognizedClientException', 403], notOptedIn: ['UnrecognizedClientException', 403] });
}

function allTrails(ctx: OperationContext): Trail[] {
  return [...new Set(ctx.state.regions.flatMap((r) => r.trails))];
}

/** The trail named (by name or ARN), changed only from its home region. */
export function trailForChange(ctx: OperationContext, param: 'Name' | 'TrailName'): Trail {
  ctRegion(ctx);
  const name = str(ctx.params[param]);
  if (!name)
    throw new SandboxError(
      'InvalidTrailNameException',
      'Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).',
    );
  const trail = allTrails(ctx).find((t) => t.name === name || t.arn === name);
  if (!trail) throw new SandboxError('TrailNotFoundException', `Unknown trail: ${name} for the user: ${ctx.state.accountId}`);
  if (trail.homeRegion !== ctx.region) {
    throw new SandboxError('InvalidHomeRegionException', `This operation must be called from the trail's home region (${trail.homeRegion}).`);
  }
  return trail;
}

export function trailJson(t: Trail) {
  return {
    Name: t.name,
    S3BucketName: t.s3BucketName,
    S3KeyPrefix: t.s3KeyPrefix,
    IncludeGlobalServiceEvents: t.includeGlobalServiceEvents,
    IsMultiRegionTrail: t.isMultiRegion,
    HomeRegion: t.homeRegion,
    TrailARN: t.arn,
    LogFileValidationEnabled: t.logFileValidationEnabled,
    HasCustomEventSelectors: !isDefaultSelectors(t),
    HasInsightSelectors: false,
    IsOrganizationTrail: t.isOrganizationTrail,
  };
}

function isDefaultSelectors(t: Trail): boolean {
  if (t.advancedEventSelectors?.length) return false;
  const [only, ...more] = t.eventSelectors;
  return more.length === 0 && !!only && only.ReadWriteType === 'All' && only.IncludeManagementEvents === true && list(only.DataResources).length === 0;
}

/** Where the trail is visible: its home region, and every enabled region when it is multi-region. */
function place(ctx: OperationContext, trail: Trail): void {
  for (const region of ctx.state.regions) {
    region.trails = region.trails.filter((t) => t.arn !== trail.arn);
    if (region.name === trail.homeRegion || (trail.isMultiRegion && region.optInStatus !== 'not-opted-in')) region.trails.push(trail);
  }
}

export function createTrail(ctx: OperationContext): unknown {
  ctRegion(ctx);
  const p = ctx.params;
  const name = str(p.Name);
  if (!name || !TRAIL_NAME.test(name))
    throw new SandboxError(
      'InvalidTrailNameException',
      'Trail name must be 3-128 letters, numbers, periods, hyphens and underscores, starting with a letter or number.',
    );
  const bucket = str(p.S3BucketName);
  if (!bucket) throw new SandboxError('InvalidS3BucketNameException', 'S3 bucket name is required.');
  if (!ctx.state.buckets.some((b) => b.name === bucket)) throw new SandboxError('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist.`);
  const arn = `arn:aws:cloudtrail:${ctx.region}:${ctx.state.accountId}:trail/${name}`;
  if (allTrails(ctx).some((t) => t.arn === arn))
    throw new SandboxError('TrailAlreadyExistsException', `Trail ${name} already exists for customer: ${ctx.state.accountId}`);
  const trail: Trail = {
    name,
    arn,
    homeRegion: ctx.region,
    isMultiRegion: bool(p.IsMultiRegionTrail) ?? false,
    isLogging: false,
    s3BucketName: bucket,
    s3KeyPrefix: str(p.S3KeyPrefix),
    includeGlobalServiceEvents: bool(p.IncludeGlobalServiceEvents) ?? true,
    logFileValidationEnabled: bool(p.EnableLogFileValidation) ?? false,
    isOrganizationTrail: bool(p.IsOrganizationTrail) ?? false,
    eventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }],
  };
  place(ctx, trail);
  const { HasCustomEventSelectors: _c, HasInsightSelectors: _i, HomeRegion: _h, ...out } = trailJson(trail);
  return out;
}

export function updateTrail(ctx: OperationContext): unknown {
  const trail = trailForChange(ctx, 'Name');
  const p = ctx.params;
  const bucket = str(p.S3BucketName);
  if (bucket !== undefined) {
    if (!ctx.state.buckets.some((b) => b.name === bucket)) throw new SandboxError('S3BucketDoesNotExistException', `S3 bucket ${bucket} does not exist.`);
    trail.s3BucketName = bucket;
  }
  if (p.S3KeyPrefix !== undefined) trail.s3KeyPrefix = str(p.S3KeyPrefix);
  const multi = bool(p.IsMultiRegionTrail);
  if (multi !== undefined) trail.isMultiRegion = multi;
  const global = bool(p.IncludeGlobalServiceEvents);
  if (global !== undefined) trail.includeGlobalServiceEvents = global;
  if (trail.isMultiRegion && !trail.includeGlobalServiceEvents) {
    throw new SandboxError('InvalidParameterCombinationException', 'Multi-Region trail must include global service events.');
  }
  const validation = bool(p.EnableLogFileValidation);
  if (validation !== undefined) trail.logFileValidationEnabled = validation;
  place(ctx, trail);
  const { HasCustomEventSelectors: _c, HasInsightSelectors: _i, HomeRegion: _h, ...out } = trailJson(trail);
  return out;
}

export function deleteTrail(ctx: OperationContext): unknown {
  const trail = trailForChange(ctx, 'Name');
  for (const region of ctx.state.regions) region.trails = region.trails.filter((t) => t !== trail);
  return {};
}

export function startLogging(ctx: OperationContext): unknown {
  const trail = trailForChange(ctx, 'Name');
  trail.isLogging = true;
  trail.startLoggingTime = ctx.now;
  return {};
}

export function stopLogging(ctx: OperationContext): unknown {
  const trail = trailForChange(ctx, 'Name');
  trail.isLogging = false;
  trail.stopLoggingTime = ctx.now;
  return {};
}

export function putEventSelectors(ctx: OperationContext): unknown {
  const trail = trailForChange(ctx, 'TrailName');
  const selectors = list(ctx.params.EventSelectors).map(record);
  const advanced = list(ctx.params.AdvancedEventSelectors).map(record);
  if (selectors.length > 0 && advanced.length > 0) {
    throw new SandboxError(
      'InvalidParameterCombinationException',
      'You cannot specify both EventSelectors and AdvancedEventSelectors in a PutEventSelectors request.',
    );
  }
  if (selectors.length === 0 && advanced.length === 0) throw new SandboxError('InvalidEventSelectorsException', 'At least one event selector is required.');
  if (selectors.length > 5) throw new SandboxError('InvalidEventSelectorsException', 'A trail can have at most 5 event selectors.');
  for (const s of selectors) {
    const rw = str(s.ReadWriteType) ?? 'All';
    if (!['ReadOnly', 'WriteOnly', 'All'].includes(rw)) throw new SandboxError('InvalidEventSelectorsException', `Invalid ReadWriteType: ${rw}`);
  }
  trail.eventSelectors = selectors.map((s) => ({
    ReadWriteType: str(s.ReadWriteType) ?? 'All',
    IncludeManagementEvents: bool(s.IncludeManagementEvents) ?? true,
    DataResources: list(s.DataResources),
    ExcludeManagementEventSources: list(s.ExcludeManagementEventSources),
  }));
  trail.advancedEventSelectors = advanced.length > 0 ? advanced : undefined;
  return {
    TrailARN: trail.arn,
    EventSelectors: trail.advancedEventSelectors ? undefined : trail.eventSelectors,
    AdvancedEventSelectors: trail.advancedEventSelectors,
  };
}

export function getEventSelectors(ctx: OperationContext): unknown {
  ctRegion(ctx);
  const name = str(ctx.params.TrailName);
  const trail = allTrails(ctx).find((t) => t.name === name || t.arn === name);
  if (!trail) throw new SandboxError('TrailNotFoundException', `Unknown trail: ${name ?? ''} for the user: ${ctx.state.accountId}`);
  return {
    TrailARN: trail.arn,
    EventSelectors: trail.advancedEventSelectors ? undefined : trail.eventSelectors,
    AdvancedEventSelectors: trail.advancedEventSelectors,
  };
}
