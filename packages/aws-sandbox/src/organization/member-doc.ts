/**
 * A member account's scenario document from a template (a shipped scenario or an inline document):
 * the template's account id and access key ids are rewritten for the member (key ids are unique in
 * AWS, so two members built from one template never share a key), its own `organization` section is
 * dropped (the organization scenario says where the account sits), extra events are appended, and
 * aws-ir's member roles are added unless the member is the one whose role is missing.
 */
import { stableId } from '../ids';
import type { Json } from '../scenario/reader';

export interface MemberRoles {
  scan: string;
  remediation: string;
  externalId?: string;
}

type Doc = Record<string, Json>;

const KEY_ID = /\bAKIA[A-Z0-9]{16}\b/g;

export function rewriteForAccount(template: Doc, accountId: string): Doc {
  const from = typeof template.accountId === 'string' ? template.accountId : undefined;
  let text = JSON.stringify(template);
  if (from && from !== accountId) text = text.split(from).join(accountId);
  text = text.replace(KEY_ID, (key) => stableId('AKIA', `${accountId}|${key}`, 16));
  const doc = JSON.parse(text) as Doc;
  doc.accountId = accountId;
  delete doc.organization;
  return doc;
}

/** The trust aws-ir's member roles have: the management account, and the ExternalId when one is set. */
function trustPolicy(managementAccountId: string, externalId: string | undefined): Json {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${managementAccountId}:root` },
        Action: 'sts:AssumeRole',
        ...(externalId ? { Condition: { StringEquals: { 'sts:ExternalId': externalId } } } : {}),
      },
    ],
  };
}

export function withMemberRoles(doc: Doc, roles: MemberRoles, managementAccountId: string): Doc {
  const existing = Array.isArray(doc.roles) ? doc.roles : [];
  const trust = trustPolicy(managementAccountId, roles.externalId);
  const role = (roleName: string, description: string, actions: string[]) => ({
    roleName,
    createDate: '-300d',
    description,
    trustPolicy: trust,
    inlinePolicies: [{ name: `${roleName}-policy`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } }],
  });
  return {
    ...doc,
    roles: [
      ...existing,
      role(roles.scan, 'aws-ir read-only scan role (StackSet)', ['iam:Get*', 'iam:List*', 'cloudtrail:LookupEvents', 'ec2:Describe*']),
      role(roles.remediation, 'aws-ir remediation role (StackSet)', ['iam:UpdateAccessKey', 'iam:PutUserPolicy', 'ec2:ModifyInstanceAttribute']),
    ],
  };
}
