/** Lambda (REST-JSON): ListFunctions for the multi-region inventory (runbook R5). */
import { SandboxError, type OperationContext, type ServiceHandlers } from '../model';
import type { RestRoute } from '../protocols/rest-json';
import { fingerprint, pageByOffset } from './page-token';
import { enabledRegion } from './region-guard';
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
    Functions: page.map((f) => ({
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
    })),
    NextMarker: next,
  };
}

export const handlers: ServiceHandlers = { ListFunctions: listFunctions };

export const routes: RestRoute[] = [{ method: 'GET', path: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions' }];
