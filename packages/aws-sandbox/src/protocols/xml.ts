/**
 * A small XML writer for AWS's XML protocols. Handlers return plain objects; arrays become <member>
 * (IAM, STS) or <item> (EC2) lists, an XmlList names its items (RDS's <DBSnapshot>) or repeats its key
 * (S3's flattened <Rule>, <Grant>), a JS Map becomes AWS's <entry><key/><value/></entry> map, Dates
 * become ISO 8601 timestamps, and undefined/null fields are left out as AWS leaves out unset members.
 */
export type ListItemName = 'member' | 'item';

/**
 * A list whose XML shape is not the protocol's default: `member` names each item's element
 * (`<DBSnapshots><DBSnapshot/>…`); without it the list is flattened (`<Rule/><Rule/>` under the parent).
 */
export class XmlList {
  constructor(
    readonly items: unknown[],
    readonly member?: string,
  ) {}
}

/** Attributes of an element: `{ '@attrs': { 'xsi:type': 'Group' }, URI: … }` writes `<Grantee xsi:type="Group">`. */
export const ATTRS = '@attrs';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function openTag(name: string, value: unknown): string {
  if (!value || typeof value !== 'object' || !(ATTRS in value)) return `<${name}>`;
  const attrs = (value as Record<string, unknown>)[ATTRS] as Record<string, string>;
  return `<${name}${Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('')}>`;
}

export function xmlValue(value: unknown, listItem: ListItemName): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof XmlList) {
    return value.items.map((v) => `${openTag(value.member ?? listItem, v)}${xmlValue(v, listItem)}</${value.member ?? listItem}>`).join('');
  }
  if (Array.isArray(value)) {
    return value.map((v) => `<${listItem}>${xmlValue(v, listItem)}</${listItem}>`).join('');
  }
  if (value instanceof Map) {
    let out = '';
    for (const [k, v] of value) out += `<entry><key>${escapeXml(String(k))}</key><value>${xmlValue(v, listItem)}</value></entry>`;
    return out;
  }
  if (typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null || k === ATTRS) continue;
      if (v instanceof XmlList && v.member === undefined) {
        // Flattened: the key itself repeats, once per item.
        for (const item of v.items) out += `${openTag(k, item)}${xmlValue(item, listItem)}</${k}>`;
        continue;
      }
      out += `${openTag(k, v)}${xmlValue(v, listItem)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}
