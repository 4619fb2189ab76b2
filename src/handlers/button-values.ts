/**
 * Reading what a button or a modal carries. These are hints only (which scan, finding or request the
 * click is about); who clicked always comes from Slack's verified payload, and what the action acts
 * on always comes from the store.
 */
import type { ReasonModalMetadata } from '../blocks/request';

/** A JSON object whose named fields are all strings (ids are short; anything longer is not ours). */
export function parseIds<K extends string>(value: string | undefined, keys: readonly K[]): Record<K, string> | undefined {
  if (!value || value.length > 2000) return undefined;
  try {
    const v: unknown = JSON.parse(value);
    if (typeof v !== 'object' || v === null) return undefined;
    const out: Partial<Record<K, string>> = {};
    for (const k of keys) {
      const field = (v as Record<string, unknown>)[k];
      if (typeof field !== 'string' || field.length > 200) return undefined;
      out[k] = field;
    }
    return out as Record<K, string>;
  } catch {
    return undefined;
  }
}

/** The reason form's metadata: a finding's action, or the request an Undo is for. */
export function parseModalMetadata(value: string | undefined): ReasonModalMetadata | undefined {
  const channel = parseIds(value, ['channel'])?.channel;
  const where = channel ? { channel } : {};
  const undo = parseIds(value, ['undoOf']);
  if (undo) return { undoOf: undo.undoOf, ...where };
  const finding = parseIds(value, ['scanId', 'findingId', 'action']);
  return finding ? { ...finding, ...where } : undefined;
}
