/**
 * RDS (AWS query, XML): manual DB snapshots and their `restore` attribute — the account ids (or `all`)
 * that may restore them, which is how a database is shared out of the account.
 */
import { SandboxError, type DbSnapshot, type OperationContext, type RegionState, type ServiceHandlers } from '../model';
import { XmlList } from '../protocols/xml';
import { fingerprint, pageByOffset } from './page-token';
import { enabledRegion } from './region-guard';
import { bool, int, list, record, str } from './service-input';

/** AWS lets a manual snapshot be shared with at most 20 accounts. */
const MAX_SHARES = 20;

const rdsRegion = (ctx: OperationContext): RegionState =>
  enabledRegion(ctx, { unknown: ['InvalidClientTokenId', 403], notOptedIn: ['InvalidClientTokenId', 403] });

function snapshotOf(ctx: OperationContext, region: RegionState): DbSnapshot {
  const id = str(ctx.params.DBSnapshotIdentifier);
  if (!id) throw new SandboxError('InvalidParameterValue', 'The parameter DBSnapshotIdentifier must be provided and must not be blank.');
  const snapshot = region.dbSnapshots.find((s) => s.dbSnapshotIdentifier === id);
  if (!snapshot) throw new SandboxError('DBSnapshotNotFound', `DBSnapshot ${id} not found.`, 404);
  return snapshot;
}

function snapshotXml(ctx: OperationContext, s: DbSnapshot) {
  return {
    DBSnapshotIdentifier: s.dbSnapshotIdentifier,
    DBInstanceIdentifier: s.dbInstanceIdentifier,
    SnapshotCreateTime: s.snapshotCreateTime,
    Engine: s.engine,
    AllocatedStorage: s.allocatedStorage,
    Status: s.status,
    Port: s.engine.includes('mysql') || s.engine.includes('maria') ? 3306 : 5432,
    AvailabilityZone: `${ctx.region}a`,
    MasterUsername: 'admin',
    SnapshotType: s.snapshotType,
    PercentProgress: 100,
    StorageType: 'gp3',
    Encrypted: s.encrypted,
    DBSnapshotArn: `arn:aws:rds:${ctx.region}:${ctx.state.accountId}:snapshot:${s.dbSnapshotIdentifier}`,
    IAMDatabaseAuthenticationEnabled: false,
  };
}

function describeDBSnapshots(ctx: OperationContext): unknown {
  const region = rdsRegion(ctx);
  const p = ctx.params;
  const id = str(p.DBSnapshotIdentifier);
  if (id) snapshotOf(ctx, region);
  const instance = str(p.DBInstanceIdentifier);
  const type = str(p.SnapshotType);
  const max = int(p.MaxRecords, 'MaxRecords') ?? 100;
  if (max < 20 || max > 100) throw new SandboxError('InvalidParameterValue', 'Invalid value for MaxRecords. Must be between 20 and 100');
  const kept = region.dbSnapshots.filter(
    (s) =>
      (!id || s.dbSnapshotIdentifier === id) &&
      (!instance || s.dbInstanceIdentifier === instance) &&
      (!type || s.snapshotType === type || (type === 'public' && s.sharedWith.includes('all'))),
  );
  const { page, next } = pageByOffset(
    kept,
    str(p.Marker),
    max,
    fingerprint(['DescribeDBSnapshots', ctx.region, id, instance, type, max]),
    'InvalidParameterValue',
  );
  void bool(p.IncludeShared);
  return {
    DBSnapshots: new XmlList(
      page.map((s) => snapshotXml(ctx, s)),
      'DBSnapshot',
    ),
    Marker: next,
  };
}

function attributesResult(s: DbSnapshot) {
  return {
    DBSnapshotIdentifier: s.dbSnapshotIdentifier,
    DBSnapshotAttributes: new XmlList([{ AttributeName: 'restore', AttributeValues: new XmlList(s.sharedWith, 'AttributeValue') }], 'DBSnapshotAttribute'),
  };
}

function describeDBSnapshotAttributes(ctx: OperationContext): unknown {
  const snapshot = snapshotOf(ctx, rdsRegion(ctx));
  return { DBSnapshotAttributesResult: attributesResult(snapshot) };
}

/** `ValuesToAdd.AttributeValue.N` on the wire; the SDK and CLI both send that shape. */
function values(v: unknown): string[] {
  const r = record(v);
  return list(r.AttributeValue ?? v)
    .map(str)
    .filter((s): s is string => s !== undefined);
}

function modifyDBSnapshotAttribute(ctx: OperationContext): unknown {
  const snapshot = snapshotOf(ctx, rdsRegion(ctx));
  const p = ctx.params;
  const name = str(p.AttributeName);
  if (name !== 'restore') throw new SandboxError('InvalidParameterValue', `Invalid attribute name: ${name ?? 'null'}. Valid attribute names: restore`);
  const add = values(p.ValuesToAdd);
  const remove = values(p.ValuesToRemove);
  const bad = [...add, ...remove].find((v) => v !== 'all' && !/^\d{12}$/.test(v));
  if (bad) throw new SandboxError('InvalidParameterValue', `Invalid AWS account id: ${bad}`);
  if (snapshot.snapshotType !== 'manual') throw new SandboxError('InvalidDBSnapshotState', 'Only manual DB snapshots can be shared.');
  if (add.includes('all') && snapshot.encrypted) throw new SandboxError('InvalidParameterValue', 'Encrypted snapshots cannot be shared publicly.');
  const next = [...snapshot.sharedWith.filter((v) => !remove.includes(v)), ...add.filter((v) => !snapshot.sharedWith.includes(v))];
  if (next.filter((v) => v !== 'all').length > MAX_SHARES) {
    throw new SandboxError(
      'SharedSnapshotQuotaExceeded',
      `You have exceeded the maximum number of accounts (${MAX_SHARES}) you can share a manual DB snapshot with.`,
    );
  }
  snapshot.sharedWith = next;
  ctx.trail = {
    requestParameters: {
      dBSnapshotIdentifier: snapshot.dbSnapshotIdentifier,
      attributeName: 'restore',
      ...(add.length > 0 ? { valuesToAdd: add } : {}),
      ...(remove.length > 0 ? { valuesToRemove: remove } : {}),
    },
    responseElements: { dBSnapshotIdentifier: snapshot.dbSnapshotIdentifier, dBSnapshotAttributes: [{ attributeName: 'restore', attributeValues: [...next] }] },
    resources: [{ resourceType: 'AWS::RDS::DBSnapshot', resourceName: snapshot.dbSnapshotIdentifier }],
  };
  return { DBSnapshotAttributesResult: attributesResult(snapshot) };
}

export const handlers: ServiceHandlers = {
  DescribeDBSnapshots: describeDBSnapshots,
  DescribeDBSnapshotAttributes: describeDBSnapshotAttributes,
  ModifyDBSnapshotAttribute: modifyDBSnapshotAttribute,
};
