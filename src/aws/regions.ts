/** The regions a scan covers: every region enabled for the account (opt-in regions only once opted in). */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { AwsClients } from './clients';

export interface EnabledRegions {
  enabled: string[];
  /** Regions the account has not opted in to. */
  notOptedIn: string[];
}

export async function enabledRegions(clients: AwsClients): Promise<EnabledRegions> {
  const out = await clients.ec2(clients.target.region).send(new DescribeRegionsCommand({ AllRegions: true }));
  const enabled: string[] = [];
  const notOptedIn: string[] = [];
  for (const r of out.Regions ?? []) {
    if (!r.RegionName) continue;
    if (r.OptInStatus === 'not-opted-in') notOptedIn.push(r.RegionName);
    else enabled.push(r.RegionName);
  }
  return { enabled: enabled.sort(), notOptedIn: notOptedIn.sort() };
}
