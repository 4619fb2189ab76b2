/**
 * Principals no action may ever target: AWS_IR_PROTECTED_ARNS plus the identities aws-ir itself runs
 * as (found with STS GetCallerIdentity), so it cannot lock itself out in the middle of an incident.
 */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import type { ActionTarget } from './action-ids';

interface ProtectedEntry {
  arn: string;
  type: 'user' | 'role' | 'policy' | 'instance' | 'other';
  name: string;
}

/** arn:aws:iam::123:user/path/name, arn:aws:sts::123:assumed-role/Name/session, … -> kind and name. */
export function parsePrincipalArn(arn: string): ProtectedEntry {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  if (arn.includes(':sts:') && parts[0] === 'assumed-role') return { arn, type: 'role', name: parts[1] ?? '' };
  if (parts[0] === 'user' || parts[0] === 'role') return { arn, type: parts[0], name: parts[parts.length - 1] ?? '' };
  if (parts[0] === 'policy') return { arn, type: 'policy', name: arn };
  if (parts[0] === 'instance') return { arn, type: 'instance', name: parts[1] ?? '' };
  return { arn, type: 'other', name: arn };
}

export class ProtectedPrincipals {
  private identities?: Promise<ProtectedEntry[]>;

  constructor(
    private readonly configured: string[],
    /** The clients of every identity aws-ir uses (scan and remediation). */
    private readonly selves: AwsClients[],
    /** aws-ir's own roles known by ARN without asking STS (its member roles in a member account). */
    private readonly ownArns: string[] = [],
    /** More identities to ask STS about, found when first needed (a member account's remediation session). */
    private readonly moreSelves: () => Promise<AwsClients[]> = async () => [],
  ) {}

  /** The app's own identities; looked up once, retried on the next check if it failed. */
  private ownIdentities(): Promise<ProtectedEntry[]> {
    if (!this.identities) {
      this.identities = this.moreSelves()
        .then((more) =>
          Promise.all(
            [...this.selves, ...more].map(async (c) => {
              const out = await c.sts().send(new GetCallerIdentityCommand({}));
              return out.Arn ? [parsePrincipalArn(out.Arn)] : [];
            }),
          ),
        )
        .then((lists) => lists.flat());
      this.identities.catch(() => {
        this.identities = undefined;
      });
    }
    return this.identities;
  }

  /** The reason `target` is protected, or undefined. Fails closed when aws-ir cannot learn who it is. */
  async reasonProtected(target: ActionTarget): Promise<string | undefined> {
    let own: ProtectedEntry[] = [];
    try {
      own = await this.ownIdentities();
    } catch {
      // Only principals can be aws-ir itself: instances and policies are still checked against the list.
      if (target.kind !== 'instance' && target.kind !== 'policy') {
        return 'aws-ir could not confirm its own AWS identity (STS GetCallerIdentity failed), so it refuses to act on IAM principals until it can.';
      }
    }
    const entries = [
      ...this.configured.map(parsePrincipalArn).map((e) => ({ ...e, why: 'listed in AWS_IR_PROTECTED_ARNS' })),
      ...[...this.ownArns.map(parsePrincipalArn), ...own].map((e) => ({ ...e, why: "aws-ir's own identity" })),
    ];
    for (const e of entries) {
      if ((target.kind === 'user' || target.kind === 'access-key') && e.type === 'user' && e.name === target.userName)
        return `IAM user ${target.userName} is protected (${e.why}).`;
      if (target.kind === 'user' && target.arn && e.arn === target.arn) return `IAM user ${target.userName} is protected (${e.why}).`;
      if (target.kind === 'role' && e.type === 'role' && e.name === target.roleName) return `IAM role ${target.roleName} is protected (${e.why}).`;
      if (target.kind === 'policy' && e.arn === target.policyArn) return `Policy ${target.policyArn} is protected (${e.why}).`;
      if (target.kind === 'instance' && e.type === 'instance' && e.name === target.instanceId)
        return `EC2 instance ${target.instanceId} is protected (${e.why}).`;
    }
    return undefined;
  }
}
