/** Where the catalog's techniques are documented: the public sources each entry cites. */

export const stratus = (id: string): string => `https://stratus-red-team.cloud/attack-techniques/AWS/${id}/`;
export const sigma = (rule: string): string => `https://github.com/SigmaHQ/sigma/blob/master/rules/cloud/aws/cloudtrail/${rule}.yml`;
export const mitre = (id: string): string => `https://attack.mitre.org/techniques/${id.replace('.', '/')}/`;

export const PERMISO_SES = 'https://permiso.io/blog/s/aws-ses-pionage-detecting-ses-abuse/';
export const PERMISO_GUIVIL = 'https://permiso.io/blog/s/unmasking-guivil-new-cloud-threat-actor/';
export const DATADOG_SES = 'https://securitylabs.datadoghq.com/cloud-security-atlas/attacks/using-ses-to-send-spam';
export const DATADOG_TRAIL = 'https://securitylabs.datadoghq.com/articles/following-attackers-trail-in-aws-methodology-and-findings-in-the-wild/';
export const WIZ_SES = 'https://www.wiz.io/blog/wiz-discovers-cloud-email-abuse-campaign';
export const INVICTUS_DANGERDEV = 'https://www.invictus-ir.com/news/the-curious-case-of-dangerdev-protonmail-me';
export const SYSDIG_LLMJACKING = 'https://sysdig.com/blog/llmjacking-stolen-cloud-credentials-used-in-new-ai-attack/';
export const SYSDIG_SCARLETEEL = 'https://sysdig.com/blog/cloud-breach-terraform-data-theft/';
export const AWS_CIRT_CATALOG = 'https://aws-samples.github.io/threat-technique-catalog-for-aws/';
export const AWS_QUARANTINE_POLICY = 'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSCompromisedKeyQuarantineV2.html';
export const AWS_ALTERNATE_CONTACTS = 'https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-update-contact-alternate.html';
export const ELASTIC_ROOT_RECOVERY = 'https://detection.fyi/elastic/detection-rules/integrations/aws/initial_access_password_recovery';
export const ELASTIC_QUOTA_PROBE = 'https://detection.fyi/elastic/detection-rules/integrations/aws/discovery_servicequotas_multi_region_service_quota_requests';
export const ELASTIC_BEDROCK_RECON =
  'https://detection.fyi/elastic/detection-rules/integrations/aws/discovery_bedrock_model_recon_and_invocation_via_long_term_key/';
export const DATADOG_ROOT_RECOVERY = 'https://docs.datadoghq.com/security/default_rules/aws-cloudtrail-password-recovery-suspicious-ip/';
export const MITRE_QUOTA = 'https://attack.mitre.org/detectionstrategies/DET0492';
