/**
 * AWS's REST-XML protocol as S3 speaks it: the service parses method, path and sub-resource itself
 * (see ServiceDefinition.parseRequest); answers are XML documents, raw bodies (a bucket policy is JSON
 * text) or empty, and errors are S3's <Error> document with the HTTP status S3 uses.
 */
import { SandboxError } from '../model';
import type { AuthFailure, Protocol, WireResponse } from './types';
import { escapeXml, xmlValue } from './xml';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** What a REST-XML handler returns. */
export interface RestXmlReply {
  status?: number;
  headers?: Record<string, string>;
  /** The root element and its content, written in S3's namespace. */
  root?: string;
  value?: unknown;
  /** A body sent as it is (GetBucketPolicy's JSON, a log file's gzip bytes). */
  raw?: string | Buffer;
  contentType?: string;
}

export function isRestXmlReply(value: unknown): value is RestXmlReply {
  return !!value && typeof value === 'object' && ('root' in value || 'raw' in value || 'status' in value);
}

export const restXmlProtocol: Protocol = {
  parse(req, service) {
    if (!service.parseRequest) throw new SandboxError('NotImplemented', `${service.displayName} does not route requests.`, 501);
    return service.parseRequest(req);
  },
  success(result): WireResponse {
    const reply: RestXmlReply = isRestXmlReply(result) ? result : {};
    let body: string | Buffer = '';
    let contentType = reply.contentType ?? 'application/xml';
    if (reply.raw !== undefined) body = reply.raw;
    else if (reply.root) body = `<?xml version="1.0" encoding="UTF-8"?>\n<${reply.root} xmlns="${S3_NS}">${xmlValue(reply.value, 'member')}</${reply.root}>`;
    else contentType = reply.contentType ?? 'application/xml';
    return { status: reply.status ?? 200, headers: { 'content-type': contentType, ...reply.headers }, body };
  },
  error(err, _service, requestId): WireResponse {
    const details = Object.entries(err.details)
      .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
      .join('');
    return {
      status: err.status,
      headers: { 'content-type': 'application/xml', 'x-amz-request-id': requestId, ...err.headers },
      body:
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
        `${details}<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`,
    };
  },
  unknownOperation(operation) {
    return new SandboxError('NotImplemented', `A header or query you provided implies functionality that is not implemented (${operation}).`, 501);
  },
  authError: (failure, message) => restXmlAuthError(failure, message),
  throttled: () => new SandboxError('SlowDown', 'Please reduce your request rate.', 503),
};

function restXmlAuthError(failure: AuthFailure, message: string): SandboxError {
  switch (failure) {
    case 'missing':
      return new SandboxError('AccessDenied', 'Access Denied', 403);
    case 'incomplete':
      return new SandboxError('AuthorizationHeaderMalformed', message, 400);
    case 'invalid-key':
      return new SandboxError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
    case 'expired':
      return new SandboxError('ExpiredToken', 'The provided token has expired.', 400);
    case 'denied':
      return new SandboxError('AccessDenied', 'Access Denied', 403);
    case 'signature':
      return new SandboxError('SignatureDoesNotMatch', message, 403);
    case 'skew':
      return new SandboxError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
  }
}
