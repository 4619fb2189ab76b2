/**
 * The contract between the sandbox server, its wire protocols and its service modules.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxError, ServiceHandlers } from '../model';
import type { RestRoute } from './rest-json';

/** One HTTP request as the protocol layer sees it (body fully read). */
export interface WireRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** Text for every protocol; bytes only for S3 objects (gzip log files). */
  body: string | Buffer;
}

export type ProtocolName = 'query' | 'ec2' | 'json' | 'rest-json' | 'rest-xml';

/** A service the sandbox speaks, keyed by its SigV4 signing name. */
export interface ServiceDefinition {
  /** SigV4 scope service: iam, sts, ec2, cloudtrail, ce, organizations, account, lambda. */
  signingName: string;
  /** The name src/aws/clients.ts uses in "Service:Operation" (IAM, CloudTrail, CostExplorer…). */
  displayName: string;
  protocol: ProtocolName;
  /** Query protocols: the response xmlns and API version. */
  xmlNamespace?: string;
  apiVersion?: string;
  /** Global services live in us-east-1: their CloudTrail events are recorded there. */
  globalRegion?: string;
  handlers: ServiceHandlers;
  routes: RestRoute[];
  /** REST-XML services route by more than method and path (S3's ?policy, ?acl…): they parse the request themselves. */
  parseRequest?(req: WireRequest): { operation: string; params: Record<string, unknown> };
  /**
   * Services that share a signing name but not a protocol (SES v1 query, SES v2 REST-JSON): the first
   * variant that accepts the request answers it, else this definition.
   */
  variants?: ServiceDefinition[];
  accepts?(req: WireRequest): boolean;
}

/**
 * Authentication failures; each protocol family names them differently. 'expired' is an expired session
 * token, 'skew' a request signed outside AWS's 15-minute window, 'signature' a signature that does not verify.
 */
export type AuthFailure = 'missing' | 'incomplete' | 'invalid-key' | 'expired' | 'denied' | 'signature' | 'skew';

export interface Protocol {
  /** The operation name and decoded input; throws SandboxError for a malformed request. */
  parse(req: WireRequest, service: ServiceDefinition): { operation: string; params: Record<string, unknown> };
  success(result: unknown, operation: string, service: ServiceDefinition, requestId: string): WireResponse;
  error(err: SandboxError, service: ServiceDefinition, requestId: string): WireResponse;
  unknownOperation(operation: string, service: ServiceDefinition): SandboxError;
  authError(failure: AuthFailure, message: string): SandboxError;
  throttled(): SandboxError;
}
