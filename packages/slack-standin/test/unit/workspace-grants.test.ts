/**
 * Trigger ids and response URLs on the workspace's own clock (no waiting): Slack's 3-second, single-use
 * trigger ids stay the default; a test can mint one without the window, and the open directory takes
 * ids it never issued, still once each.
 */
import { RESPONSE_URL_MAX_USES, TRIGGER_TTL_MS, Workspace } from '../../src/workspace';

function workspaceAt(start: number): { ws: Workspace; advance(ms: number): void } {
  let now = start;
  return { ws: new Workspace(() => now), advance: (ms) => (now += ms) };
}

it('a trigger id works once within 3 seconds, and is expired after', () => {
  const { ws, advance } = workspaceAt(1_700_000_000_000);
  const fresh = ws.grantTrigger('U0ALICE');
  const late = ws.grantTrigger('U0BOB');
  advance(TRIGGER_TTL_MS);
  expect(ws.useTrigger(fresh)).toEqual({ user: 'U0ALICE' });
  expect(ws.useTrigger(fresh)).toEqual({ error: 'exchanged_trigger_id' });
  advance(1);
  expect(ws.useTrigger(late)).toEqual({ error: 'expired_trigger_id' });
  expect(ws.useTrigger('1.made-up.trigger')).toEqual({ error: 'invalid_trigger_id' });
});

it('a trigger id minted without the window still works an hour later, once', () => {
  const { ws, advance } = workspaceAt(1_700_000_000_000);
  const minted = ws.grantTrigger('U0ALICE', Number.POSITIVE_INFINITY);
  advance(3_600_000);
  expect(ws.useTrigger(minted)).toEqual({ user: 'U0ALICE' });
  expect(ws.useTrigger(minted)).toEqual({ error: 'exchanged_trigger_id' });
});

it('the open directory accepts a trigger id it never issued, once', () => {
  const { ws } = workspaceAt(1_700_000_000_000);
  expect(ws.useTrigger('1.made-up.trigger', true)).toEqual({ user: expect.any(String) });
  expect(ws.useTrigger('1.made-up.trigger', true)).toEqual({ error: 'exchanged_trigger_id' });
});

it("a response URL answers 5 times, and is recorded under the test's label", () => {
  const { ws } = workspaceAt(1_700_000_000_000);
  const id = ws.grantResponseUrl({ kind: 'command', user: 'U0ALICE', channel: 'C0ANY' }, 'cmd');
  expect(ws.responseLabel(id)).toBe('cmd');
  for (let i = 0; i < RESPONSE_URL_MAX_USES; i++) expect(ws.useResponseUrl(id)).toMatchObject({ kind: 'command' });
  expect(ws.useResponseUrl(id)).toEqual({ error: 'used_url' });
  expect(ws.responseLabel('not-minted')).toBe('not-minted');
});
