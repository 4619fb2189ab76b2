/**
 * S3 (REST-XML, path-style addressing: /BUCKET?policy): the bucket configuration an attacker changes to
 * expose or destroy data — policy, ACL, public access block, versioning, lifecycle — and the reads a
 * responder makes to see it. The only objects modelled are a trail's log files (s3-trail-logs.ts). CloudTrail records carry S3's own parameter
 * shape (bucketName, Host, the sub-resource as an empty field, the XML configuration as an object).
 */
import { stableHex } from '../ids';
import { SandboxError, type OperationContext, publicAccessBlockOf, type S3Bucket, type S3Grant, type ServiceHandlers } from '../model';
import type { RestXmlReply } from '../protocols/rest-xml';
import type { WireRequest } from '../protocols/types';
import { parseXml, XmlSyntaxError, xmlToObject } from '../protocols/xml-read';
import { ATTRS, XmlList } from '../protocols/xml';
import { ALL_REGIONS } from '../regions';
import { getTrailLog, listTrailLogs, logBucketTrail } from './s3-trail-logs';
import { record, str } from './service-input';

const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const BUCKET_NAME = /^(?!xn--)(?!.*-s3alias$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** The sub-resources this sandbox serves, per method, and the operation each one is. */
const SUBRESOURCE_OPS: Record<string, Record<string, string>> = {
  GET: {
    policy: 'GetBucketPolicy',
    acl: 'GetBucketAcl',
    publicAccessBlock: 'GetPublicAccessBlock',
    versioning: 'GetBucketVersioning',
    lifecycle: 'GetBucketLifecycleConfiguration',
    location: 'GetBucketLocation',
    policyStatus: 'GetBucketPolicyStatus',
    tagging: 'GetBucketTagging',
  },
  PUT: {
    policy: 'PutBucketPolicy',
    acl: 'PutBucketAcl',
    publicAccessBlock: 'PutPublicAccessBlock',
    versioning: 'PutBucketVersioning',
    lifecycle: 'PutBucketLifecycleConfiguration',
    tagging: 'PutBucketTagging',
  },
  DELETE: { policy: 'DeleteBucketPolicy', publicAccessBlock: 'DeletePublicAccessBlock', lifecycle: 'DeleteBucketLifecycle', tagging: 'DeleteBucketTagging' },
};
const BUCKET_OPS: Record<string, string> = { GET: 'ListObjectsV2', PUT: 'CreateBucket', DELETE: 'DeleteBucket', HEAD: 'HeadBucket' };

/** CloudTrail names some S3 events after the older API names. */
const EVENT_NAMES: Record<string, string> = {
  GetPublicAccessBlock: 'GetBucketPublicAccessBlock',
  PutPublicAccessBlock: 'PutBucketPublicAccessBlock',
  DeletePublicAccessBlock: 'DeleteBucketPublicAccessBlock',
  GetBucketLifecycleConfiguration: 'GetBucketLifecycle',
  PutBucketLifecycleConfiguration: 'PutBucketLifecycle',
};

function header(req: WireRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Method, path and sub-resource to the operation; the XML body (if any) becomes `Body`, a policy stays text. */
export function parseS3Request(req: WireRequest): { operation: string; params: Record<string, unknown> } {
  const segments = req.path.split('/').filter((s) => s !== '');
  const method = req.method.toUpperCase();
  if (segments.length === 0) {
    if (method === 'GET') return { operation: 'ListBuckets', params: {} };
    throw new SandboxError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405);
  }
  const bucket = decodeURIComponent(segments[0]!);
  if (segments.length > 1) {
    // Objects: only a trail's log files are modelled (s3-trail-logs.ts).
    if (method !== 'GET') throw new SandboxError('NotImplemented', 'The sandbox serves bucket configuration and trail log files, not other objects.', 501);
    return { operation: 'GetObject', params: { Bucket: bucket, Key: segments.slice(1).map(decodeURIComponent).join('/'), Host: header(req, 'host') ?? '' } };
  }
  const sub = Object.keys(SUBRESOURCE_OPS[method] ?? {}).find((k) => req.query.has(k));
  const operation = sub ? SUBRESOURCE_OPS[method]![sub]! : BUCKET_OPS[method];
  if (!operation) throw new SandboxError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405);
  const params: Record<string, unknown> = { Bucket: bucket, Host: header(req, 'host') ?? '' };
  if (sub) params.SubResource = sub;
  if (operation === 'ListObjectsV2') {
    for (const k of ['list-type', 'prefix', 'delimiter', 'max-keys', 'continuation-token', 'start-after']) {
      const v = req.query.get(k);
      if (v !== null) params[k] = v;
    }
  }
  const acl = header(req, 'x-amz-acl');
  if (acl) params.CannedAcl = acl;
  const text = req.body.toString('utf8');
  if (operation === 'PutBucketPolicy') params.Policy = text;
  else if (text.trim() !== '') {
    try {
      const root = parseXml(text);
      params.Body = { [root.name]: xmlToObject(root) };
    } catch (err) {
      if (err instanceof XmlSyntaxError) {
        throw new SandboxError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
      }
      throw err;
    }
  }
  return { operation, params };
}

export function canonicalOwnerId(accountId: string): string {
  return stableHex('', `s3-owner|${accountId}`, 64);
}

function owner(ctx: OperationContext) {
  return { ID: canonicalOwnerId(ctx.state.accountId), DisplayName: ctx.state.accountAlias ?? `account-${ctx.state.accountId}` };
}

function bucketName(ctx: OperationContext): string {
  const name = str(ctx.params.Bucket);
  if (!name) throw new SandboxError('InvalidBucketName', 'The specified bucket is not valid.');
  return name;
}

/** The bucket, answered from its own region as S3 requires (any other region gets S3's redirect). */
function bucketOf(ctx: OperationContext, anyRegion = false): S3Bucket {
  const name = bucketName(ctx);
  const bucket = ctx.state.buckets.find((b) => b.name === name);
  if (!bucket) {
    const err = new SandboxError('NoSuchBucket', 'The specified bucket does not exist', 404);
    err.details.BucketName = name;
    throw err;
  }
  if (!anyRegion && bucket.region !== ctx.region) {
    const err = new SandboxError(
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      301,
    );
    err.details.Bucket = name;
    err.details.Endpoint = `s3.${bucket.region}.amazonaws.com`;
    err.headers['x-amz-bucket-region'] = bucket.region;
    throw err;
  }
  return bucket;
}

/** CloudTrail's S3 record: bucketName, Host, the sub-resource as an empty field, then what was sent. */
function recordS3(ctx: OperationContext, extra: Record<string, unknown> = {}, bucketless = false): void {
  const name = str(ctx.params.Bucket);
  const sub = str(ctx.params.SubResource);
  const requestParameters: Record<string, unknown> = bucketless ? { Host: ctx.params.Host } : { bucketName: name, Host: ctx.params.Host };
  if (sub) requestParameters[sub] = '';
  if (ctx.params.CannedAcl) requestParameters['x-amz-acl'] = [ctx.params.CannedAcl];
  Object.assign(requestParameters, extra);
  ctx.trail = {
    eventName: EVENT_NAMES[ctx.operation] ?? ctx.operation,
    requestParameters,
    responseElements: null,
    resources: name ? [{ resourceType: 'AWS::S3::Bucket', resourceName: name }] : [],
    additionalEventData: { SignatureVersion: 'SigV4', AuthenticationMethod: 'AuthHeader', 'x-amz-id-2': stableHex('', ctx.requestId, 32) },
  };
}

function body(ctx: OperationContext, root: string): Record<string, unknown> {
  const b = record(record(ctx.params.Body)[root]);
  if (Object.keys(record(ctx.params.Body)).length === 0 || !(root in record(ctx.params.Body))) {
    throw new SandboxError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  }
  return b;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]);

function listBuckets(ctx: OperationContext): RestXmlReply {
  recordS3(ctx, {}, true);
  return {
    root: 'ListAllMyBucketsResult',
    value: {
      Owner: owner(ctx),
      Buckets: new XmlList(
        ctx.state.buckets.map((b) => ({ Name: b.name, CreationDate: b.creationDate, BucketRegion: b.region })),
        'Bucket',
      ),
    },
  };
}

function createBucket(ctx: OperationContext): RestXmlReply {
  const name = bucketName(ctx);
  if (!BUCKET_NAME.test(name)) throw new SandboxError('InvalidBucketName', 'The specified bucket is not valid.');
  const constraint = str(record(record(ctx.params.Body).CreateBucketConfiguration).LocationConstraint);
  const region = constraint ?? 'us-east-1';
  if (!ALL_REGIONS.includes(region) || (constraint && region !== ctx.region) || (!constraint && ctx.region !== 'us-east-1')) {
    throw new SandboxError(
      'IllegalLocationConstraintException',
      `The ${region} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const existing = ctx.state.buckets.find((b) => b.name === name);
  if (existing) throw new SandboxError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
  ctx.state.buckets.push({
    name,
    region,
    creationDate: ctx.now,
    acl: [{ grantee: { type: 'CanonicalUser', id: canonicalOwnerId(ctx.state.accountId) }, permission: 'FULL_CONTROL' }],
    // New buckets block public access by default (since April 2023).
    publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
    tags: [],
  });
  recordS3(ctx, constraint ? { CreateBucketConfiguration: { LocationConstraint: constraint, xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' } } : {});
  return { headers: { location: `/${name}` } };
}

function deleteBucket(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  ctx.state.buckets = ctx.state.buckets.filter((b) => b !== bucket);
  recordS3(ctx);
  return { status: 204 };
}

function headBucket(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx, true);
  recordS3(ctx);
  return { headers: { 'x-amz-bucket-region': bucket.region } };
}

function listObjects(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  const trail = logBucketTrail(ctx.state, bucket.name);
  if (trail) return listTrailLogs(ctx, bucket.name, trail);
  return { root: 'ListBucketResult', value: { Name: bucket.name, Prefix: '', KeyCount: 0, MaxKeys: 1000, IsTruncated: false } };
}

function getObject(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  const trail = logBucketTrail(ctx.state, bucket.name);
  if (!trail) throw new SandboxError('NotImplemented', 'The sandbox serves bucket configuration and trail log files, not other objects.', 501);
  return getTrailLog(ctx, bucket.name, trail, str(ctx.params.Key) ?? '');
}

function getBucketLocation(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx, true);
  recordS3(ctx);
  // us-east-1 is the empty constraint, as S3 answers it.
  return { root: 'LocationConstraint', value: bucket.region === 'us-east-1' ? '' : bucket.region };
}

function getBucketPolicy(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  if (!bucket.policy) {
    const err = new SandboxError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404);
    err.details.BucketName = bucket.name;
    throw err;
  }
  return { raw: bucket.policy, contentType: 'application/json' };
}

function putBucketPolicy(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  const text = str(ctx.params.Policy) ?? '';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new SandboxError('MalformedPolicy', "Policies must be valid JSON and the first byte must be '{'");
  }
  const statements = record(doc).Statement;
  if (!text.trimStart().startsWith('{') || statements === undefined) throw new SandboxError('MalformedPolicy', 'Missing required field Statement');
  if (bucket.publicAccessBlock?.BlockPublicPolicy && policyIsPublic(text)) {
    throw new SandboxError(
      'AccessDenied',
      'User is not authorized to perform: s3:PutBucketPolicy because public policies are blocked by the BlockPublicPolicy block public access setting.',
      403,
    );
  }
  bucket.policy = text;
  recordS3(ctx, { bucketPolicy: doc });
  return { status: 204 };
}

function deleteBucketPolicy(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  bucket.policy = undefined;
  recordS3(ctx);
  return { status: 204 };
}

/** A policy is public when an Allow statement names everyone as principal without a narrowing condition. */
export function policyIsPublic(policy: string | undefined): boolean {
  if (!policy) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    return false;
  }
  const statements = asList(record(doc).Statement).map(record);
  return statements.some((s) => {
    if (s.Effect !== 'Allow' || s.Condition !== undefined) return false;
    const p = s.Principal;
    return p === '*' || asList(record(p).AWS).includes('*');
  });
}

function grantXml(g: S3Grant) {
  const grantee =
    g.grantee.type === 'CanonicalUser'
      ? { ID: g.grantee.id, DisplayName: g.grantee.displayName }
      : g.grantee.type === 'Group'
        ? { URI: g.grantee.uri }
        : { EmailAddress: g.grantee.email };
  return {
    Grantee: { [ATTRS]: { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': g.grantee.type }, ...grantee },
    Permission: g.permission,
  };
}

function getBucketAcl(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  return { root: 'AccessControlPolicy', value: { Owner: owner(ctx), AccessControlList: new XmlList(bucket.acl.map(grantXml), 'Grant') } };
}

const PERMISSIONS: S3Grant['permission'][] = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];

/** The grants a canned ACL stands for (x-amz-acl), as S3 documents them. */
export function cannedAclGrants(canned: string, ownerId: string): S3Grant[] {
  const own: S3Grant = { grantee: { type: 'CanonicalUser', id: ownerId }, permission: 'FULL_CONTROL' };
  const group = (uri: string, permission: S3Grant['permission']): S3Grant => ({ grantee: { type: 'Group', uri }, permission });
  switch (canned) {
    case 'private':
      return [own];
    case 'public-read':
      return [own, group(ALL_USERS, 'READ')];
    case 'public-read-write':
      return [own, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')];
    case 'authenticated-read':
      return [own, group(AUTHENTICATED_USERS, 'READ')];
    case 'log-delivery-write':
      return [own, group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')];
    default:
      throw new SandboxError('InvalidArgument', `Invalid canned ACL: ${canned}`);
  }
}

function grantsFromXml(policy: Record<string, unknown>): S3Grant[] {
  return asList(record(policy.AccessControlList).Grant).map((raw) => {
    const g = record(raw);
    const grantee = record(g.Grantee);
    const permission = str(g.Permission) as S3Grant['permission'];
    if (!PERMISSIONS.includes(permission))
      throw new SandboxError('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema.');
    const type = str(grantee['@type']);
    if (type === 'Group' && str(grantee.URI)) return { grantee: { type: 'Group', uri: str(grantee.URI)! }, permission };
    if (type === 'AmazonCustomerByEmail' && str(grantee.EmailAddress)) return { grantee: { type, email: str(grantee.EmailAddress)! }, permission };
    if (type === 'CanonicalUser' && str(grantee.ID)) return { grantee: { type, id: str(grantee.ID)!, displayName: str(grantee.DisplayName) }, permission };
    throw new SandboxError('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema.');
  });
}

function putBucketAcl(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  const canned = str(ctx.params.CannedAcl);
  const grants = canned ? cannedAclGrants(canned, canonicalOwnerId(ctx.state.accountId)) : grantsFromXml(body(ctx, 'AccessControlPolicy'));
  const publicGrant = grants.some((g) => g.grantee.type === 'Group' && (g.grantee.uri === ALL_USERS || g.grantee.uri === AUTHENTICATED_USERS));
  if (publicGrant && bucket.publicAccessBlock?.BlockPublicAcls) {
    throw new SandboxError('AccessDenied', 'Access Denied', 403);
  }
  bucket.acl = grants;
  recordS3(
    ctx,
    canned ? {} : { AccessControlPolicy: { ...record(record(ctx.params.Body).AccessControlPolicy), xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' } },
  );
  return {};
}

function notFound(code: string, message: string, bucket: string): SandboxError {
  const err = new SandboxError(code, message, 404);
  err.details.BucketName = bucket;
  return err;
}

function getPublicAccessBlock(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  if (!bucket.publicAccessBlock) throw notFound('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', bucket.name);
  return { root: 'PublicAccessBlockConfiguration', value: { ...bucket.publicAccessBlock } };
}

function putPublicAccessBlock(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  const config = body(ctx, 'PublicAccessBlockConfiguration');
  const block = publicAccessBlockOf((f) => str(config[f])?.toLowerCase() === 'true');
  bucket.publicAccessBlock = block;
  recordS3(ctx, { PublicAccessBlockConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', ...block } });
  return {};
}

function deletePublicAccessBlock(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  bucket.publicAccessBlock = undefined;
  recordS3(ctx);
  return { status: 204 };
}

function getBucketVersioning(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  return { root: 'VersioningConfiguration', value: bucket.versioning ? { Status: bucket.versioning } : {} };
}

function putBucketVersioning(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  const config = body(ctx, 'VersioningConfiguration');
  const status = str(config.Status);
  if (status !== 'Enabled' && status !== 'Suspended')
    throw new SandboxError('IllegalVersioningConfigurationException', 'The Versioning element must be specified');
  bucket.versioning = status;
  recordS3(ctx, { VersioningConfiguration: { Status: status, xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' } });
  return {};
}

function getBucketLifecycle(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  if (!bucket.lifecycleRules?.length) throw notFound('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', bucket.name);
  return { root: 'LifecycleConfiguration', value: { Rule: new XmlList(bucket.lifecycleRules) } };
}

function putBucketLifecycle(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  const config = body(ctx, 'LifecycleConfiguration');
  const rules = asList(config.Rule).map(record);
  if (rules.length === 0) throw new SandboxError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
  for (const rule of rules) {
    if (rule.Status !== 'Enabled' && rule.Status !== 'Disabled')
      throw new SandboxError('MalformedXML', 'Each lifecycle rule needs a Status of Enabled or Disabled.');
  }
  bucket.lifecycleRules = rules;
  recordS3(ctx, { LifecycleConfiguration: { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', Rule: rules.length === 1 ? rules[0] : rules } });
  return {};
}

function deleteBucketLifecycle(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  bucket.lifecycleRules = undefined;
  recordS3(ctx);
  return { status: 204 };
}

function getBucketPolicyStatus(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  const restricted = bucket.publicAccessBlock?.RestrictPublicBuckets || ctx.state.accountPublicAccessBlock?.RestrictPublicBuckets;
  return { root: 'PolicyStatus', value: { IsPublic: !restricted && policyIsPublic(bucket.policy) } };
}

function getBucketTagging(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  recordS3(ctx);
  if (bucket.tags.length === 0) throw notFound('NoSuchTagSet', 'The TagSet does not exist', bucket.name);
  return { root: 'Tagging', value: { TagSet: new XmlList(bucket.tags, 'Tag') } };
}

function putBucketTagging(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  const tags = asList(record(body(ctx, 'Tagging').TagSet).Tag).map(record);
  bucket.tags = tags.map((t) => ({ Key: str(t.Key) ?? '', Value: str(t.Value) ?? '' }));
  recordS3(ctx, { Tagging: { TagSet: { Tag: bucket.tags } } });
  return { status: 204 };
}

function deleteBucketTagging(ctx: OperationContext): RestXmlReply {
  const bucket = bucketOf(ctx);
  bucket.tags = [];
  recordS3(ctx);
  return { status: 204 };
}

/** Every S3 call is recorded in S3's shape, failed ones too: the record is set before the handler runs. */
function recorded(handler: (ctx: OperationContext) => RestXmlReply): (ctx: OperationContext) => RestXmlReply {
  return (ctx) => {
    recordS3(ctx, {}, ctx.operation === 'ListBuckets');
    return handler(ctx);
  };
}

const operations: Record<string, (ctx: OperationContext) => RestXmlReply> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  ListObjectsV2: listObjects,
  GetObject: getObject,
  GetBucketLocation: getBucketLocation,
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetPublicAccessBlock: getPublicAccessBlock,
  PutPublicAccessBlock: putPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  GetBucketLifecycleConfiguration: getBucketLifecycle,
  PutBucketLifecycleConfiguration: putBucketLifecycle,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  GetBucketTagging: getBucketTagging,
  PutBucketTagging: putBucketTagging,
  DeleteBucketTagging: deleteBucketTagging,
};

export const handlers: ServiceHandlers = Object.fromEntries(Object.entries(operations).map(([name, fn]) => [name, recorded(fn)]));
