/**
 * Every account of an organization scenario, each its own account model: the management account's
 * state is built at start, a member's on first use (so a 100-member organization starts as fast as one
 * account). Requests are routed to an account by the access key that signed them: a session AssumeRole
 * issued in that account, or a user's or root's key of it; anything else is the management account's.
 */
import type { AccountRouter, SandboxState } from '../model';

export interface MemberSpec {
  accountId: string;
  suspended: boolean;
  build(now: Date): SandboxState;
}

export class AccountDirectory implements AccountRouter {
  private readonly built = new Map<string, SandboxState>();
  private readonly keys = new Map<string, string>();

  constructor(
    private managementState: SandboxState,
    private readonly members: ReadonlyMap<string, MemberSpec>,
    private readonly now: () => Date,
  ) {}

  get management(): SandboxState {
    return this.managementState;
  }

  /** After a reset the sandbox keeps its state object and refills it: the directory must hold that object. */
  adoptManagement(state: SandboxState): void {
    this.managementState = state;
  }

  account(accountId: string): SandboxState | undefined {
    if (accountId === this.management.accountId) return this.management;
    let state = this.built.get(accountId);
    if (state) return state;
    const spec = this.members.get(accountId);
    if (!spec) return undefined;
    state = spec.build(this.now());
    this.built.set(accountId, state);
    // A member's own long-term keys act in that member (the first account to claim a key keeps it).
    for (const user of state.users) for (const k of user.accessKeys) if (!this.keys.has(k.accessKeyId)) this.keys.set(k.accessKeyId, accountId);
    for (const k of state.root.accessKeys) if (!this.keys.has(k.accessKeyId)) this.keys.set(k.accessKeyId, accountId);
    return state;
  }

  reachable(accountId: string): boolean {
    return accountId === this.management.accountId || this.members.get(accountId)?.suspended === false;
  }

  registerKey(accessKeyId: string, accountId: string): void {
    this.keys.set(accessKeyId, accountId);
  }

  forKey(accessKeyId: string): SandboxState | undefined {
    const accountId = this.keys.get(accessKeyId);
    return accountId === undefined ? undefined : this.account(accountId);
  }

  /** Member accounts built so far (for tests and the benchmark's memory figures). */
  builtMembers(): number {
    return this.built.size;
  }
}
