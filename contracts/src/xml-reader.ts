/**
 * A small, strict XML reader for customs receipts: elements, attributes, text, the five predefined
 * entities, numeric character references and CDATA. No DTDs and no entity declarations (XXE), no
 * external anything; namespace prefixes are kept off the names we return (`ceb:guid` -> `guid`).
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    if (ENTITIES[ref]) return ENTITIES[ref];
    throw new XmlError(`unknown entity &${ref}; near character ${at}`);
  });
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

export function parseXml(input: string): XmlElement {
  if (input.length > 10_000_000) throw new XmlError('document larger than 10 MB');
  let pos = 0;
  const text = input.replace(/^\uFEFF/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (pos < text.length) {
    const lt = text.indexOf('<', pos);
    if (lt === -1) {
      if (text.slice(pos).trim() && stack.length === 0) throw new XmlError('text outside the root element');
      if (stack.length) stack[stack.length - 1].text += decode(text.slice(pos), pos);
      break;
    }
    if (lt > pos && stack.length) stack[stack.length - 1].text += decode(text.slice(pos, lt), pos);
    else if (lt > pos && text.slice(pos, lt).trim()) throw new XmlError(`text outside the root element at ${pos}`);
    if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt);
      if (end === -1) throw new XmlError('unterminated processing instruction');
      pos = end + 2;
    } else if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt);
      if (end === -1) throw new XmlError('unterminated comment');
      pos = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt);
      if (end === -1) throw new XmlError('unterminated CDATA section');
      if (!stack.length) throw new XmlError('CDATA outside the root element');
      stack[stack.length - 1].text += text.slice(lt + 9, end);
      pos = end + 3;
    } else if (text.startsWith('<!', lt)) {
      throw new XmlError('DOCTYPE and entity declarations are refused');
    } else if (text.startsWith('</', lt)) {
      const end = text.indexOf('>', lt);
      if (end === -1) throw new XmlError('unterminated closing tag');
      const name = localName(text.slice(lt + 2, end).trim());
      const open = stack.pop();
      if (!open || open.name !== name)
        throw new XmlError(`closing tag </${name}> does not match <${open?.name ?? 'nothing'}> at ${lt}`);
      if (!stack.length) root = open;
      pos = end + 1;
    } else {
      const end = text.indexOf('>', lt);
      if (end === -1) throw new XmlError(`unterminated tag at ${lt}`);
      const selfClosing = text[end - 1] === '/';
      const inner = text.slice(lt + 1, selfClosing ? end - 1 : end);
      const nameMatch = /^([A-Za-z_][\w.:-]*)/.exec(inner);
      if (!nameMatch) throw new XmlError(`bad tag at ${lt}`);
      const attributes: Record<string, string> = {};
      const attrText = inner.slice(nameMatch[1].length);
      for (const m of attrText.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/g))
        attributes[localName(m[1])] = decode(m[3] ?? m[4] ?? '', lt);
      const element: XmlElement = { name: localName(nameMatch[1]), attributes, children: [], text: '' };
      if (root) throw new XmlError('more than one root element');
      if (stack.length) stack[stack.length - 1].children.push(element);
      if (selfClosing) {
        if (!stack.length) root = element;
      } else stack.push(element);
      pos = end + 1;
    }
  }
  if (stack.length) throw new XmlError(`document ends inside <${stack[stack.length - 1].name}>`);
  if (!root) throw new XmlError('no root element');
  return root;
}

export function child(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c) => c.name === name);
}

export function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

/** The text children of an element by name (`<ceb:guid>A</ceb:guid>` -> `{ guid: 'A' }`), trimmed. */
export function leafFields(element: XmlElement | undefined): Record<string, string> {
  if (!element) return {};
  return Object.fromEntries(element.children.filter((c) => !c.children.length).map((c) => [c.name, c.text.trim()]));
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text made safe for element content and attribute values: the five predefined entities. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
