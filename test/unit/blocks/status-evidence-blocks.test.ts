/**
 * Blocks of `/aws-ir status` and `/aws-ir evidence` stay within Block Kit limits however long or
 * numerous their contents, say plainly what aws-ir does not do (verify attestations, restore), and
 * give each open item a uniquely numbered "Mark done" button carrying only the item id.
 */
import type { KnownBlock } from '@slack/types';
import { evidenceGroups } from '../../../src/blocks/evidence';
import { packMessages } from '../../../src/blocks/limits';
import { expectWithinBlockKitLimits } from '../../support/block-kit';
import { closedItemBlock, openItemBlock } from '../../../src/blocks/open-item';
import { checklistChangesText, statusGroups, type IncidentStatus } from '../../../src/blocks/status';
import type { EvidenceManifest } from '../../../src/remediation/evidence-manifest';
import { NO_AUTOMATIC_RESTORE, RESTORE_GUIDANCE, snapshotRestoreGuidance } from '../../../src/remediation/restore-guidance';
import { ACTION, openItemBlockId } from '../../../src/slack-ids';
import type { OpenItem } from '../../../src/store/store';
import { pendingRequest } from '../remediation/helpers';

function item(n: number, overrides: Partial<OpenItem> = {}): OpenItem {
  return {
    id: `item_${n}`,
    channel: 'C1',
    key: `finding:${n}`,
    step: 'R1',
    title: `Root access key ${n} <script> & more`,
    guidance: 'Sign in as the root user. '.repeat(200),
    verifiedBy: n % 2 ? 'scan' : 'person',
    source: {},
    status: 'open',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** Every message the groups become is within limits, and action ids are unique in each. */
function expectPackedWithinLimits(groups: KnownBlock[][]): KnownBlock[][] {
  const messages = packMessages(groups);
  for (const blocks of messages) {
    expectWithinBlockKitLimits(blocks, 'text');
    const ids = JSON.stringify(blocks).match(/"action_id":"[^"]+"/g) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
  }
  return messages;
}

describe('status blocks', () => {
  const status = (overrides: Partial<IncidentStatus> = {}): IncidentStatus => ({
    pending: [],
    interrupted: [],
    unreviewed: [],
    open: [],
    closed: [],
    ...overrides,
  });

  it('an open item has a Mark done button with a confirm that says aws-ir does not check AWS', () => {
    const scanItem = openItemBlock(item(1), 3);
    const personItem = openItemBlock(item(2), 4);
    expectWithinBlockKitLimits([scanItem, personItem], 'x');
    expect(scanItem.block_id).toBe(openItemBlockId('item_1'));
    expect(scanItem.accessory).toMatchObject({ type: 'button', action_id: `${ACTION.markItemDone}:3`, value: JSON.stringify({ itemId: 'item_1' }) });
    expect(JSON.stringify(scanItem)).toContain('the next scan re-reads it');
    expect(JSON.stringify(personItem)).toContain('it is your word');
    // Values from AWS or findings cannot become mentions or links.
    expect(JSON.stringify(scanItem)).toContain('&lt;script&gt; &amp; more');
  });

  it("a closed item says who closed it and that aws-ir did not verify a person's word", () => {
    const done = closedItemBlock(
      item(2, { status: 'done', closedBy: 'U0BOB', closedAt: '2026-01-01T01:00:00.000Z', note: 'aws-ir did not verify this in AWS; it is a person’s word.' }),
    );
    expect(done.block_id).toBe(openItemBlockId('item_2'));
    expect(JSON.stringify(done)).toMatch(/marked done by <@U0BOB> on 2026-01-01 01:00 UTC\. aws-ir did not verify this in AWS/);
    expect(JSON.stringify(closedItemBlock(item(1, { status: 'verified', note: 'Verified by scan: the scan of x no longer shows it.' })))).toContain(
      'Verified by scan',
    );
  });

  it('lists pending and interrupted requests and 120 open items in messages within limits', () => {
    const messages = expectPackedWithinLimits(
      statusGroups(
        status({
          pending: Array.from({ length: 30 }, (_, i) => pendingRequest({ id: `req-${i}` })),
          interrupted: [pendingRequest({ id: 'req-int', status: 'interrupted', decidedBy: 'U2' })],
          open: Array.from({ length: 120 }, (_, i) => item(i)),
          closed: Array.from({ length: 40 }, (_, i) => item(1000 + i, { status: 'done', closedBy: 'U2', closedAt: '2026-01-01T01:00:00.000Z' })),
        }),
      ),
    );
    expect(messages.length).toBeGreaterThan(3);
    const text = JSON.stringify(messages);
    expect(text).toContain('Waiting for a second responder');
    expect(text).toContain('req-29');
    expect(text).toContain('check the resource in AWS by hand');
    expect(text).toContain('approved by <@U2>');
    expect(text.match(/aws_ir\.item_done:/g)).toHaveLength(120);
  });

  it('says nothing is waiting when nothing is', () => {
    expect(JSON.stringify(statusGroups(status()))).toContain('Nothing is waiting');
  });

  it('the after-scan line names what the scan changed, and nothing when it changed nothing', () => {
    expect(checklistChangesText({ opened: [], verified: [], reopened: [] })).toBeUndefined();
    const text = checklistChangesText({ opened: [item(1)], verified: [item(2)], reopened: [] })!;
    expect(text).toMatch(/1 new open item .*1 item closed because this scan no longer shows it/);
    expect(text).toContain('/aws-ir status');
  });
});

describe('evidence blocks', () => {
  function manifest(snapshots: number, configurations: number): EvidenceManifest {
    return {
      channel: 'C1',
      generatedAt: '2026-01-02T00:00:00.000Z',
      note: NO_AUTOMATIC_RESTORE,
      snapshots: Array.from({ length: snapshots }, (_, i) => ({
        snapshotId: `snap-${i}`,
        volumeId: `vol-${i}`,
        device: '/dev/xvda',
        instanceId: 'i-0bad',
        region: 'sa-east-1',
        account: '111122223333',
        requestId: 'req-snap',
        awsRequestId: 'aws-rid',
        requestedBy: 'U1',
        approvedBy: 'U2',
        takenAt: '2026-01-01T00:05:00.000Z',
        restore: snapshotRestoreGuidance(`snap-${i}`, 'sa-east-1'),
        currentState: 'completed',
      })),
      configurations: Array.from({ length: configurations }, (_, i) => ({
        kind: 'role' as const,
        resource: `IAM role r${i}`,
        what: 'configuration',
        requestId: 'req-del',
        action: 'role.delete',
        requestedBy: 'U1',
        approvedBy: 'U2',
        deletion: 'succeeded',
        savedAt: '2026-01-01T00:07:00.000Z',
        restore: RESTORE_GUIDANCE.role,
        configuration: { role: { assumeRolePolicyDocument: '```'.repeat(2000) } },
      })),
    };
  }

  it('shows every snapshot and saved configuration with people, state and restore guidance, within limits', () => {
    const messages = expectPackedWithinLimits(evidenceGroups(manifest(70, 30)));
    const text = JSON.stringify(messages);
    expect(text).toContain('aws-ir does not restore anything automatically');
    expect(text).toContain('snap-69');
    expect(text).toContain('asked by <@U1>, approved by <@U2>');
    expect(text).toContain('Current state: *completed*');
    expect(text).toContain('create-volume --snapshot-id snap-0');
    expect(text).toContain('IAM role r29');
    expect(text).toContain('Re-create the role with the saved trust policy');
  });
});
