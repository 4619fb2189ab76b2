import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox({ scenario: 'clean' });
});
afterAll(() => sb.close());

test('smoke', async () => {
  const cfg = { endpoint: sb.endpoint, region: 'us-east-1', credentials: sb.adminCredentials, maxAttempts: 1 };
  const id = await new STSClient(cfg).send(new GetCallerIdentityCommand({}));
  expect(id.Account).toBe('210987654321');
  const e1 = await new IAMClient(cfg).send(new ListUsersCommand({})).catch((e: unknown) => e);
  expect((e1 as Error).name).toBe('InvalidAction');
});
