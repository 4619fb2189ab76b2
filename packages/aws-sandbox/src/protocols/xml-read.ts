/**
 * Reads the small XML documents AWS's REST-XML requests carry (S3's AccessControlPolicy,
 * PublicAccessBlockConfiguration, VersioningConfiguration, LifecycleConfiguration…) into plain
 * objects: an element with children becomes an object, a repeated element an array, a leaf its text.
 * Namespaces prefixes are dropped from element names; `xsi:type` is kept as `@type`.
 */
export class XmlSyntaxError extends Error {
  readonly code = 'xml_syntax';
  constructor(message: string) {
    super(message);
    this.name = 'XmlSyntaxError';
  }
}

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Parses one XML document into its root element; throws XmlSyntaxError for anything malformed. */
export function parseXml(text: string): XmlElement {
  const body = text.replace(/<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const tag = /<(\/?)([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<!\[CDATA\[[\s\S]*?\]\]>)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < body.length) {
    tag.lastIndex = pos;
    m = tag.exec(body);
    if (!m) throw new XmlSyntaxError(`unexpected markup at offset ${pos}`);
    pos = tag.lastIndex;
    const [, closing, name, attrText, selfClosing, textPart, cdata] = m;
    if (textPart !== undefined || cdata !== undefined) {
      const top = stack[stack.length - 1];
      const value = cdata !== undefined ? cdata.slice(9, -3) : decodeEntities(textPart!);
      if (top) top.text += value;
      else if (value.trim() !== '') throw new XmlSyntaxError('text outside the root element');
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== localName(name!)) throw new XmlSyntaxError(`unexpected </${name}>`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (attrText ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decodeEntities(a[2] ?? a[3] ?? '');
    const el: XmlElement = { name: localName(name!), attrs, children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) throw new XmlSyntaxError('more than one root element');
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (!root || stack.length > 0) throw new XmlSyntaxError(root ? `<${stack[stack.length - 1]!.name}> is not closed` : 'no root element');
  return root;
}

/** An element as a plain object (see the file comment); arrays only where an element repeats. */
export function xmlToObject(el: XmlElement): unknown {
  const type = el.attrs['xsi:type'];
  if (el.children.length === 0) return type ? { '@type': type } : el.text.trim();
  const out: Record<string, unknown> = {};
  if (type) out['@type'] = type;
  for (const child of el.children) {
    const value = xmlToObject(child);
    const existing = out[child.name];
    if (existing === undefined) out[child.name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[child.name] = [existing, value];
  }
  return out;
}
