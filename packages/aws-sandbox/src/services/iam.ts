/** IAM (AWS query protocol): every operation aws-ir reads or writes, split by area. */
import type { ServiceHandlers } from '../model';
import { policyHandlers } from './iam-policies';
import { reportHandlers } from './iam-reports';
import { roleHandlers } from './iam-roles';
import { userHandlers } from './iam-users';

export const handlers: ServiceHandlers = { ...userHandlers, ...roleHandlers, ...policyHandlers, ...reportHandlers };
