/**
 * Decodes AWS query-protocol form fields into nested input: `PolicyArns.member.1=a` -> `{PolicyArns:
 * ['a']}`, `Filter.1.Name=x&Filter.1.Value.1=y` -> `{Filter: [{Name: 'x', Value: ['y']}]}`,
 * `Tags.member.1.Key=k` -> `{Tags: [{Key: 'k'}]}`. `Attributes.entry.1.key/value` maps become objects.
 */
type Node = Record<string, unknown> | unknown[];

export function decodeQueryParams(fields: URLSearchParams): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, value] of fields) {
    const path = name.split('.').filter((seg, i, all) => !(seg === 'member' && /^\d+$/.test(all[i + 1] ?? '')));
    setPath(root, path, value);
  }
  return finalize(root) as Record<string, unknown>;
}

function setPath(root: Record<string, unknown>, path: string[], value: string): void {
  let node: Node = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    const nextIsIndex = !last && /^\d+$/.test(path[i + 1]!);
    const key: string | number = Array.isArray(node) ? Number(seg) - 1 : seg;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    let child = container[key];
    if (child === undefined || typeof child !== 'object' || child === null) {
      child = nextIsIndex ? [] : {};
      container[key] = child;
    }
    node = child as Node;
  }
}

/** Drops holes left by sparse indexes and turns `entry` lists ({key, value}) into plain objects. */
function finalize(node: unknown): unknown {
  if (Array.isArray(node)) return node.filter((v) => v !== undefined).map(finalize);
  if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === 'entry' && Array.isArray(obj.entry)) {
      const map: Record<string, unknown> = {};
      for (const e of obj.entry as unknown[]) {
        if (e && typeof e === 'object') {
          const { key, value } = e as { key?: unknown; value?: unknown };
          if (typeof key === 'string') map[key] = finalize(value);
        }
      }
      return map;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = finalize(obj[k]);
    return out;
  }
  return node;
}
