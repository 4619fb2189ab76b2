/**
 * The AWS identities aws-ir works as, built from configuration: the SDK's default credential chain and
 * AWS_REGION, or a role assumed from it (AWS_IR_SCAN_ROLE_ARN / AWS_IR_REMEDIATION_ROLE_ARN). No endpoint
 * is ever set here: AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> are read by the SDK itself.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { CoreConfig } from '../config';
import type { AwsAccountTarget } from './account';

const SESSION_SECONDS = 3600;

function targetFor(config: CoreConfig, roleArn: string | undefined, sessionName: string): AwsAccountTarget {
  const region = config.aws.region;
  if (!roleArn) return { key: 'default-chain', region };
  const account = /^arn:aws[a-z-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
  return {
    key: account ?? roleArn,
    region,
    credentials: fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: sessionName, DurationSeconds: SESSION_SECONDS },
      clientConfig: { region },
    }),
  };
}

/** Read-only identity for scans. */
export function scanTargetFromConfig(config: CoreConfig): AwsAccountTarget {
  return targetFor(config, config.aws.scanRoleArn, 'aws-ir-scan');
}

/** Identity for approved writes. */
export function remediationTargetFromConfig(config: CoreConfig): AwsAccountTarget {
  return targetFor(config, config.aws.remediationRoleArn, 'aws-ir-remediation');
}
