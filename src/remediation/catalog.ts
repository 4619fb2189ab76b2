/**
 * Every response action aws-ir can run, by id. Root access keys have no entry on purpose: an IAM
 * principal cannot delete them, so the scan finding carries guidance for the account owner instead.
 */
import type { ActionId } from './action-ids';
import type { ActionDefinition } from './types';
import { deactivateKey, deleteKey, reactivateKey } from './actions/access-key';
import { isolateInstance, snapshotInstance, terminateInstance, unisolateInstance } from './actions/instance';
import { deletePolicy } from './actions/policy';
import { deleteRole, revokeRoleSessions } from './actions/role';
import { deactivateUserKeys, disableUserPassword, quarantineUser, unquarantineUser } from './actions/user';
import { deleteUser } from './actions/user-delete';

export const CATALOG: Readonly<Record<ActionId, ActionDefinition>> = {
  'key.deactivate': deactivateKey,
  'key.reactivate': reactivateKey,
  'key.delete': deleteKey,
  'user.deactivate-keys': deactivateUserKeys,
  'user.quarantine': quarantineUser,
  'user.unquarantine': unquarantineUser,
  'user.disable-password': disableUserPassword,
  'user.delete': deleteUser,
  'role.revoke-sessions': revokeRoleSessions,
  'role.delete': deleteRole,
  'policy.delete': deletePolicy,
  'instance.isolate': isolateInstance,
  'instance.unisolate': unisolateInstance,
  'instance.snapshot': snapshotInstance,
  'instance.terminate': terminateInstance,
};

export function actionDefinition(id: ActionId): ActionDefinition {
  return CATALOG[id];
}
