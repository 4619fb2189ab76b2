/**
 * Runbook R5: resources in every enabled region, including regions the account never used. EC2
 * instances launched in the window or running in a region with no other use (cryptomining is the usual
 * abuse; GPU and other accelerated families are called out), and Lambda functions created in the window.
 */
import { paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';
import { paginateListFunctions, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { Check, CheckContext } from '../context';
import { inWindow, makeFinding } from '../context';
import { gapFrom, step } from '../errors';
import type { Finding, Gap, Severity } from '../model';

const CHECK = 'resources' as const;

/** Accelerated instance families: p*, g*, inf*, trn*, dl*, f* (e.g. p4d.24xlarge, g5.xlarge, inf2, trn1, dl1, f1). */
export function isAccelerated(instanceType: string | undefined): boolean {
  const family = (instanceType ?? '').split('.')[0] ?? '';
  return /^(p\d|g\d|inf\d|trn\d|dl\d|f\d)/.test(family);
}

interface RegionInventory {
  region: string;
  instances: Instance[];
  functions: FunctionConfiguration[];
}

export const resourcesCheck: Check = async (ctx) => {
  const gaps: Gap[] = [];
  const inventories = await Promise.all(
    ctx.regions.map(async (region): Promise<RegionInventory> => {
      const inv: RegionInventory = { region, instances: [], functions: [] };
      await Promise.all([
        step('ec2:DescribeInstances', async () => {
          for await (const page of paginateDescribeInstances({ client: ctx.clients.ec2(region), pageSize: 1000 }, {})) {
            for (const r of page.Reservations ?? []) inv.instances.push(...(r.Instances ?? []));
          }
        }).catch((err: unknown) => gaps.push(gapFrom(CHECK, err, region))),
        step('lambda:ListFunctions', async () => {
          for await (const page of paginateListFunctions({ client: ctx.clients.lambda(region) }, {})) inv.functions.push(...(page.Functions ?? []));
        }).catch((err: unknown) => gaps.push(gapFrom(CHECK, err, region))),
      ]);
      return inv;
    }),
  );
  const findings: Finding[] = [];
  for (const inv of inventories) findings.push(...regionFindings(ctx, inv));
  const totals = inventories.reduce((a, i) => a + i.instances.length, 0);
  ctx.detail(`resources: ${totals} instances in ${inventories.length} region(s)`);
  return { findings, gaps };
};

const live = (i: Instance): boolean => !['terminated', 'shutting-down'].includes(i.State?.Name ?? '');

function regionFindings(ctx: CheckContext, inv: RegionInventory): Finding[] {
  const findings: Finding[] = [];
  const instances = inv.instances.filter(live);
  const older = instances.filter((i) => !inWindow(ctx, i.LaunchTime));
  const olderFunctions = inv.functions.filter((f) => !inWindow(ctx, parseLambdaDate(f.LastModified)));
  // Nothing in the region predates the window: whatever runs there now is the only use it has had.
  const unusedRegion = older.length === 0 && olderFunctions.length === 0;
  const groupOf = (i: Instance): string | undefined => i.Tags?.find((t) => t.Key === 'aws:autoscaling:groupName')?.Value;
  // Auto Scaling replaces and adds instances all the time: a group that ran before the window is routine.
  const groupsBefore = new Set(older.map(groupOf).filter((g): g is string => !!g));
  for (const i of instances) {
    if (!i.InstanceId) continue;
    const group = groupOf(i);
    const launchedInWindow = inWindow(ctx, i.LaunchTime);
    const running = i.State?.Name === 'running' || i.State?.Name === 'pending';
    if (!launchedInWindow && !(running && unusedRegion)) continue;
    const gpu = isAccelerated(i.InstanceType);
    let severity: Severity = 'medium';
    if (gpu || unusedRegion) severity = 'high';
    if (gpu && unusedRegion) severity = 'critical';
    const why = [
      launchedInWindow ? 'launched in the incident window' : undefined,
      unusedRegion ? `in ${inv.region}, a region with no earlier use` : undefined,
    ].filter(Boolean);
    findings.push(
      makeFinding(ctx, CHECK, `${inv.region}/${i.InstanceId}`, {
        severity,
        step: 'R5',
        title: `${gpu ? 'Accelerated (GPU) ' : ''}EC2 instance ${i.InstanceId} (${i.InstanceType ?? 'unknown type'}) ${why.join(', ')}`,
        resources: [i.InstanceId],
        evidence: {
          region: inv.region,
          instanceType: i.InstanceType,
          accelerated: gpu,
          state: i.State?.Name,
          launched: i.LaunchTime?.toISOString(),
          keyName: i.KeyName,
          publicIp: i.PublicIpAddress,
          imageId: i.ImageId,
          iamInstanceProfile: i.IamInstanceProfile?.Arn,
          spot: i.InstanceLifecycle === 'spot',
          unusedRegion,
          ...(group ? { autoScalingGroup: group, groupRanBefore: groupsBefore.has(group) } : {}),
        },
        actions: ['instance.isolate', 'instance.snapshot', 'instance.terminate'],
        target: { kind: 'instance', region: inv.region, instanceId: i.InstanceId },
      }),
    );
  }
  for (const f of inv.functions) {
    const modified = parseLambdaDate(f.LastModified);
    if (!f.FunctionArn || !inWindow(ctx, modified)) continue;
    findings.push(
      makeFinding(ctx, CHECK, f.FunctionArn, {
        severity: unusedRegion ? 'high' : 'medium',
        step: 'R5',
        title: `Lambda function ${f.FunctionName ?? f.FunctionArn} in ${inv.region} was created or changed in the incident window`,
        resources: [f.FunctionArn],
        evidence: { region: inv.region, runtime: f.Runtime, lastModified: modified?.toISOString(), role: f.Role, unusedRegion },
      }),
    );
  }
  return findings;
}

/** Lambda's LastModified looks like 2026-11-28T10:15:30.000+0000. */
export function parseLambdaDate(v: string | undefined): Date | undefined {
  if (!v) return undefined;
  const d = new Date(v.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? undefined : d;
}
