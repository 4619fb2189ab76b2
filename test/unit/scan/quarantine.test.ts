import { GetAccountAuthorizationDetailsCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { quarantineCheck } from '../../../src/scan/checks/quarantine';
import { ACCOUNT, testContext } from './helpers';

const iam = mockClient(IAMClient);
beforeEach(() => iam.reset());

const user = (name: string, attached: [string, string][] = [], inline: string[] = []) => ({
  UserName: name,
  Arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
  AttachedManagedPolicies: attached.map(([n, arn]) => ({ PolicyName: n, PolicyArn: arn })),
  UserPolicyList: inline.map((n) => ({ PolicyName: n, PolicyDocument: '%7B%7D' })),
});

describe('quarantine check', () => {
  it('finds every version of the quarantine policy and the legacy inline one, across pages', async () => {
    iam
      .on(GetAccountAuthorizationDetailsCommand, { Filter: ['User'], Marker: undefined })
      .resolves({
        IsTruncated: true,
        Marker: 'page2',
        UserDetailList: [
          user('ci-deploy', [['AWSCompromisedKeyQuarantineV2', 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2']]),
          user('fine', [['ReadOnlyAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess']]),
        ],
      })
      .on(GetAccountAuthorizationDetailsCommand, { Filter: ['User'], Marker: 'page2' })
      .resolves({
        IsTruncated: false,
        UserDetailList: [
          user('old', [], ['AWSExposedCredentialPolicy_DO_NOT_REMOVE']),
          user('future', [['AWSCompromisedKeyQuarantineV5', 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV5']]),
          // A customer policy that merely borrows the name is not AWS's quarantine.
          user('lookalike', [['AWSCompromisedKeyQuarantine', `arn:aws:iam::${ACCOUNT}:policy/AWSCompromisedKeyQuarantine`]]),
        ],
      });
    const { findings } = await quarantineCheck(testContext());
    expect(iam.commandCalls(GetAccountAuthorizationDetailsCommand)).toHaveLength(2);
    expect(findings.map((f) => (f.target && f.target.kind === 'user' ? f.target.userName : undefined)).sort()).toEqual(['ci-deploy', 'future', 'old']);
    for (const f of findings) expect(f).toMatchObject({ severity: 'critical', step: 'R2', actions: ['user.deactivate-keys'] });
    expect(findings.find((f) => f.title.includes('old'))?.evidence.policies).toEqual(['AWSExposedCredentialPolicy_DO_NOT_REMOVE (inline)']);
  });

  it('says plainly when the scanning identity itself is quarantined', async () => {
    iam.on(GetAccountAuthorizationDetailsCommand).resolves({
      UserDetailList: [user('scanner', [['AWSCompromisedKeyQuarantineV4', 'arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV4']])],
    });
    const { findings } = await quarantineCheck(testContext());
    const self = findings.find((f) => f.title.includes('identity running this scan'));
    expect(self?.severity).toBe('critical');
    expect(self?.title).toMatch(/event-history lookups will be denied/);
  });
});
