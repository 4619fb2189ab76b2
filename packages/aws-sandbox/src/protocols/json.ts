/**
 * AWS's JSON 1.1 protocol (CloudTrail, Cost Explorer, Organizations): X-Amz-Target routing, JSON
 * bodies with epoch-second timestamps, and errors in that protocol's shape.
 */
import { SandboxError } from '../model';
import type { AuthFailure, Protocol, WireResponse } from './types';

/** JSON bodies carry timestamps as epoch seconds (the default for AWS's JSON protocols). */
export function toAwsJson(value: unknown): string {
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    return v;
  });
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new SandboxError('SerializationException', 'The request body is not valid JSON.');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SandboxError('SerializationException', 'The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

export function jsonError(err: SandboxError, requestId: string, contentType: string): WireResponse {
  return {
    status: err.status,
    headers: { 'content-type': contentType, 'x-amzn-errortype': err.code, 'x-amzn-requestid': requestId },
    body: JSON.stringify({ __type: err.code, message: err.message, Message: err.message }),
  };
}

/**
 * `signatureStatus`: JSON 1.1 services (CloudTrail, Cost Explorer, Organizations) answer a bad signature
 * with 400, REST-JSON ones (Lambda, Account) with 403.
 */
export function jsonAuthError(failure: AuthFailure, message: string, signatureStatus = 403): SandboxError {
  switch (failure) {
    case 'missing':
      return new SandboxError('MissingAuthenticationTokenException', message, 403);
    case 'incomplete':
      return new SandboxError('IncompleteSignatureException', message, 403);
    case 'invalid-key':
      return new SandboxError('UnrecognizedClientException', message, 403);
    case 'expired':
      return new SandboxError('ExpiredTokenException', message, 403);
    case 'denied':
      return new SandboxError('AccessDeniedException', message, 403);
    case 'signature':
    case 'skew':
      return new SandboxError('InvalidSignatureException', message, signatureStatus);
  }
}

const JSON_11 = 'application/x-amz-json-1.1';

/** AWS JSON 1.1 (CloudTrail, Cost Explorer, Organizations): X-Amz-Target "Prefix.Operation". */
export const json11Protocol: Protocol = {
  parse(req) {
    const target = req.headers['x-amz-target'];
    const value = Array.isArray(target) ? target[0] : target;
    if (!value?.includes('.')) {
      throw new SandboxError('UnknownOperationException', 'The request must carry an X-Amz-Target header naming the operation.');
    }
    return { operation: value.slice(value.lastIndexOf('.') + 1), params: parseJsonBody(req.body) };
  },
  success(result): WireResponse {
    return { status: 200, headers: { 'content-type': JSON_11 }, body: toAwsJson(result) };
  },
  error: (err, _service, requestId) => jsonError(err, requestId, JSON_11),
  unknownOperation(operation) {
    return new SandboxError('UnknownOperationException', `Operation ${operation} is not supported by the sandbox.`);
  },
  authError: (failure, message) => jsonAuthError(failure, message, 400),
  throttled: () => new SandboxError('ThrottlingException', 'Rate exceeded', 400),
};
