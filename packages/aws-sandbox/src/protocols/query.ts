/**
 * AWS's query protocols (IAM and STS; EC2's variant): form-encoded Action requests and XML answers,
 * including each protocol's error document.
 */
import { SandboxError } from '../model';
import { decodeQueryParams } from './query-input';
import type { AuthFailure, Protocol, WireRequest, WireResponse } from './types';
import { escapeXml, xmlValue } from './xml';

/** Query fields come from the form body (SDK) and/or the URL (CLI GETs, presigned calls). */
export function queryFields(req: WireRequest): URLSearchParams {
  const fields = new URLSearchParams(req.query);
  if (req.body.length > 0) for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) fields.append(k, v);
  return fields;
}

function parseQuery(req: WireRequest): { operation: string; params: Record<string, unknown> } {
  const fields = queryFields(req);
  const operation = fields.get('Action');
  if (!operation) throw new SandboxError('MissingAction', 'The request must contain the parameter Action.');
  fields.delete('Action');
  fields.delete('Version');
  return { operation, params: decodeQueryParams(fields) };
}

const XML = { 'content-type': 'text/xml' };

/** AWS query protocol as IAM and STS speak it: <XResponse><XResult>…</XResult><ResponseMetadata/>. */
export const queryProtocol: Protocol = {
  parse: parseQuery,
  success(result, operation, service, requestId): WireResponse {
    const ns = service.xmlNamespace ? ` xmlns="${service.xmlNamespace}"` : '';
    const body = result === undefined || result === null ? '' : `<${operation}Result>${xmlValue(result, 'member')}</${operation}Result>`;
    return {
      status: 200,
      headers: XML,
      body: `<${operation}Response${ns}>${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
    };
  },
  error(err, service, requestId): WireResponse {
    const ns = service.xmlNamespace ? ` xmlns="${service.xmlNamespace}"` : '';
    return {
      status: err.status,
      headers: XML,
      body:
        `<ErrorResponse${ns}><Error><Type>${err.type}</Type><Code>${escapeXml(err.code)}</Code>` +
        `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    };
  },
  unknownOperation(operation, service) {
    return new SandboxError('InvalidAction', `Could not find operation ${operation} for version ${service.apiVersion ?? 'unknown'}`);
  },
  authError: (failure, message) => queryAuthError(failure, message),
  throttled: () => new SandboxError('Throttling', 'Rate exceeded', 400),
};

function queryAuthError(failure: AuthFailure, message: string): SandboxError {
  switch (failure) {
    case 'missing':
      return new SandboxError('MissingAuthenticationToken', message, 403);
    case 'incomplete':
      return new SandboxError('IncompleteSignature', message, 403);
    case 'invalid-key':
      return new SandboxError('InvalidClientTokenId', message, 403);
    case 'expired':
      return new SandboxError('ExpiredToken', message, 403);
    case 'denied':
      return new SandboxError('AccessDenied', message, 403);
    case 'signature':
    case 'skew':
      // IAM and STS answer a stale request time with SignatureDoesNotMatch too ("Signature expired: …").
      return new SandboxError('SignatureDoesNotMatch', message, 403);
  }
}

const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** EC2's variant: same input, <XResponse><requestId/>… with <item> lists, and its own error shape. */
export const ec2Protocol: Protocol = {
  parse: parseQuery,
  success(result, operation, _service, requestId): WireResponse {
    return {
      status: 200,
      headers: XML,
      body: `<${operation}Response xmlns="${EC2_NS}"><requestId>${requestId}</requestId>${xmlValue(result ?? {}, 'item')}</${operation}Response>`,
    };
  },
  error(err, _service, requestId): WireResponse {
    return {
      status: err.status,
      headers: XML,
      body:
        `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>${escapeXml(err.code)}</Code>` +
        `<Message>${escapeXml(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  },
  unknownOperation(operation) {
    return new SandboxError('InvalidAction', `The action ${operation} is not valid for this web service.`);
  },
  authError(failure, message) {
    switch (failure) {
      case 'missing':
      case 'incomplete':
      case 'invalid-key':
        return new SandboxError('AuthFailure', failure === 'invalid-key' ? 'AWS was not able to validate the provided access credentials' : message, 401);
      case 'expired':
        return new SandboxError('RequestExpired', message, 400);
      case 'denied':
        return new SandboxError('UnauthorizedOperation', message, 403);
      case 'signature':
        // EC2 does not say why the credentials failed: a wrong secret is the same AuthFailure as an unknown key.
        return new SandboxError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401);
      case 'skew':
        return new SandboxError('RequestExpired', 'Request has expired.', 400);
    }
  },
  throttled: () => new SandboxError('RequestLimitExceeded', 'Request limit exceeded.', 503),
};
