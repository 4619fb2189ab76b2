/**
 * Organizations' tree (JSON 1.1): the root, organizational units and which accounts sit where, for
 * the management account, as in AWS. A scenario without units has only a root holding every account.
 */
import { stableId } from '../ids';
import { SandboxError, type OperationContext, type OrgUnit, type ServiceHandlers } from '../model';
import { accountEntry, managementOnly, page } from './organizations';
import { str } from './service-input';

type Organization = ReturnType<typeof managementOnly>;

export function rootIdOf(org: Organization): string {
  return org.rootId ?? stableId('r-', `${org.id}|root`, 4, 'abcdefghijklmnopqrstuvwxyz0123456789');
}

function unitArn(org: Organization, unit: OrgUnit): string {
  return `arn:aws:organizations::${org.masterAccountId}:ou/${org.id}/${unit.id}`;
}

function requireParent(org: Organization, parentId: string | undefined): string {
  if (parentId && (parentId === rootIdOf(org) || org.units?.some((u) => u.id === parentId))) return parentId;
  throw new SandboxError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
}

function listRoots(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const id = rootIdOf(org);
  const { page: roots, next } = page(ctx, [id]);
  return {
    Roots: roots.map((r) => ({ Id: r, Arn: `arn:aws:organizations::${org.masterAccountId}:root/${org.id}/${r}`, Name: 'Root', PolicyTypes: [] })),
    NextToken: next,
  };
}

function listOrganizationalUnitsForParent(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const parent = requireParent(org, str(ctx.params.ParentId));
  const units = (org.units ?? []).filter((u) => u.parentId === parent);
  const { page: shown, next } = page(ctx, units, [parent]);
  return { OrganizationalUnits: shown.map((u) => ({ Id: u.id, Arn: unitArn(org, u), Name: u.name })), NextToken: next };
}

function listAccountsForParent(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const parent = requireParent(org, str(ctx.params.ParentId));
  const root = rootIdOf(org);
  const accounts = org.accounts.filter((a) => (a.parentId ?? root) === parent);
  const { page: shown, next } = page(ctx, accounts, [parent]);
  return { Accounts: shown.map(accountEntry), NextToken: next };
}

function listParents(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const child = str(ctx.params.ChildId);
  const root = rootIdOf(org);
  const account = org.accounts.find((a) => a.id === child);
  const unit = org.units?.find((u) => u.id === child);
  const parent = account ? (account.parentId ?? root) : unit?.parentId;
  if (!parent)
    throw new SandboxError('ChildNotFoundException', "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.");
  return { Parents: [{ Id: parent, Type: parent === root ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }] };
}

function describeOrganizationalUnit(ctx: OperationContext): unknown {
  const org = managementOnly(ctx);
  const unit = org.units?.find((u) => u.id === str(ctx.params.OrganizationalUnitId));
  if (!unit) throw new SandboxError('OrganizationalUnitNotFoundException', "We can't find an OU with the OrganizationalUnitId that you specified.");
  return { OrganizationalUnit: { Id: unit.id, Arn: unitArn(org, unit), Name: unit.name } };
}

export const treeHandlers: ServiceHandlers = {
  ListRoots: listRoots,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListAccountsForParent: listAccountsForParent,
  ListParents: listParents,
  DescribeOrganizationalUnit: describeOrganizationalUnit,
};
