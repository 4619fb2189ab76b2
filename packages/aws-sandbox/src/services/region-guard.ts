/**
 * Regional services answer only in regions the account can use: an unknown region or an opt-in region
 * the account has not enabled fails the way AWS fails it for that service.
 */
import { SandboxError, type OperationContext, type RegionState } from '../model';

export function enabledRegion(
  ctx: OperationContext,
  errors: { unknown: [code: string, status: number]; notOptedIn: [code: string, status: number] },
): RegionState {
  const region = ctx.state.regions.find((r) => r.name === ctx.region);
  if (!region) {
    throw new SandboxError(
      errors.unknown[0],
      `AWS was not able to validate the provided access credentials (region ${ctx.region} is not available to this account).`,
      errors.unknown[1],
    );
  }
  if (region.optInStatus === 'not-opted-in') {
    throw new SandboxError(
      errors.notOptedIn[0],
      `You are not subscribed to this service in region ${ctx.region}: the region is not enabled for this account.`,
      errors.notOptedIn[1],
    );
  }
  return region;
}

export function nextId(ctx: OperationContext, prefix: string, hexLength = 17): string {
  ctx.state.seq += 1;
  return `${prefix}-${ctx.state.seq.toString(16).padStart(hexLength, '0')}`;
}
