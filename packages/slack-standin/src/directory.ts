/**
 * Who and where the Web API knows: the fixed local cast (local mode, the page), or an "open
 * directory" for tests, where any channel id and any user id exist, as in a real workspace the test
 * cannot see all of. In both, a test can set a user's flags and a user group's members.
 */
import { LOCAL_CHANNEL, LOCAL_USERGROUPS, LOCAL_USERS, findUser, type LocalUser } from './identities';

/** `local`: only the fixed cast and the incident channel. `open`: any channel and user id. */
export type DirectoryMode = 'local' | 'open';

/** What users.info says about a user beyond the id; unset flags answer like a normal member. */
export interface UserFlags {
  name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_admin?: boolean;
}

export interface DirectoryUser {
  user: LocalUser;
  flags: UserFlags;
}

/** Slack's user ids start with U (or W on Enterprise Grid). */
const USER_ID = /^[UW][A-Z0-9]+$/;

export class Directory {
  /** Per-user flags set by a test: `users.set('U0GUEST', { is_restricted: true })`. */
  readonly users = new Map<string, UserFlags>();
  /** User groups set by a test, looked up before the local ones: `usergroups.set('S0ONCALL', ['U0CAROL'])`. */
  readonly usergroups = new Map<string, string[]>();

  constructor(readonly mode: DirectoryMode = 'local') {}

  get open(): boolean {
    return this.mode === 'open';
  }

  /** A user of the workspace: one of the cast, or in the open directory anyone with a user id. */
  user(id: string): DirectoryUser | undefined {
    const flags = this.users.get(id) ?? {};
    const known = findUser(id);
    if (known) return { user: known, flags };
    if (!this.open || !USER_ID.test(id)) return undefined;
    const name = flags.name ?? id.toLowerCase();
    return { user: { id, name, realName: name, title: '', isBot: flags.is_bot ?? false }, flags };
  }

  /** Everyone users.list returns: the cast, and in the open directory the users a test named. */
  members(): DirectoryUser[] {
    const ids = [...LOCAL_USERS.map((u) => u.id), ...(this.open ? [...this.users.keys()].filter((id) => !findUser(id)) : [])];
    return ids.flatMap((id) => this.user(id) ?? []);
  }

  /** The channel id a `channel` argument names (id, name or #name), or undefined if there is none. */
  channel(raw: string): string | undefined {
    const c = raw.replace(/^#/, '');
    if (c === LOCAL_CHANNEL.id || c === LOCAL_CHANNEL.name) return LOCAL_CHANNEL.id;
    return this.open && c ? c : undefined;
  }

  channelName(id: string): string {
    return id === LOCAL_CHANNEL.id ? LOCAL_CHANNEL.name : id.toLowerCase();
  }

  usergroupMembers(id: string): string[] | undefined {
    const set = this.usergroups.get(id);
    if (set) return [...set];
    const local = LOCAL_USERGROUPS.find((g) => g.id === id);
    return local ? [...local.users] : undefined;
  }

  /** Every group usergroups.list returns: the local ones, then the ones a test set. */
  groups(): { id: string; handle: string; name: string; users: string[] }[] {
    const local = LOCAL_USERGROUPS.filter((g) => !this.usergroups.has(g.id)).map((g) => ({ id: g.id, handle: g.handle, name: g.name, users: [...g.users] }));
    const set = [...this.usergroups].map(([id, users]) => ({ id, handle: id.toLowerCase(), name: id, users: [...users] }));
    return [...local, ...set];
  }
}
