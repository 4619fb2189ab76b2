/**
 * Deletions remove many dependents one write at a time; each write that finds its object already
 * gone counts as done, so a deletion that stopped halfway resumes. The log says what was removed.
 */
import { tolerateGone } from '../aws-errors';
import type { ActionContext } from '../types';

export interface RemovalLog {
  readonly removed: string[];
  remove(operation: string, input: object, send: () => Promise<unknown>, label: string): Promise<void>;
}

export function removalLog(ctx: ActionContext): RemovalLog {
  const removed: string[] = [];
  return {
    removed,
    async remove(operation, input, send, label) {
      const r = await tolerateGone(() => ctx.write(operation, input, send));
      removed.push(r === 'already-gone' ? `${label} (already gone)` : label);
    },
  };
}
