/**
 * Organization scenarios (`"kind": "organization"`): a management account and member accounts, each
 * its own account model built from a template scenario, placed in organizational units, reached from
 * the management account through AssumeRole of aws-ir's member roles. Read and checked field by
 * field like an account scenario; members are built when first reached (organization/directory.ts).
 *
 * {
 *   "kind": "organization", "name": "...", "description": "...",
 *   "organization": { "id": "o-…", "units": [{ "id": "ou-…", "name": "Production", "parent": "root" | "ou-…" }] },
 *   "memberRoles": { "scan": "aws-ir-scan", "remediation": "aws-ir-remediate", "externalId": "…"? },
 *   "management": { "accountId", "name", "email", "scenario": NAME | {inline scenario} },
 *   "members": [{ "accountId", "name", "email"?, "unit"?, "status"?, "joined"?, "joinedMethod"?,
 *                 "scenario": NAME | {…}, "memberRoles"?: false, "events"?: [extra events] }]
 * }
 */
import type { OrgAccount, OrgUnit, SandboxState } from '../model';
import { stableId } from '../ids';
import { buildState } from '../scenario/build';
import { ScenarioReader, type Json } from '../scenario/reader';
import { AccountDirectory, type MemberSpec } from './directory';
import { rewriteForAccount, withMemberRoles, type MemberRoles } from './member-doc';

type Doc = Record<string, Json>;

export interface OrganizationScenario {
  name: string;
  /** Every account, relative to `now`: the management account built, members on first use. */
  build(now: Date, clock?: () => Date): AccountDirectory;
}

interface MemberEntry {
  accountId: string;
  name: string;
  email: string;
  unit?: string;
  status: OrgAccount['status'];
  joined: string;
  joinedMethod: OrgAccount['joinedMethod'];
  template: Doc;
  memberRoles: boolean;
  events: Json[];
}

const ACCOUNT_ID = /^\d{12}$/;
const UNIT_ID = /^ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

export function isOrganizationDoc(doc: Json): boolean {
  return typeof doc === 'object' && doc !== null && (doc as Doc).kind === 'organization';
}

/**
 * Reads the document; `template` turns a member's `scenario` (a shipped scenario's name, or an inline
 * document) into its document. `validateMembers` builds every member once now, so a broken file fails
 * at start (generated organizations skip it and stay cheap to start).
 */
export function readOrganizationScenario(
  doc: Json,
  file: string,
  now: Date,
  template: (ref: Json, path: string, r: ScenarioReader) => Doc,
  validateMembers = true,
): OrganizationScenario {
  const r = new ScenarioReader(file, now);
  const root = r.obj(doc, '$');
  r.onlyKeys(root, '$', ['kind', 'name', 'description', 'organization', 'memberRoles', 'management', 'members']);
  const name = r.str(root, 'name', '$');
  const org = r.obj(root.organization, '$.organization');
  r.onlyKeys(org, '$.organization', ['id', 'units']);
  const orgId = r.str(org, 'id', '$.organization', /^o-[a-z0-9]{10,32}$/, 'like o-a1b2c3d4e5');
  const rootId = stableId('r-', `${orgId}|root`, 4, 'abcdefghijklmnopqrstuvwxyz0123456789');
  const units: OrgUnit[] = r.arr(org, 'units', '$.organization').map((u, i) => {
    const path = `$.organization.units[${i}]`;
    const o = r.obj(u, path);
    r.onlyKeys(o, path, ['id', 'name', 'parent']);
    const parent = r.optStr(o, 'parent', path) ?? 'root';
    return { id: r.str(o, 'id', path, UNIT_ID, 'like ou-ab12-cd34ef56'), name: r.str(o, 'name', path), parentId: parent === 'root' ? rootId : parent };
  });
  units.forEach((u, i) => {
    if (u.parentId !== rootId && !units.some((p) => p.id === u.parentId)) r.problem(`$.organization.units[${i}].parent`, `no unit ${u.parentId}`);
  });

  const rolesDoc = r.obj(root.memberRoles ?? {}, '$.memberRoles');
  r.onlyKeys(rolesDoc, '$.memberRoles', ['scan', 'remediation', 'externalId']);
  const roles: MemberRoles = {
    scan: r.optStr(rolesDoc, 'scan', '$.memberRoles') ?? 'aws-ir-scan',
    remediation: r.optStr(rolesDoc, 'remediation', '$.memberRoles') ?? 'aws-ir-remediate',
  };
  const externalId = r.optStr(rolesDoc, 'externalId', '$.memberRoles');
  if (externalId) roles.externalId = externalId;

  const mgmt = r.obj(root.management, '$.management');
  r.onlyKeys(mgmt, '$.management', ['accountId', 'name', 'email', 'scenario']);
  const mgmtId = r.str(mgmt, 'accountId', '$.management', ACCOUNT_ID, 'an account id is 12 digits');
  const mgmtName = r.str(mgmt, 'name', '$.management');
  const mgmtEmail = r.str(mgmt, 'email', '$.management');
  const mgmtTemplate = template(mgmt.scenario, '$.management.scenario', r);

  const members: MemberEntry[] = r.arr(root, 'members', '$').map((m, i) => {
    const path = `$.members[${i}]`;
    const o = r.obj(m, path);
    r.onlyKeys(o, path, ['accountId', 'name', 'email', 'unit', 'status', 'joined', 'joinedMethod', 'scenario', 'memberRoles', 'events']);
    const accountId = r.str(o, 'accountId', path, ACCOUNT_ID, 'an account id is 12 digits');
    const unit = r.optStr(o, 'unit', path);
    if (unit && !units.some((u) => u.id === unit)) r.problem(`${path}.unit`, `no unit ${unit} in $.organization.units`);
    const entry: MemberEntry = {
      accountId,
      name: r.str(o, 'name', path),
      email: r.optStr(o, 'email', path) ?? `aws+${accountId}@example.com`,
      status: r.oneOf(o, 'status', path, ['ACTIVE', 'SUSPENDED', 'PENDING_CLOSURE'] as const, 'ACTIVE'),
      joined: r.optStr(o, 'joined', path) ?? '-400d',
      joinedMethod: r.oneOf(o, 'joinedMethod', path, ['INVITED', 'CREATED'] as const, 'CREATED'),
      template: template(o.scenario, `${path}.scenario`, r),
      memberRoles: r.bool(o, 'memberRoles', path, true),
      events: r.arr(o, 'events', path),
    };
    if (unit) entry.unit = unit;
    return entry;
  });
  const ids = [mgmtId, ...members.map((m) => m.accountId)];
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i) r.problem('$.members', `account ${id} appears twice`);
  });
  r.throwIfInvalid();

  const memberDoc = (m: MemberEntry): Doc => {
    // Extra events are added before the rewrite, so they name the template's keys as the member's keys.
    const template = m.events.length ? { ...m.template, events: [...(Array.isArray(m.template.events) ? m.template.events : []), ...m.events] } : m.template;
    const doc = rewriteForAccount(template, m.accountId);
    doc.accountAlias = m.name;
    return m.memberRoles ? withMemberRoles(doc, roles, mgmtId) : doc;
  };
  const scenario: OrganizationScenario = {
    name,
    build(at: Date, clock: () => Date = () => at): AccountDirectory {
      const management = buildState(rewriteForAccount(mgmtTemplate, mgmtId), `${file} (management ${mgmtId})`, at).state;
      const arnOf = (id: string) => `arn:aws:organizations::${mgmtId}:account/${orgId}/${id}`;
      const accounts: OrgAccount[] = [
        {
          id: mgmtId,
          arn: arnOf(mgmtId),
          name: mgmtName,
          email: mgmtEmail,
          status: 'ACTIVE',
          joinedMethod: 'CREATED',
          joinedTimestamp: new Date(at.getTime() - 1500 * 86_400_000),
        },
        ...members.map((m) => {
          const reader = new ScenarioReader(file, at);
          const account: OrgAccount = {
            id: m.accountId,
            arn: arnOf(m.accountId),
            name: m.name,
            email: m.email,
            status: m.status,
            joinedMethod: m.joinedMethod,
            joinedTimestamp: reader.time({ joined: m.joined }, 'joined', '$'),
          };
          if (m.unit) account.parentId = m.unit;
          return account;
        }),
      ];
      const organization: NonNullable<SandboxState['organization']> = {
        id: orgId,
        arn: `arn:aws:organizations::${mgmtId}:organization/${orgId}`,
        masterAccountId: mgmtId,
        masterAccountEmail: mgmtEmail,
        featureSet: 'ALL',
        accounts,
        handshakes: [],
        rootId,
        units,
      };
      management.organization = organization;
      const specs = new Map<string, MemberSpec>(
        members.map((m) => [
          m.accountId,
          {
            accountId: m.accountId,
            suspended: m.status !== 'ACTIVE',
            build: (t: Date) => {
              const state = buildState(memberDoc(m), `${file} (member ${m.accountId})`, t).state;
              // A member sees its organization but may not list it, as in AWS.
              state.organization = { ...organization, handshakes: [] };
              return state;
            },
          },
        ]),
      );
      return new AccountDirectory(management, specs, clock);
    },
  };
  if (validateMembers) for (const m of members) buildState(memberDoc(m), `${file} (member ${m.accountId})`, now);
  return scenario;
}
