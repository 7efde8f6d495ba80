import { formatGs1HumanReadable, isValidSscc } from '@wms/contracts';

/**
 * The box label of one carton of a seller's inbound shipment (issue 12, DOMAIN.md §7): its SSCC
 * (GS1 AI 00) as a GS1-128 symbol — FNC1 first, Code 128 subset C — with its human-readable
 * interpretation, the overseas warehouse it goes to, the ASN and the carton's place in it, and
 * what it holds. ZPL II for a 4 × 6 in label at 203 dpi (8 dots/mm). Pure: no I/O.
 */
export interface CartonLabelInput {
  sscc: string;
  shipmentNo: string;
  cartonNo: number;
  cartons: number;
  warehouseCode: string;
  originWarehouseCode: string;
  ownerCode: string;
  contents: Array<{ sku: string; qty: number; batch?: string }>;
}

export const CARTON_LABEL_WIDTH = 812;
export const CARTON_LABEL_LENGTH = 1218;
const MARGIN = 40;
const MAX_CONTENT_LINES = 9;

/** Field data as ZPL takes it: ^ and ~ start commands, so they never come from the seller's text. */
const safe = (value: string) => value.replace(/[\^~\\]/g, ' ').replace(/[^\x20-\x7e]/g, '?');

export function buildCartonLabelZpl(input: CartonLabelInput): string {
  if (!isValidSscc(input.sscc)) throw new Error(`carton label: ${input.sscc} is not a valid SSCC`);
  const field = (x: number, y: number, size: number, value: string) =>
    `^FO${x},${y}^A0N,${size},${size}^FB${CARTON_LABEL_WIDTH - 2 * MARGIN},1,0,L^FD${safe(value)}^FS`;
  const lines = [
    '^XA',
    `^FX carton ${input.sscc}^FS`,
    `^PW${CARTON_LABEL_WIDTH}`,
    `^LL${CARTON_LABEL_LENGTH}`,
    '^LH0,0',
    field(MARGIN, 30, 28, 'SHIP TO (OVERSEAS WAREHOUSE)'),
    field(MARGIN, 64, 72, input.warehouseCode),
    field(MARGIN, 150, 30, `FROM ${input.originWarehouseCode}   OWNER ${input.ownerCode}`),
    field(MARGIN, 196, 36, `ASN ${input.shipmentNo}`),
    field(MARGIN, 244, 36, `CARTON ${input.cartonNo} OF ${input.cartons}`),
    `^FO${MARGIN},296^GB${CARTON_LABEL_WIDTH - 2 * MARGIN},3,3^FS`,
    field(MARGIN, 312, 26, 'CONTENTS'),
  ];
  const shown = input.contents.slice(0, MAX_CONTENT_LINES);
  for (const [i, c] of shown.entries())
    lines.push(field(MARGIN, 348 + i * 32, 28, `${c.qty} x ${c.sku}${c.batch ? `  batch ${c.batch}` : ''}`));
  if (input.contents.length > shown.length)
    lines.push(field(MARGIN, 348 + shown.length * 32, 28, `+ ${input.contents.length - shown.length} more lines`));
  // Code 128 C with FNC1: start, FNC1, 10 digit pairs, check, stop = 156 modules; 4 dots each
  const barX = Math.round((CARTON_LABEL_WIDTH - 156 * 4) / 2);
  lines.push(
    `^FO${MARGIN},700^GB${CARTON_LABEL_WIDTH - 2 * MARGIN},3,3^FS`,
    field(MARGIN, 716, 26, 'SSCC'),
    `^FO${barX},760^BY4^BCN,254,N,N,N,N^FD>;>800${input.sscc}^FS`,
    `^FO${MARGIN},1030^A0N,40,40^FB${CARTON_LABEL_WIDTH - 2 * MARGIN},1,0,C^FD${formatGs1HumanReadable([{ ai: '00', value: input.sscc }])}^FS`,
    '^XZ',
  );
  return lines.join('\n');
}
