/**
 * The organization's accounts, with the organizational unit path each sits in: the tree is walked
 * from its root (ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent), which gives
 * every account, active or suspended, and its path in a few calls per unit instead of one ListParents
 * call per account.
 */
import { paginateListAccountsForParent, paginateListOrganizationalUnitsForParent, paginateListRoots } from '@aws-sdk/client-organizations';
import type { AwsClients } from '../aws/clients';
import { collect } from '../aws/collect-pages';

export interface OrgAccount {
  id: string;
  name: string;
  email?: string;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE, as Organizations reports it. */
  status: string;
  /** Unit path from the root, e.g. "Root/Production/Web". */
  ou: string;
  /** The ids along that path, root first (what --ou matches). */
  ouIds: string[];
}

export async function listOrganizationAccounts(clients: AwsClients): Promise<OrgAccount[]> {
  const client = clients.organizations();
  const roots = await collect(paginateListRoots({ client }, {}), (p) => p.Roots);
  const accounts: OrgAccount[] = [];
  const queue = roots.filter((r) => r.Id).map((r) => ({ id: r.Id!, path: [r.Name ?? 'Root'], ids: [r.Id!] }));
  while (queue.length) {
    const parent = queue.shift()!;
    const [units, members] = await Promise.all([
      collect(paginateListOrganizationalUnitsForParent({ client }, { ParentId: parent.id }), (p) => p.OrganizationalUnits),
      collect(paginateListAccountsForParent({ client }, { ParentId: parent.id }), (p) => p.Accounts),
    ]);
    for (const a of members) {
      if (!a.Id) continue;
      const account: OrgAccount = { id: a.Id, name: a.Name ?? a.Id, status: a.Status ?? a.State ?? 'ACTIVE', ou: parent.path.join('/'), ouIds: parent.ids };
      if (a.Email) account.email = a.Email;
      accounts.push(account);
    }
    for (const u of units) if (u.Id) queue.push({ id: u.Id, path: [...parent.path, u.Name ?? u.Id], ids: [...parent.ids, u.Id] });
  }
  return accounts.sort((a, b) => a.id.localeCompare(b.id));
}

export interface Narrowing {
  accounts?: string[];
  ou?: string;
}

/** The accounts `--accounts` and `--ou` keep, and the asked-for ids the organization does not have. */
export function narrowAccounts(all: OrgAccount[], narrowing: Narrowing): { selected: OrgAccount[]; unknown: string[] } {
  let selected = all;
  if (narrowing.ou) selected = selected.filter((a) => a.ouIds.includes(narrowing.ou!));
  const unknown: string[] = [];
  if (narrowing.accounts?.length) {
    const wanted = new Set(narrowing.accounts);
    selected = selected.filter((a) => wanted.has(a.id));
    for (const id of narrowing.accounts) if (!all.some((a) => a.id === id)) unknown.push(id);
  }
  return { selected, unknown };
}
