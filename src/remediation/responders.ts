/**
 * Who may request and approve: the AWS_IR_RESPONDERS allow-list (user ids and user-group ids), and
 * never a deactivated, restricted or guest account. Slack is reached through a small port so this
 * module stays free of Bolt and testable with fakes.
 */
export interface SlackUserInfo {
  deleted?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_bot?: boolean;
}

export interface SlackDirectory {
  /** users.info */
  userInfo(userId: string): Promise<SlackUserInfo>;
  /** usergroups.users.list */
  userGroupMembers(groupId: string): Promise<string[]>;
}

export type ResponderCheck = { allowed: true } | { allowed: false; reason: string };

const GROUP_CACHE_MS = 60_000;

export class ResponderPolicy {
  private readonly groupCache = new Map<string, { members: Set<string>; at: number }>();

  constructor(
    private readonly responders: string[],
    private readonly directory: SlackDirectory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async check(userId: string): Promise<ResponderCheck> {
    let info: SlackUserInfo;
    try {
      info = await this.directory.userInfo(userId);
    } catch {
      return { allowed: false, reason: 'aws-ir could not look up your Slack account, so it cannot confirm you may do this. Try again in a moment.' };
    }
    if (info.deleted) return { allowed: false, reason: 'Your Slack account is deactivated.' };
    if (info.is_ultra_restricted || info.is_restricted) return { allowed: false, reason: 'Guest accounts cannot request or approve AWS changes.' };
    if (info.is_bot) return { allowed: false, reason: 'Bots cannot request or approve AWS changes.' };
    if (this.responders.length === 0) return { allowed: true };
    if (this.responders.includes(userId)) return { allowed: true };
    for (const id of this.responders.filter((r) => r.startsWith('S'))) {
      if ((await this.members(id)).has(userId)) return { allowed: true };
    }
    return { allowed: false, reason: 'You are not on the responders list (AWS_IR_RESPONDERS) for AWS changes; ask one of the responders.' };
  }

  private async members(groupId: string): Promise<Set<string>> {
    const cached = this.groupCache.get(groupId);
    const t = this.now().getTime();
    if (cached && t - cached.at < GROUP_CACHE_MS) return cached.members;
    try {
      const members = new Set(await this.directory.userGroupMembers(groupId));
      this.groupCache.set(groupId, { members, at: t });
      return members;
    } catch {
      // A group that cannot be read grants nothing (fail closed).
      return cached?.members ?? new Set();
    }
  }
}
