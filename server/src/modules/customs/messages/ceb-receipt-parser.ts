import { children, leafFields, parseXml, type XmlElement, XmlError } from '@wms/contracts';
import { z } from 'zod';

/**
 * Receipts from the single window (reference/ceb-fields.txt). Every receipt answers one
 * declaration by its guid with returnStatus, returnTime and returnInfo, plus the numbers customs
 * assigned (preNo, invtNo, sumNo, ...). Negative returnStatus values are error receipts; returnInfo
 * then says what was wrong. CEB792 is different: the summary result with the customs declaration
 * number (entryId) and the lists it covers. CEB900 is the single window's format-error receipt for
 * any message (MessageReturn: guid, returnStatus, returnTime, returnInfo, oriMessageType, ...):
 * the message it names never reached customs.
 */
export const RECEIPT_ELEMENTS = {
  CEB622: 'InventoryReturn',
  CEB624: 'InvtCancelReturn',
  CEB626: 'InvtRefundReturn',
  CEB604: 'InventoryReturn',
  CEB606: 'InvtCancelReturn',
  CEB702: 'SummaryReturn',
  CEB712: 'DeliveryReturn',
  CEB508: 'ArrivalReturn',
  CEB510: 'DepartureReturn',
  CEB608: 'WayBillReturn',
} as const;
export type ReceiptMessageType = keyof typeof RECEIPT_ELEMENTS;

/** Which declaration each receipt answers. */
export const ANSWERS: Record<ReceiptMessageType, string> = {
  CEB622: 'CEB621',
  CEB624: 'CEB623',
  CEB626: 'CEB625',
  CEB604: 'CEB603',
  CEB606: 'CEB605',
  CEB702: 'CEB701',
  CEB712: 'CEB711',
  CEB508: 'CEB507',
  CEB510: 'CEB509',
  CEB608: 'CEB607',
};

const receiptCore = z.object({
  guid: z.string().min(1).max(36),
  returnStatus: z
    .string()
    .regex(/^-?\d{1,9}$/, 'must be a whole number')
    .transform(Number),
  returnTime: z.string().regex(/^\d{14}(\d{3})?$/, 'must be YYYYMMDDhhmmss[fff]'),
  returnInfo: z.string().max(4000).optional(),
});

export interface CebReceipt {
  guid: string;
  returnStatus: number;
  returnTime: string;
  returnInfo?: string;
  /** Every field of the receipt element as sent (invtNo, preNo, sumNo, ...). */
  fields: Record<string, string>;
}

/** One CEB900 MessageReturn: the message `guid` failed the format check; returnStatus may be absent. */
export interface FormatError {
  guid: string;
  returnStatus: number | null;
  returnTime: string;
  returnInfo?: string;
  /** The type of the message that failed (CEB621, ...), when the single window says. */
  oriMessageType?: string;
  fields: Record<string, string>;
}

export interface SummaryResult {
  head: Record<string, string>;
  lines: Array<Record<string, string>>;
}

export type ReceiptParseResult =
  | { ok: true; messageType: ReceiptMessageType; receipts: CebReceipt[] }
  | { ok: true; messageType: 'CEB900'; formatErrors: FormatError[] }
  | { ok: true; messageType: 'CEB792'; summary: SummaryResult }
  | { ok: false; error: string };

const issues = (error: z.ZodError) =>
  error.issues
    .map(
      (x) =>
        `${x.path.join('.')}: ${x.message.startsWith('Invalid input: expected string, received undefined') ? 'missing' : x.message}`,
    )
    .join('; ');

function parseSummaryResult(root: XmlElement): ReceiptParseResult {
  const document = children(root, 'SummaryResult')[0];
  const headElement = document && children(document, 'SummaryResultHead')[0];
  if (!headElement) return { ok: false, error: 'CEB792 holds no SummaryResult/SummaryResultHead' };
  const head = leafFields(headElement);
  const checked = z
    .object({
      guid: z.string().min(1).max(36),
      entryId: z.string().regex(/^\d{18}$/, 'must be the 18-digit customs declaration number'),
    })
    .safeParse(head);
  if (!checked.success) return { ok: false, error: `CEB792 head: ${issues(checked.error)}` };
  const lines = children(document, 'SummaryResultList').map(leafFields);
  const noInvt = lines.findIndex((l) => !l.invtNo);
  if (noInvt >= 0) return { ok: false, error: `CEB792 line ${noInvt + 1}: invtNo: missing` };
  return { ok: true, messageType: 'CEB792', summary: { head, lines } };
}

const formatErrorCore = z.object({
  guid: z.string().min(1).max(36),
  returnStatus: z
    .string()
    .regex(/^-?\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .optional(),
  returnTime: z.string().regex(/^\d{14}(\d{3})?$/, 'must be YYYYMMDDhhmmss[fff]'),
  returnInfo: z.string().max(4000).optional(),
  oriMessageType: z.string().max(40).optional(),
});

function parseFormatErrors(root: XmlElement): ReceiptParseResult {
  const elements = children(root, 'MessageReturn');
  if (!elements.length) return { ok: false, error: 'CEB900 holds no MessageReturn' };
  const formatErrors: FormatError[] = [];
  for (const [i, element] of elements.entries()) {
    const fields = leafFields(element);
    const parsed = formatErrorCore.safeParse(fields);
    if (!parsed.success) return { ok: false, error: `CEB900 receipt ${i + 1}: ${issues(parsed.error)}` };
    const { guid, returnStatus, returnTime, returnInfo, oriMessageType } = parsed.data;
    formatErrors.push({
      guid: guid.toUpperCase(),
      returnStatus: returnStatus ?? null,
      returnTime,
      ...(returnInfo ? { returnInfo } : {}),
      ...(oriMessageType ? { oriMessageType: oriMessageType.replace(/Message$/, '') } : {}),
      fields,
    });
  }
  return { ok: true, messageType: 'CEB900', formatErrors };
}

/** Reads any receipt we understand; never throws, whatever the input. */
export function parseCebReceipt(xml: string): ReceiptParseResult {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    return { ok: false, error: error instanceof XmlError ? `not readable XML: ${error.message}` : String(error) };
  }
  const type = root.name.replace(/Message$/, '');
  if (type === 'CEB792') return parseSummaryResult(root);
  if (type === 'CEB900') return parseFormatErrors(root);
  if (!(type in RECEIPT_ELEMENTS))
    return {
      ok: false,
      error: `${root.name} is not a receipt this system reads (expected one of ${[...Object.keys(RECEIPT_ELEMENTS), 'CEB792', 'CEB900'].map((t) => `${t}Message`).join(', ')})`,
    };
  const messageType = type as ReceiptMessageType;
  const elementName = RECEIPT_ELEMENTS[messageType];
  const elements = children(root, elementName);
  if (!elements.length) return { ok: false, error: `${messageType} holds no ${elementName}` };
  const receipts: CebReceipt[] = [];
  for (const [i, element] of elements.entries()) {
    const fields = leafFields(element);
    const parsed = receiptCore.safeParse(fields);
    if (!parsed.success) return { ok: false, error: `${messageType} receipt ${i + 1}: ${issues(parsed.error)}` };
    const { guid, returnStatus, returnTime, returnInfo } = parsed.data;
    receipts.push({
      guid: guid.toUpperCase(),
      returnStatus,
      returnTime,
      ...(returnInfo ? { returnInfo } : {}),
      fields,
    });
  }
  return { ok: true, messageType, receipts };
}
