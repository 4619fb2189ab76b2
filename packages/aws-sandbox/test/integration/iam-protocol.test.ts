import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  GenerateCredentialReportCommand,
  GetAccessKeyLastUsedCommand,
  GetCredentialReportCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListPoliciesCommand,
  ListUsersCommand,
  RemoveUserFromGroupCommand,
  UpdateAccessKeyCommand,
  paginateListUsers,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox, type RunningSandbox } from '../../src';
import { clientConfig, failure } from './support';

let sb: RunningSandbox;
let iam: IAMClient;

beforeAll(async () => {
  sb = await startSandbox({ onInternalError: () => undefined });
  iam = new IAMClient(clientConfig(sb));
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

describe('IAM over the query protocol, through the real SDK', () => {
  test('ListUsers pages with Marker/MaxItems and the SDK paginator walks every page', async () => {
    const first = await iam.send(new ListUsersCommand({ MaxItems: 2 }));
    expect(first.Users).toHaveLength(2);
    expect(first.IsTruncated).toBe(true);
    expect(first.Marker).toBeTruthy();
    expect(first.Users![0]!.CreateDate).toBeInstanceOf(Date);

    const names: string[] = [];
    for await (const page of paginateListUsers({ client: iam, pageSize: 2 }, {})) names.push(...(page.Users ?? []).map((u) => u.UserName!));
    expect(names).toEqual(sb.state.users.map((u) => u.userName));
    expect(names).toContain('svc-backup');
  });

  test('a missing user is NoSuchEntityException with status 404', async () => {
    const err = await failure(iam.send(new GetUserCommand({ UserName: 'nobody' })));
    expect(err.name).toBe('NoSuchEntityException');
    expect(err.message).toBe('The user with name nobody cannot be found.');
    expect(err.$metadata?.httpStatusCode).toBe(404);
    expect(err.$metadata?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('DeleteUser is a DeleteConflict while the user still has dependents', async () => {
    const err = await failure(iam.send(new DeleteUserCommand({ UserName: 'svc-backup' })));
    expect(err.name).toBe('DeleteConflictException');
    expect(err.$metadata?.httpStatusCode).toBe(409);
    expect(sb.state.users.some((u) => u.userName === 'svc-backup')).toBe(true);
  });

  test('a third access key is LimitExceeded; the second is created and recorded in CloudTrail without its secret', async () => {
    const created = await iam.send(new CreateAccessKeyCommand({ UserName: 'svc-backup' }));
    expect(created.AccessKey?.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(created.AccessKey?.SecretAccessKey).toHaveLength(40);
    const err = await failure(iam.send(new CreateAccessKeyCommand({ UserName: 'svc-backup' })));
    expect(err.name).toBe('LimitExceededException');
    expect(err.message).toBe('Cannot exceed quota for AccessKeysPerUser: 2');

    const mine = sb.state.events.filter((e) => e.eventName === 'CreateAccessKey' && e.userName === 'sandbox-admin');
    expect(mine).toHaveLength(2);
    const [event, failed] = mine as [(typeof mine)[number], (typeof mine)[number]];
    expect(event.region).toBe('us-east-1');
    expect(event.eventSource).toBe('iam.amazonaws.com');
    expect(event.userName).toBe('sandbox-admin');
    expect(JSON.stringify(event.record)).not.toContain(created.AccessKey!.SecretAccessKey!);
    expect(event.record.responseElements).toMatchObject({ accessKey: { accessKeyId: created.AccessKey!.AccessKeyId } });
    expect(event.record.errorCode).toBeUndefined();
    // The failed third attempt is recorded too, with its error code, as CloudTrail does.
    expect(failed.record.errorCode).toBe('LimitExceeded');
  });

  test('an Inactive key is rejected as AWS rejects it; using an active key updates its last-used data', async () => {
    const alice = sb.state.users.find((u) => u.userName === 'alice')!.accessKeys[0]!;
    const asAlice = new STSClient(
      clientConfig(sb, { region: 'eu-west-2', credentials: { accessKeyId: alice.accessKeyId, secretAccessKey: alice.secretAccessKey } }),
    );
    const who = await asAlice.send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:iam::111122223333:user/alice');
    expect(alice.lastUsedRegion).toBe('eu-west-2');
    expect(alice.lastUsedService).toBe('sts');
    expect(Date.now() - alice.lastUsedDate!.getTime()).toBeLessThan(5000);
    const lastUsed = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: alice.accessKeyId }));
    expect(lastUsed.AccessKeyLastUsed).toMatchObject({ Region: 'eu-west-2', ServiceName: 'sts' });

    await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Inactive' }));
    const err = await failure(asAlice.send(new GetCallerIdentityCommand({})));
    expect(err.name).toBe('InvalidClientTokenId');
    expect(err.message).toBe('The security token included in the request is invalid.');
    expect(err.$metadata?.httpStatusCode).toBe(403);
  });

  test('credential report: ReportNotPresent, STARTED, ReportInProgress, COMPLETE, then the 22-column CSV with the root row', async () => {
    const absent = await failure(iam.send(new GetCredentialReportCommand({})));
    expect(absent.name).toBe('CredentialReportNotPresentException');
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('STARTED');
    const early = await failure(iam.send(new GetCredentialReportCommand({})));
    expect(early.name).toBe('CredentialReportNotReadyException');
    expect((await iam.send(new GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const report = await iam.send(new GetCredentialReportCommand({}));
    expect(report.ReportFormat).toBe('text/csv');
    const lines = Buffer.from(report.Content!).toString('utf8').split('\n');
    const header = lines[0]!.split(',');
    expect(header).toHaveLength(22);
    expect(header.slice(0, 4)).toEqual(['user', 'arn', 'user_creation_time', 'password_enabled']);
    expect(header[21]).toBe('cert_2_last_rotated');
    const root = lines[1]!.split(',');
    expect(root[0]).toBe('<root_account>');
    expect(root[3]).toBe('not_supported');
    expect(root[7]).toBe('true');
    const ci = lines.find((l) => l.startsWith('ci-deploy,'))!.split(',');
    expect(ci).toHaveLength(22);
    expect(ci[3]).toBe('false'); // no console password
    expect(ci[4]).toBe('N/A');
    expect(ci[8]).toBe('true');
    expect(ci[11]).toBe('ca-central-1');
    expect(ci[12]).toBe('ec2');
    expect(ci[13]).toBe('false');
    const carol = lines.find((l) => l.startsWith('carol,'))!.split(',');
    expect(carol[7]).toBe('false'); // console user without MFA
    expect(carol[10]).toBe('N/A'); // key never used
  });

  test('policy documents are URL-encoded as IAM returns them; ListPolicies honours Scope', async () => {
    const doc = await iam.send(new GetRolePolicyCommand({ RoleName: 'deploy-runner', PolicyName: 'deploy' }));
    expect(JSON.parse(decodeURIComponent(doc.PolicyDocument!))).toMatchObject({ Statement: [{ Effect: 'Allow' }] });
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies!.map((p) => p.PolicyName)).toEqual(['ci-deploy-artifacts']);
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS', OnlyAttached: true }));
    expect(aws.Policies!.map((p) => p.PolicyName).sort()).toEqual(['AWSCompromisedKeyQuarantineV2', 'AdministratorAccess', 'ReadOnlyAccess']);
  });

  test('DeleteUser names the next dependent until none is left, then deletes and records the deletion', async () => {
    const key = sb.state.users.find((u) => u.userName === 'carol')!.accessKeys[0]!;
    const first = await failure(iam.send(new DeleteUserCommand({ UserName: 'carol' })));
    expect(first.message).toBe('Cannot delete entity, must delete login profile first.');
    await iam.send(new DeleteLoginProfileCommand({ UserName: 'carol' }));
    const second = await failure(iam.send(new DeleteUserCommand({ UserName: 'carol' })));
    expect(second.message).toBe('Cannot delete entity, must delete access keys first.');
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: key.accessKeyId }));
    const third = await failure(iam.send(new DeleteUserCommand({ UserName: 'carol' })));
    expect(third.message).toBe('Cannot delete entity, must remove users from group first.');
    await iam.send(new RemoveUserFromGroupCommand({ UserName: 'carol', GroupName: 'developers' }));
    await iam.send(new DeleteUserCommand({ UserName: 'carol' }));
    expect(sb.state.users.some((u) => u.userName === 'carol')).toBe(false);
    const deleted = sb.state.events.find((e) => e.eventName === 'DeleteUser' && !e.record.errorCode)!;
    expect(deleted.resources).toEqual([{ resourceType: 'AWS::IAM::User', resourceName: 'carol' }]);
    expect(deleted.record.requestParameters).toEqual({ userName: 'carol' });
  });

  test('reset() restores the scenario in place', async () => {
    const state = sb.state;
    await iam.send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: 'AKIACAROL00000000001' }));
    expect(state.users.find((u) => u.userName === 'carol')!.accessKeys).toHaveLength(0);
    sb.reset();
    expect(sb.state).toBe(state);
    expect(state.users.find((u) => u.userName === 'carol')!.accessKeys).toHaveLength(1);
  });
});
