/**
 * `/aws-ir evidence` (runbook R6/R7): every snapshot aws-ir took and every configuration it saved
 * before a deletion, with how to restore from them; the snapshots' current state is read from AWS
 * with the remediation identity that made them, when it can be.
 */
import { evidenceManifest, type EvidenceManifest } from '../remediation/evidence-manifest';
import { withSnapshotStates } from '../remediation/evidence-state';
import type { CoreDeps } from './core-deps';

export async function channelEvidence(deps: Pick<CoreDeps, 'services' | 'remediationClients'>, channel: string): Promise<EvidenceManifest> {
  const manifest = await evidenceManifest(deps.services.store, channel, deps.services.clock.now());
  return manifest.snapshots.length ? withSnapshotStates(manifest, deps.remediationClients) : manifest;
}

export function hasEvidence(manifest: EvidenceManifest): boolean {
  return manifest.snapshots.length > 0 || manifest.configurations.length > 0;
}
