/**
 * Key-use findings name a key by its report slot; its id costs one ListAccessKeys per user. This pass
 * spends that call only where someone will act on the key: users whose key a CloudTrail finding of at
 * least medium names (so correlation can match that key id to a slot), then every key-use finding that
 * correlation left at medium or above. Routine use stays a low line offering `user.deactivate-keys`.
 */
import { resolveAccessKey } from './access-keys';
import { nameKey, noteAmbiguousKey, unresolvedKeySlot } from './checks/credential-report';
import type { CheckContext } from './context';
import { correlateCredentialUse } from './correlate';
import { gapFrom } from './errors';
import type { Finding, Gap } from './model';
import { SEVERITY_RANK } from './signals';

/** As many users at a time as the credential-report check looks up: IAM throttles bursts. */
const USER_CONCURRENCY = 8;

type Ctx = Pick<CheckContext, 'clients' | 'memo'>;

/** Correlates credential use (see correlate.ts) and names the keys that came out of it at medium or above. */
export async function correlateAndResolveKeys(ctx: Ctx, findings: Finding[]): Promise<Gap[]> {
  const gaps: Gap[] = [];
  const failed = new Set<string>();
  const implicatedUsers = new Set<string>();
  for (const f of findings) {
    if (f.check === 'cloudtrail' && SEVERITY_RANK[f.severity] <= SEVERITY_RANK.medium && f.target?.kind === 'access-key') {
      implicatedUsers.add(f.target.userName);
    }
  }
  // Known ids let correlation match a CloudTrail key to its slot; the title stays by slot until raised.
  await resolve(
    ctx,
    findings.filter((f) => implicatedUsers.has(unresolvedKeySlot(f)?.userName ?? '')),
    gaps,
    failed,
    (f, id) => {
      f.evidence = { ...f.evidence, accessKeyId: id };
    },
  );
  correlateCredentialUse(findings);
  await resolve(
    ctx,
    findings.filter((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK.medium),
    gaps,
    failed,
    nameKey,
  );
  return gaps;
}

async function resolve(ctx: Ctx, candidates: Finding[], gaps: Gap[], failed: Set<string>, apply: (f: Finding, id: string) => void): Promise<void> {
  const pending = candidates.filter((f) => unresolvedKeySlot(f));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < pending.length) {
      const f = pending[next++] as Finding;
      const slot = unresolvedKeySlot(f);
      if (!slot) continue;
      // A known id (from the first pass) needs no second look-up.
      const known = typeof f.evidence.accessKeyId === 'string' ? f.evidence.accessKeyId : undefined;
      try {
        if (known) {
          apply(f, known);
          continue;
        }
        const r = await resolveAccessKey(ctx, slot.userName, slot);
        if ('id' in r) apply(f, r.id);
        else if ('ambiguous' in r) noteAmbiguousKey(f, r.ambiguous);
      } catch (err) {
        // The finding keeps its user-level action, which needs no key id; say once per user why.
        // (The memo keeps the failure, so the second pass would fail the same way.)
        if (failed.has(slot.userName)) continue;
        failed.add(slot.userName);
        const g = gapFrom('credential-report', err);
        gaps.push({ ...g, reason: `IAM user ${slot.userName}: ${g.reason}` });
      }
    }
  };
  await Promise.all(Array.from({ length: USER_CONCURRENCY }, worker));
}
