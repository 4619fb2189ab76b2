/**
 * AWS's REST-JSON protocol (Account, Lambda): method-and-path routing to a service's operations.
 */
import { SandboxError } from '../model';
import { jsonAuthError, jsonError, parseJsonBody, toAwsJson } from './json';
import type { Protocol, WireResponse } from './types';

/**
 * REST-JSON services (Account, Lambda) route by method and path. A REST service module exports, next
 * to `handlers`, its routes:
 *
 *   export const routes: RestRoute[] = [
 *     { method: 'POST', path: '/getAlternateContact', operation: 'GetAlternateContact' },
 *     { method: 'GET', path: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions' },
 *     { method: 'GET', path: /^\/2015-03-31\/functions\/(?<FunctionName>[^/]+)$/, operation: 'GetFunction' },
 *   ];
 *
 * A string path must match exactly; a RegExp's named groups become params (URI-decoded). The handler's
 * params are the URL query parameters, then the path params, then the JSON body fields, merged in that
 * order. `status` sets the success status (default 200).
 */
export interface RestRoute {
  method: string;
  path: RegExp | string;
  operation: string;
  status?: number;
}

export function matchRoute(routes: RestRoute[], method: string, path: string): { route: RestRoute; pathParams: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method.toUpperCase() !== method.toUpperCase()) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, pathParams: {} };
      continue;
    }
    const m = route.path.exec(path);
    if (!m) continue;
    const pathParams: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.groups ?? {})) if (v !== undefined) pathParams[k] = decodeURIComponent(v);
    return { route, pathParams };
  }
  return undefined;
}

export const restJsonProtocol: Protocol = {
  parse(req, service) {
    const match = matchRoute(service.routes, req.method, req.path);
    if (!match) {
      throw new SandboxError('UnknownOperationException', `No ${service.displayName} operation matches ${req.method} ${req.path}.`, 404);
    }
    const params: Record<string, unknown> = {};
    for (const [k, v] of req.query) params[k] = v;
    Object.assign(params, match.pathParams, parseJsonBody(req.body));
    return { operation: match.route.operation, params };
  },
  success(result, operation, service): WireResponse {
    const route = service.routes.find((r) => r.operation === operation);
    const status = route?.status ?? 200;
    return { status, headers: { 'content-type': 'application/json' }, body: status === 204 ? '' : toAwsJson(result) };
  },
  error: (err, _service, requestId) => jsonError(err, requestId, 'application/json'),
  unknownOperation(operation, service) {
    return new SandboxError('UnknownOperationException', `Operation ${operation} of ${service.displayName} is not supported by the sandbox.`, 404);
  },
  authError: (failure, message) => jsonAuthError(failure, message, 403),
  throttled: () => new SandboxError('TooManyRequestsException', 'Rate exceeded', 429),
};
