/** EC2 DescribeRegions: the account's regions and their opt-in status. */
import { SandboxError, type OperationContext, type RegionState } from '../model';
import { applyFilters, ec2Region, filtersOf } from './ec2-common';
import { bool, strings } from './service-input';

function endpoint(region: string): string {
  return `ec2.${region}.amazonaws.com`;
}

export function describeRegions(ctx: OperationContext): unknown {
  ec2Region(ctx);
  const all = bool(ctx.params.AllRegions) ?? false;
  const names = strings(ctx.params.RegionName);
  let regions = ctx.state.regions.filter((r) => all || names.length > 0 || r.optInStatus !== 'not-opted-in');
  if (names.length > 0) {
    const unknown = names.filter((n) => !ctx.state.regions.some((r) => r.name === n));
    if (unknown.length > 0) throw new SandboxError('InvalidParameterValue', `Invalid region names: ${unknown.join(', ')}`);
    regions = regions.filter((r) => names.includes(r.name));
  }
  const tagged = regions.map((r) => ({ region: r, tags: [] }));
  const kept = applyFilters(tagged, filtersOf(ctx.params), {
    'region-name': ({ region }: { region: RegionState }) => [region.name],
    'opt-in-status': ({ region }: { region: RegionState }) => [region.optInStatus],
    endpoint: ({ region }: { region: RegionState }) => [endpoint(region.name)],
  });
  return {
    regionInfo: kept.map(({ region }) => ({
      regionName: region.name,
      regionEndpoint: endpoint(region.name),
      optInStatus: region.optInStatus,
    })),
  };
}
