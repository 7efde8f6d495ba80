import { z } from 'zod';
import { children, parseXml, XmlError } from './xml-reader.js';

/**
 * Receipts from the single window. CEB622 answers an import inventory list (CEB621) with
 * InventoryReturn elements: guid, customsCode, ebpCode, ebcCode, agentCode, copNo, preNo, invtNo,
 * returnStatus, returnTime, returnInfo (reference/ceb-fields.txt). Negative returnStatus values are
 * error receipts; returnInfo then says what was wrong.
 */
const inventoryReturn = z.object({
  guid: z.string().min(1),
  customsCode: z.string().optional(),
  ebpCode: z.string().optional(),
  ebcCode: z.string().optional(),
  agentCode: z.string().optional(),
  copNo: z.string().optional(),
  preNo: z.string().optional(),
  invtNo: z.string().optional(),
  returnStatus: z
    .string()
    .regex(/^-?\d+$/, 'must be a whole number')
    .transform(Number),
  returnTime: z.string().regex(/^\d{14}(\d{3})?$/, 'must be YYYYMMDDhhmmss[fff]'),
  returnInfo: z.string().optional(),
});
export type InventoryReturn = z.infer<typeof inventoryReturn>;

export type ReceiptParseResult =
  | { ok: true; messageType: 'CEB622'; receipts: InventoryReturn[] }
  | { ok: false; error: string };

export function parseCeb622(xml: string): ReceiptParseResult {
  let root: ReturnType<typeof parseXml>;
  try {
    root = parseXml(xml);
  } catch (error) {
    return { ok: false, error: error instanceof XmlError ? `not readable XML: ${error.message}` : String(error) };
  }
  if (root.name !== 'CEB622Message') return { ok: false, error: `expected a CEB622Message, got ${root.name}` };
  const elements = children(root, 'InventoryReturn');
  if (!elements.length) return { ok: false, error: 'CEB622 holds no InventoryReturn' };
  const receipts: InventoryReturn[] = [];
  for (const [i, element] of elements.entries()) {
    const fields = Object.fromEntries(element.children.map((c) => [c.name, c.text.trim()]));
    const parsed = inventoryReturn.safeParse(fields);
    if (!parsed.success) {
      return {
        ok: false,
        error: `CEB622 receipt ${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message === 'Invalid input: expected string, received undefined' ? 'missing' : x.message}`).join('; ')}`,
      };
    }
    receipts.push(parsed.data);
  }
  return { ok: true, messageType: 'CEB622', receipts };
}
