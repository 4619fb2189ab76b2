/**
 * What a gap says when the endpoint is not AWS-shaped (a second backend, an emulator): an HTML error page
 * or plain text instead of an AWS response, or an operation it does not implement. Real SDK clients
 * against a local HTTP server on 127.0.0.1 (port 0).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import { failureReason, step } from '../../../src/scan/errors';

let server: Server;
let endpoint: string;
let answer: { status: number; type: string; body: string };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': answer.type });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' };
const reasonOf = async (send: () => Promise<unknown>, action: string): Promise<string> => {
  try {
    await step(action, send);
  } catch (err) {
    return failureReason(err);
  }
  throw new Error('the call did not fail');
};
const cloudTrail = () => new CloudTrailClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials }).send(new LookupEventsCommand({}));
const iam = () => new IAMClient({ endpoint, region: 'us-east-1', maxAttempts: 1, credentials }).send(new ListRolesCommand({}));

describe('gap reasons for answers that are not AWS responses', () => {
  it('says an HTML 500 page is a server error the scan could not read, never "failed with SyntaxError"', async () => {
    answer = { status: 500, type: 'text/html', body: '<html><body><h1>Internal Server Error</h1></body></html>' };
    const json = await reasonOf(cloudTrail, 'cloudtrail:LookupEvents');
    expect(json).toBe(
      'cloudtrail:LookupEvents got a server error, HTTP 500 with an HTML page instead of an AWS response (a proxy or the service failing), after every retry.',
    );
    const xml = await reasonOf(iam, 'iam:ListRoles');
    expect(xml).toMatch(/^iam:ListRoles got a server error, HTTP 500 with an HTML page/);
    for (const r of [json, xml]) expect(r).not.toMatch(/SyntaxError|Unknown|Deserialization/);
  });

  it('says an operation the endpoint does not implement is not implemented', async () => {
    answer = { status: 501, type: 'text/plain', body: 'not implemented' };
    expect(await reasonOf(cloudTrail, 'cloudtrail:LookupEvents')).toBe('the endpoint does not implement cloudtrail:LookupEvents (it answered HTTP 501).');
    answer = {
      status: 400,
      type: 'application/x-amz-json-1.1',
      body: JSON.stringify({ __type: 'NotImplemented', message: 'LookupEvents is not implemented' }),
    };
    expect(await reasonOf(cloudTrail, 'cloudtrail:LookupEvents')).toBe('the endpoint does not implement cloudtrail:LookupEvents (it answered NotImplemented).');
  });

  it('keeps AWS error codes as they are', async () => {
    answer = { status: 400, type: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: 'InvalidLookupAttributesException', message: 'bad' }) };
    expect(await reasonOf(cloudTrail, 'cloudtrail:LookupEvents')).toBe('cloudtrail:LookupEvents failed with InvalidLookupAttributesException.');
  });
});
