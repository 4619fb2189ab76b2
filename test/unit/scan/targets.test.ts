import { remediationTargetFromConfig, scanTargetFromConfig } from '../../../src/aws/targets';
import { loadConfig } from '../../../src/config';

describe('AWS targets from configuration', () => {
  it('uses the default credential chain and AWS_REGION, and never sets an endpoint', () => {
    const t = scanTargetFromConfig(loadConfig({ AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }));
    expect(t).toEqual({ key: 'default-chain', region: 'eu-west-1' });
    expect(t.endpoint).toBeUndefined();
    expect(t.credentials).toBeUndefined();
  });

  it('assumes AWS_IR_SCAN_ROLE_ARN / AWS_IR_REMEDIATION_ROLE_ARN, keyed by their account', () => {
    const config = loadConfig({
      AWS_REGION: 'us-east-1',
      AWS_IR_SCAN_ROLE_ARN: 'arn:aws:iam::111122223333:role/aws-ir-scan',
      AWS_IR_REMEDIATION_ROLE_ARN: 'arn:aws:iam::111122223333:role/aws-ir-remediate',
    });
    const scan = scanTargetFromConfig(config);
    const fix = remediationTargetFromConfig(config);
    expect(scan.key).toBe('111122223333');
    expect(typeof scan.credentials).toBe('function');
    expect(fix.credentials).not.toBe(scan.credentials);
    expect(scan.endpoint).toBeUndefined();
  });
});
