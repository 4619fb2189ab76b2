/**
 * The incident core: every workflow of an incident, UI-free, with typed inputs and results. The Slack
 * listeners (handlers/), the command line (cli/) and local mode (local/) build one with their own
 * ports (how to reach Slack's directory, how to announce), then only parse, call and render.
 */
import { clientsFor } from '../aws/clients';
import type { MarkDoneResult } from '../checklist/checklist';
import type { IncidentRecord } from '../remediation/audit-record';
import type { EvidenceManifest } from '../remediation/evidence-manifest';
import { ProtectedPrincipals } from '../remediation/protected';
import { ResponderPolicy, type SlackDirectory } from '../remediation/responders';
import type { LastAccessedSummary } from '../scan/checks/last-accessed';
import type { Finding, ScanResult } from '../scan/model';
import type { PrincipalActivity } from '../scan/trail';
import type { CoreServices } from '../services';
import type { ActionRequest, ScanRecord } from '../store/model';
import { accountAccess } from './account-access';
import type { ActionId } from '../remediation/action-ids';
import { approvalPolicy, approvalProgress, breakGlassAllowed } from './approval-policy';
import { channelRecord } from './audit-query';
import { randomIds, type CoreDeps } from './core-deps';
import { approve, breakGlass, reject, review, setRequestMessage, type ApproveInput, type BreakGlassInput } from './decide-request';
import type { Decision } from './decision';
import { channelEvidence } from './evidence-query';
import { investigateTarget, lastAccessed, type InvestigateTarget } from './investigate-identity';
import { engineLookups, type Lookups } from './lookups';
import { markItemDone } from './mark-item-done';
import { SWEEP_LEASE, whileHoldingLease } from './one-process-at-a-time';
import { silentAnnouncer, type Announcer, type ScanPublisher, type SweepPublisher } from './ports';
import { announceInterrupted, recoverExecutions, recoverScans } from './recover-interrupted';
import { offeredAction, requestFromFinding, requestUndo, undoable, type FindingActionInput, type UndoCheck, type UndoInput } from './request-action';
import { channelTargets, type TargetState } from './scan-progress';
import { startScan, type StartScanInput, type StartScanOutcome } from './start-scan';
import { startSweep, type StartSweepInput, type StartSweepOutcome } from './start-sweep';
import { incidentStatus, incidentThread, type IncidentStatus } from './status-query';
import { sweepExpired } from './sweep-expired';
import { incidentTimeline, type IncidentTimeline } from './timeline-query';
import { principalTrail, type TrailQuery } from './trail-query';

export interface CorePorts {
  /** Who someone is in Slack (responder checks); without it nobody may request or approve. */
  directory?: SlackDirectory;
  announcer?: Announcer;
  lookups?: Partial<Lookups>;
  newId?: CoreDeps['newId'];
}

export interface SweepReport {
  /** False when another process held the sweep (it ran there; nothing was done here). */
  ran: boolean;
  expired: ActionRequest[];
  interruptedScans: ScanRecord[];
  interruptedRequests: ActionRequest[];
  announced: ActionRequest[];
}

export interface IncidentCore {
  readonly services: CoreServices;
  startScan(input: StartScanInput, publisher: ScanPublisher): Promise<StartScanOutcome>;
  /** An organization sweep: every member account scanned through its member role (org/). */
  startSweep(input: StartSweepInput, publisher: SweepPublisher): Promise<StartSweepOutcome>;
  /** The finding a request button points at, if it still offers that action (for the reason form). */
  offeredAction: (input: { scanId: string; findingId: string; action: string }) => ReturnType<typeof offeredAction>;
  requestFromFinding(input: FindingActionInput): Promise<Decision>;
  /** Whether a request can be undone now (before its Undo form opens); a refusal is recorded. */
  undoable(input: { requestId: string; userId: string }): Promise<UndoCheck>;
  requestUndo(input: UndoInput): Promise<Decision>;
  getRequest(id: string): Promise<ActionRequest | undefined>;
  approve(input: ApproveInput): Promise<Decision>;
  reject(input: { requestId: string; userId: string }): Promise<Decision>;
  /** One responder runs a containment action alone (when AWS_IR_BREAK_GLASS is on). */
  breakGlass(input: BreakGlassInput): Promise<Decision>;
  /** A second responder reviewed a break-glass run. */
  review(input: { requestId: string; userId: string }): Promise<Decision>;
  /** Whether this request may be run by one responder alone here (the form offers it only then). */
  breakGlassOffered(action: ActionId): boolean;
  /** Where a pending request's approvals stand now: needed, counted, lapsed (execution TTL). */
  approvalProgress(request: ActionRequest): ReturnType<typeof approvalProgress>;
  setRequestMessage(requestId: string, messageTs: string): Promise<void>;
  /**
   * Expires overdue requests and takes over work whose process is gone; announces each once. One
   * process at a time sweeps (a lease in the store); the others skip.
   */
  sweep(): Promise<SweepReport>;
  status(channel: string): Promise<IncidentStatus>;
  /** The thread a channel's answers go to (its latest scan's), if any. */
  thread(channel: string): Promise<string | undefined>;
  evidence(channel: string): Promise<EvidenceManifest>;
  record(channel: string | undefined): Promise<IncidentRecord>;
  trail(query: TrailQuery): Promise<PrincipalActivity>;
  investigateTarget(ref: { scanId: string; findingId: string }): Promise<InvestigateTarget>;
  /** `memberAccount`: the identity is in that member account of a sweep (read through its member role). */
  lastAccessed(arn: string, memberAccount?: string): Promise<LastAccessedSummary>;
  markItemDone(input: { itemId: string; userId: string; channel?: string }): Promise<MarkDoneResult>;
  /** A stored finding of a scan (the More view), if the scan and finding are still there. */
  finding(ref: { scanId: string; findingId: string }): Promise<Finding | undefined>;
  /** A scan's result with the channel's per-target action states (to render its do-first plan as it stands). */
  planState(scanId: string): Promise<{ result: ScanResult; targets: Record<string, TargetState> } | undefined>;
  /** The incident in order: the attacker's events (stories) and the team's (audit). */
  timeline(channel: string): Promise<IncidentTimeline>;
}

const NO_DIRECTORY: SlackDirectory = {
  userInfo: () => Promise.reject(new Error('no Slack directory on this surface')),
  userGroupMembers: () => Promise.reject(new Error('no Slack directory on this surface')),
};

export function createIncidentCore(services: CoreServices, ports: CorePorts = {}): IncidentCore {
  const remediationClients = clientsFor(services.remediationTarget);
  const protection = new ProtectedPrincipals(services.config.remediation.protectedArns, [clientsFor(services.scanTarget), remediationClients]);
  const deps: CoreDeps = {
    services,
    responders: new ResponderPolicy(services.config.remediation.responders, ports.directory ?? NO_DIRECTORY, () => services.clock.now()),
    protection,
    remediationClients,
    accounts: accountAccess(services, { remediation: remediationClients, protection }),
    announcer: ports.announcer ?? silentAnnouncer,
    newId: ports.newId ?? randomIds,
  };
  const lookups: Lookups = { ...engineLookups, ...ports.lookups };
  const withLookups = { ...deps, lookups };
  return {
    services,
    startScan: (input, publisher) => startScan(deps, input, publisher),
    startSweep: (input, publisher) => startSweep(deps, input, publisher),
    offeredAction: (input) => offeredAction(deps, input),
    requestFromFinding: (input) => requestFromFinding(deps, input),
    undoable: (input) => undoable(deps, input),
    requestUndo: (input) => requestUndo(deps, input),
    getRequest: (id) => services.store.getRequest(id),
    approve: (input) => approve(deps, input),
    reject: (input) => reject(deps, input),
    breakGlass: (input) => breakGlass(deps, input),
    review: (input) => review(deps, input),
    breakGlassOffered: (action) => breakGlassAllowed(approvalPolicy(services.config.remediation), action),
    approvalProgress: (request) => approvalProgress(approvalPolicy(services.config.remediation), request, services.clock.now()),
    setRequestMessage: (requestId, ts) => setRequestMessage(deps, requestId, ts),
    async sweep() {
      const report = await whileHoldingLease(deps, SWEEP_LEASE, async () => {
        const expired = await sweepExpired(deps);
        const interruptedScans = await recoverScans(deps);
        const interruptedRequests = await recoverExecutions(deps);
        const announced = await announceInterrupted(deps);
        return { ran: true, expired, interruptedScans, interruptedRequests, announced };
      });
      return report ?? { ran: false, expired: [], interruptedScans: [], interruptedRequests: [], announced: [] };
    },
    status: (channel) => incidentStatus(deps, channel),
    thread: (channel) => incidentThread(deps, channel),
    evidence: (channel) => channelEvidence(deps, channel),
    record: (channel) => channelRecord(deps, channel),
    trail: (query) => principalTrail(withLookups, query),
    investigateTarget: (ref) => investigateTarget(deps, ref),
    lastAccessed: (arn, memberAccount) => lastAccessed(withLookups, arn, memberAccount),
    markItemDone: (input) => markItemDone(deps, input),
    timeline: (channel) => incidentTimeline(deps, channel),
    async planState(scanId) {
      const scan = await services.store.getScan(scanId);
      return scan?.result ? { result: scan.result, targets: await channelTargets(deps, scan.channel) } : undefined;
    },
    finding: async ({ scanId, findingId }) => (await services.store.getScan(scanId))?.result?.findings.find((f) => f.id === findingId),
  };
}
