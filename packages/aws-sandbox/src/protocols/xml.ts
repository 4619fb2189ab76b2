/**
 * A small XML writer for AWS's query protocols. Handlers return plain objects; arrays become <member>
 * (IAM, STS) or <item> (EC2) lists, a JS Map becomes AWS's <entry><key/><value/></entry> map, Dates
 * become ISO 8601 timestamps, and undefined/null fields are left out as AWS leaves out unset members.
 */
export type ListItemName = 'member' | 'item';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export function xmlValue(value: unknown, listItem: ListItemName): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
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
      if (v === undefined || v === null) continue;
      out += `<${k}>${xmlValue(v, listItem)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}
