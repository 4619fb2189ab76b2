/**
 * Lambda (REST-JSON): ListFunctions for the multi-region inventory (runbook R5), and the resource
 * policy and function URL operations an attacker uses to open a function to the outside (lambda-policy.ts).
 */
import { SandboxError, type OperationContext, type ServiceHandlers } from '../model';
import type { RestRoute } from '../protocols/rest-json';
import { fingerprint, pageByOffset } from './page-token';
import { enabledRegion } from './region-guard';
import {
  addPermission,
  createFunctionUrlConfig,
  deleteFunctionUrlConfig,
  functionOf,
  getFunctionUrlConfig,
  getPolicy,
  removePermission,
} from './lambda-policy';
import { int, str } from './service-input';

/** Lambda's LastModified is text, not a timestamp: 2024-05-01T12:00:00.000+0000. */
function lambdaTime(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export function listFunctions(ctx: OperationContext): unknown {
  const region = enabledRegion(ctx, { unknown: ['UnrecognizedClientException', 403], notOptedIn: ['UnrecognizedClientException', 403] });
  const max = int(ctx.params.MaxItems, 'MaxItems', 'InvalidParameterValueException') ?? 50;
  if (max < 1 || max > 10000) throw new SandboxError('InvalidParameterValueException', 'MaxItems must be between 1 and 10000.');
  const { page, next } = pageByOffset(
    region.lambdaFunctions,
    str(ctx.params.Marker),
    max,
    fingerprint(['ListFunctions', ctx.region]),
    'InvalidParameterValueException',
  );
  return {
    Functions: page.map(functionConfiguration),
    NextMarker: next,
  };
}

function functionConfiguration(f: ReturnType<typeof functionOf>) {
  return {
    FunctionName: f.functionName,
    FunctionArn: f.functionArn,
    Runtime: f.runtime,
    Role: f.role,
    Handler: f.handler,
    CodeSize: 1024,
    Description: '',
    Timeout: 3,
    MemorySize: 128,
    LastModified: lambdaTime(f.lastModified),
    Version: '$LATEST',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
  };
}

export function getFunction(ctx: OperationContext): unknown {
  const fn = functionOf(ctx);
  return {
    Configuration: functionConfiguration(fn),
    Code: {
      RepositoryType: 'S3',
      Location: `https://awslambda-${ctx.region}-tasks.s3.${ctx.region}.amazonaws.com/snapshots/${ctx.state.accountId}/${fn.functionName}`,
    },
  };
}

export const handlers: ServiceHandlers = {
  ListFunctions: listFunctions,
  GetFunction: getFunction,
  AddPermission: addPermission,
  GetPolicy: getPolicy,
  RemovePermission: removePermission,
  CreateFunctionUrlConfig: createFunctionUrlConfig,
  GetFunctionUrlConfig: getFunctionUrlConfig,
  DeleteFunctionUrlConfig: deleteFunctionUrlConfig,
};

const FN = '(?<FunctionName>[^/]+)';
export const routes: RestRoute[] = [
  { method: 'GET', path: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions' },
  { method: 'GET', path: new RegExp(`^/2015-03-31/functions/${FN}/?$`), operation: 'GetFunction' },
  { method: 'POST', path: new RegExp(`^/2015-03-31/functions/${FN}/policy/?$`), operation: 'AddPermission', status: 201 },
  { method: 'GET', path: new RegExp(`^/2015-03-31/functions/${FN}/policy/?$`), operation: 'GetPolicy' },
  { method: 'DELETE', path: new RegExp(`^/2015-03-31/functions/${FN}/policy/(?<StatementId>[^/]+)$`), operation: 'RemovePermission', status: 204 },
  { method: 'POST', path: new RegExp(`^/2021-10-31/functions/${FN}/url/?$`), operation: 'CreateFunctionUrlConfig', status: 201 },
  { method: 'GET', path: new RegExp(`^/2021-10-31/functions/${FN}/url/?$`), operation: 'GetFunctionUrlConfig' },
  { method: 'DELETE', path: new RegExp(`^/2021-10-31/functions/${FN}/url/?$`), operation: 'DeleteFunctionUrlConfig', status: 204 },
];
