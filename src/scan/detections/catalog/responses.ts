/** Responses several catalog entries share: the existing remediation actions on the named target. */
import type { ActionId } from '../../../remediation/action-ids';

export const USER_ACTIONS: ActionId[] = ['user.deactivate-keys', 'user.quarantine', 'user.disable-password', 'user.delete'];
export const KEY_ACTIONS: ActionId[] = ['key.deactivate', 'key.delete'];
export const ROLE_ACTIONS: ActionId[] = ['role.revoke-sessions', 'role.delete'];
export const INSTANCE_ACTIONS: ActionId[] = ['instance.isolate', 'instance.snapshot', 'instance.terminate'];
/** The caller's own credentials: its key, its user, or its role's sessions (engine picks by identity). */
export const ACTOR_ACTIONS: ActionId[] = ['key.deactivate', 'key.delete', 'user.deactivate-keys', 'user.quarantine', 'role.revoke-sessions'];
