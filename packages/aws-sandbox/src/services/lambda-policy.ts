/**
 * Lambda resource-based policies and function URLs: AddPermission / GetPolicy / RemovePermission and
 * CreateFunctionUrlConfig / GetFunctionUrlConfig / DeleteFunctionUrlConfig, recorded in CloudTrail
 * under Lambda's versioned event names (AddPermission20150331v2…).
 */
import { stableId } from '../ids';
import { SandboxError, type LambdaFunction, type LambdaPermission, type OperationContext } from '../model';
import { enabledRegion } from './region-guard';
import { record, str } from './service-input';

/** The policy statement Lambda writes for an AddPermission call (principal forms as Lambda stores them). */
export function permissionStatement(input: {
  sid: string;
  principal: string;
  action: string;
  functionArn: string;
  sourceArn?: string;
  sourceAccount?: string;
  functionUrlAuthType?: string;
}): LambdaPermission {
  const { principal } = input;
  const principalJson =
    principal === '*'
      ? '*'
      : /^\d{12}$/.test(principal)
        ? { AWS: `arn:aws:iam::${principal}:root` }
        : principal.startsWith('arn:')
          ? { AWS: principal }
          : { Service: principal };
  const condition: Record<string, Record<string, string>> = {};
  if (input.sourceArn) condition.ArnLike = { 'AWS:SourceArn': input.sourceArn };
  if (input.sourceAccount) condition.StringEquals = { 'AWS:SourceAccount': input.sourceAccount };
  if (input.functionUrlAuthType) condition.StringEquals = { ...condition.StringEquals, 'lambda:FunctionUrlAuthType': input.functionUrlAuthType };
  const statement: Record<string, unknown> = { Sid: input.sid, Effect: 'Allow', Principal: principalJson, Action: input.action, Resource: input.functionArn };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return { sid: input.sid, statement };
}

export function functionUrlFor(accountId: string, functionName: string, region: string): string {
  return `https://${stableId('', `${accountId}|url|${functionName}`, 32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.lambda-url.${region}.on.aws/`;
}

const lambdaRegion = (ctx: OperationContext) =>
  enabledRegion(ctx, { unknown: ['UnrecognizedClientException', 403], notOptedIn: ['UnrecognizedClientException', 403] });

/** A function by name, partial ARN or ARN, in the called region. */
export function functionOf(ctx: OperationContext): LambdaFunction {
  const region = lambdaRegion(ctx);
  const name = str(ctx.params.FunctionName) ?? '';
  const short = name.startsWith('arn:') ? (name.split(':')[6] ?? '') : name.includes(':') ? (name.split(':').pop() ?? '') : name;
  const fn = region.lambdaFunctions.find((f) => f.functionName === short);
  if (!fn) {
    throw new SandboxError('ResourceNotFoundException', `Function not found: arn:aws:lambda:${ctx.region}:${ctx.state.accountId}:function:${short}`, 404);
  }
  return fn;
}

function policyDocument(fn: LambdaFunction): string {
  return JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: fn.permissions.map((p) => p.statement) });
}

const revisionId = (fn: LambdaFunction): string =>
  stableId('', `${fn.functionArn}|rev|${fn.revision}`, 32, '0123456789abcdef').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export function addPermission(ctx: OperationContext): unknown {
  const fn = functionOf(ctx);
  const p = ctx.params;
  const sid = str(p.StatementId);
  const action = str(p.Action);
  const principal = str(p.Principal);
  const missing = [
    ['statementId', sid],
    ['action', action],
    ['principal', principal],
  ].filter(([, v]) => !v);
  if (missing.length > 0) {
    throw new SandboxError(
      'ValidationException',
      `${missing.length} validation error${missing.length > 1 ? 's' : ''} detected: ${missing.map(([k]) => `Value null at '${k}' failed to satisfy constraint: Member must not be null`).join('; ')}`,
    );
  }
  if (!/^[a-zA-Z0-9-_]{1,100}$/.test(sid!))
    throw new SandboxError(
      'ValidationException',
      `Value '${sid}' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)`,
    );
  if (!/^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/.test(action!))
    throw new SandboxError(
      'ValidationException',
      `Value '${action}' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])`,
    );
  if (fn.permissions.some((x) => x.sid === sid)) {
    throw new SandboxError(
      'ResourceConflictException',
      `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
      409,
    );
  }
  const permission = permissionStatement({
    sid: sid!,
    principal: principal!,
    action: action!,
    functionArn: fn.functionArn,
    sourceArn: str(p.SourceArn),
    sourceAccount: str(p.SourceAccount),
    functionUrlAuthType: str(p.FunctionUrlAuthType),
  });
  fn.permissions.push(permission);
  fn.revision += 1;
  const statement = JSON.stringify(permission.statement);
  ctx.trail = {
    eventName: 'AddPermission20150331v2',
    requestParameters: Object.fromEntries(
      Object.entries({
        functionName: str(p.FunctionName),
        statementId: sid,
        action,
        principal,
        sourceArn: str(p.SourceArn),
        sourceAccount: str(p.SourceAccount),
        functionUrlAuthType: str(p.FunctionUrlAuthType),
      }).filter(([, v]) => v !== undefined),
    ),
    responseElements: { statement },
    resources: [{ resourceType: 'AWS::Lambda::Function', resourceName: fn.functionName }],
  };
  return { Statement: statement };
}

export function getPolicy(ctx: OperationContext): unknown {
  const fn = functionOf(ctx);
  if (fn.permissions.length === 0) throw new SandboxError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  return { Policy: policyDocument(fn), RevisionId: revisionId(fn) };
}

export function removePermission(ctx: OperationContext): unknown {
  const fn = functionOf(ctx);
  const sid = str(ctx.params.StatementId);
  if (!fn.permissions.some((x) => x.sid === sid)) {
    throw new SandboxError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, 404);
  }
  fn.permissions = fn.permissions.filter((x) => x.sid !== sid);
  fn.revision += 1;
  ctx.trail = {
    eventName: 'RemovePermission20150331v2',
    requestParameters: { functionName: str(ctx.params.FunctionName), statementId: sid },
    responseElements: null,
    resources: [{ resourceType: 'AWS::Lambda::Function', resourceName: fn.functionName }],
  };
  return {};
}

function urlConfig(fn: LambdaFunction) {
  const url = fn.url!;
  return {
    FunctionUrl: url.functionUrl,
    FunctionArn: fn.functionArn,
    AuthType: url.authType,
    Cors: url.cors,
    CreationTime: url.createdAt.toISOString(),
    LastModifiedTime: url.lastModified.toISOString(),
    InvokeMode: 'BUFFERED',
  };
}

export function createFunctionUrlConfig(ctx: OperationContext): unknown {
  const fn = functionOf(ctx);
  const authType = str(ctx.params.AuthType);
  if (authType !== 'NONE' && authType !== 'AWS_IAM') {
    throw new SandboxError(
      'ValidationException',
      `1 validation error detected: Value '${authType ?? 'null'}' at 'authType' failed to satisfy constraint: Member must satisfy enum value set: [NONE, AWS_IAM]`,
    );
  }
  if (fn.url)
    throw new SandboxError(
      'ResourceConflictException',
      `Failed to create function url config for [functionArn = ${fn.functionArn}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
      409,
    );
  const cors = ctx.params.Cors === undefined ? undefined : record(ctx.params.Cors);
  fn.url = { authType, functionUrl: functionUrlFor(ctx.state.accountId, fn.functionName, ctx.region), createdAt: ctx.now, lastModified: ctx.now, cors };
  const out = urlConfig(fn);
  ctx.trail = {
    eventName: 'CreateFunctionUrlConfig20211031',
    requestParameters: { functionName: str(ctx.params.FunctionName), authType, ...(cors ? { cors } : {}) },
    responseElements: { functionUrl: out.FunctionUrl, functionArn: out.FunctionArn, authType, creationTime: out.CreationTime, invokeMode: 'BUFFERED' },
    resources: [{ resourceType: 'AWS::Lambda::Function', resourceName: fn.functionName }],
  };
  return out;
}

export function getFunctionUrlConfig(ctx: OperationContext): unknown {
  const fn = functionOf(ctx);
  if (!fn.url) throw new SandboxError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  return urlConfig(fn);
}

export function deleteFunctionUrlConfig(ctx: OperationContext): unknown {
  const fn = functionOf(ctx);
  if (!fn.url) throw new SandboxError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  fn.url = undefined;
  ctx.trail = {
    eventName: 'DeleteFunctionUrlConfig20211031',
    requestParameters: { functionName: str(ctx.params.FunctionName) },
    responseElements: null,
    resources: [{ resourceType: 'AWS::Lambda::Function', resourceName: fn.functionName }],
  };
  return {};
}
