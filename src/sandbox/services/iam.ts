import type { ServiceHandlers } from '../model';

export const handlers: ServiceHandlers = {};
