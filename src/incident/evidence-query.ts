/**
 * `/aws-ir evidence` (runbook R6/R7): every snapshot aws-ir took and every configuration it saved
 * before a deletion, with how to restore from them; the snapshots' current state is read from AWS
 * with the remediation identity that made them, when it can be (a member account's snapshots through
 * that member's remediation role).
 */
import { evidenceManifest, type EvidenceManifest } from '../remediation/evidence-manifest';
import { withSnapshotStates } from '../remediation/evidence-state';
import type { CoreDeps } from './core-deps';

export async function channelEvidence(deps: Pick<CoreDeps, 'services' | 'remediationClients' | 'accounts'>, channel: string): Promise<EvidenceManifest> {
  const { store } = deps.services;
  const manifest = await evidenceManifest(store, channel, deps.services.clock.now());
  if (!manifest.snapshots.length) return manifest;
  // Snapshots are grouped by the identity that can read them: aws-ir's own, or a member account's role.
  const members = new Set<string>();
  for (const id of new Set(manifest.snapshots.map((s) => s.requestId))) {
    const request = await store.getRequest(id);
    if (request?.memberAccount) members.add(request.account);
  }
  const own = await withSnapshotStates({ ...manifest, snapshots: manifest.snapshots.filter((s) => !members.has(s.account)) }, deps.remediationClients);
  const states = new Map(own.snapshots.map((s) => [s.snapshotId, s.currentState]));
  for (const account of members) {
    const inAccount = { ...manifest, snapshots: manifest.snapshots.filter((s) => s.account === account) };
    try {
      const read = await withSnapshotStates(inAccount, await deps.accounts.remediationClients({ account, memberAccount: true }));
      for (const s of read.snapshots) states.set(s.snapshotId, s.currentState);
    } catch {
      for (const s of inAccount.snapshots) states.set(s.snapshotId, `not read: aws-ir could not assume its remediation role in account ${account}`);
    }
  }
  return { ...manifest, snapshots: manifest.snapshots.map((s) => ({ ...s, currentState: states.get(s.snapshotId) ?? 'not read' })) };
}

export function hasEvidence(manifest: EvidenceManifest): boolean {
  return manifest.snapshots.length > 0 || manifest.configurations.length > 0;
}
