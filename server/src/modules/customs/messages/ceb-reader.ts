import { children, parseXml, type XmlElement, XmlError } from '@wms/contracts';
import { type CebMessageType, MESSAGE_SPECS } from './ceb-schema.js';
import { buildCebMessage, CebValidationError, type Envelope, type FieldProblem } from './ceb-writer.js';

/**
 * Reads a CEB declaration we write (CEB621, 603, 623, 625, 605, 701, 711, 507, 509) back into its
 * head, lines and envelope, and checks it with the writer's own rules (field types and lengths,
 * code lists, mode rules, element order): a sample message, a file found in the outbox or one a
 * partner sends for comparison reads back into exactly what the writer would produce. Never throws.
 */
export type ReadCebMessage =
  | {
      ok: true;
      messageType: CebMessageType;
      guid: string;
      head: Record<string, string>;
      lines: Array<Record<string, string>>;
      envelope: Envelope;
    }
  | { ok: false; error: string; problems?: FieldProblem[] };

const TYPES = new Map(Object.entries(MESSAGE_SPECS).map(([type, spec]) => [spec.root, type as CebMessageType]));

/** Leaf fields in document order; a repeated or nested field is an error, not a silent overwrite. */
function fieldsOf(element: XmlElement, where: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const c of element.children) {
    if (c.children.length) return `${where}.${c.name} has child elements; a field is text only`;
    if (c.name in out) return `${where}.${c.name} appears twice`;
    out[c.name] = c.text;
  }
  return out;
}

export function readCebMessage(xml: string): ReadCebMessage {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    return { ok: false, error: error instanceof XmlError ? `not readable XML: ${error.message}` : String(error) };
  }
  const messageType = TYPES.get(root.name);
  if (!messageType)
    return {
      ok: false,
      error: `${root.name} is not a declaration this system writes (${[...TYPES.keys()].join(', ')})`,
    };
  const spec = MESSAGE_SPECS[messageType];
  const document = children(root, spec.document)[0];
  const transfer = children(root, 'BaseTransfer')[0];
  if (!document || !transfer) return { ok: false, error: `${messageType} needs ${spec.document} and BaseTransfer` };
  const flat = spec.head.element === spec.document;
  const headElement = flat ? document : children(document, spec.head.element)[0];
  if (!headElement) return { ok: false, error: `${messageType} holds no ${spec.head.element}` };
  const headOnly = flat
    ? { ...headElement, children: headElement.children.filter((c) => !c.children.length) }
    : headElement;
  const head = fieldsOf(headOnly, spec.head.element);
  if (typeof head === 'string') return { ok: false, error: head };
  const lines: Array<Record<string, string>> = [];
  for (const [i, l] of (spec.lines ? children(document, spec.lines.element) : []).entries()) {
    const line = fieldsOf(l, `${spec.lines?.element}[${i + 1}]`);
    if (typeof line === 'string') return { ok: false, error: line };
    lines.push(line);
  }
  const env = fieldsOf(transfer, 'BaseTransfer');
  if (typeof env === 'string') return { ok: false, error: env };
  const envelope: Envelope = {
    copCode: env.copCode ?? '',
    copName: env.copName ?? '',
    dxpMode: env.dxpMode,
    dxpId: env.dxpId ?? '',
    ...(env.note ? { note: env.note } : {}),
  };
  const guid = root.attributes.guid ?? '';
  if (head.guid !== guid) return { ok: false, error: `the root guid ${guid} is not the head guid ${head.guid ?? ''}` };
  try {
    const again = buildCebMessage(messageType, { head, lines: spec.lines ? lines : undefined }, envelope);
    if (again.xml !== xml)
      return {
        ok: false,
        error: `${messageType} reads back into different XML: element order, namespace or spacing differ`,
      };
  } catch (error) {
    if (error instanceof CebValidationError) return { ok: false, error: error.message, problems: error.problems };
    throw error;
  }
  return { ok: true, messageType, guid, head, lines, envelope };
}
