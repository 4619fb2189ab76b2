/** The organization sweep's settings from the environment: documented defaults, and one sentence per mistake. */
import { ConfigError, loadCoreConfig, ORG_DEFAULTS, orgSettings } from '../../../src/config';

describe('organization settings', () => {
  it('default to the documented role names, 8 accounts at a time and 60 minutes of resuming', () => {
    const config = loadCoreConfig({});
    expect(config.org).toEqual({ memberRoleName: 'aws-ir-scan', memberRemediationRoleName: 'aws-ir-remediate', concurrency: 8, resumeMinutes: 60 });
    expect(orgSettings({})).toEqual(ORG_DEFAULTS);
    expect(config.remediation.dryRunAccounts).toEqual([]);
  });

  it('reads every variable', () => {
    const config = loadCoreConfig({
      AWS_IR_MEMBER_ROLE_NAME: 'OrgReader',
      AWS_IR_MEMBER_REMEDIATION_ROLE_NAME: 'OrgResponder',
      AWS_IR_MEMBER_EXTERNAL_ID: 'acme-ir-2026',
      AWS_IR_ORG_CONCURRENCY: '4',
      AWS_IR_ORG_RESUME_MINUTES: '0',
      AWS_IR_DRY_RUN_ACCOUNTS: '111122223333, 444455556666',
    });
    expect(config.org).toEqual({
      memberRoleName: 'OrgReader',
      memberRemediationRoleName: 'OrgResponder',
      externalId: 'acme-ir-2026',
      concurrency: 4,
      resumeMinutes: 0,
    });
    expect(config.remediation.dryRunAccounts).toEqual(['111122223333', '444455556666']);
  });

  it('reports each mistake as one sentence', () => {
    let problems: string[] = [];
    try {
      loadCoreConfig({ AWS_IR_MEMBER_ROLE_NAME: 'no spaces', AWS_IR_ORG_CONCURRENCY: '0', AWS_IR_DRY_RUN_ACCOUNTS: '123', AWS_IR_MEMBER_EXTERNAL_ID: 'x' });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems = err.problems;
    }
    expect(problems).toEqual([
      'AWS_IR_DRY_RUN_ACCOUNTS entry "123" is not a 12-digit AWS account id.',
      'AWS_IR_MEMBER_EXTERNAL_ID must be 2 to 1224 letters, digits or +=,.@:/- characters.',
      'AWS_IR_MEMBER_ROLE_NAME must be an IAM role name such as aws-ir-scan (got "no spaces").',
      'AWS_IR_ORG_CONCURRENCY must be a whole number from 1 to 32 (got "0").',
    ]);
  });
});
