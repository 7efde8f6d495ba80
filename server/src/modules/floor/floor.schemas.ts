import { type ScanInput, scanInput } from '@wms/contracts';
import { z } from 'zod';

/** A short code (warehouse, location); the warehouse code with its example. */
export const code = z.string().trim().min(1).max(30);
export const warehouseCode = code.meta({ example: 'BC01' });

/** One scan from a handheld or a station: its schema is in contracts (the UI sends it too). */
export { type ScanInput, scanInput };
/** The query string of every floor list: which warehouse. */
export const warehouseQuery = z.strictObject({
  warehouseCode: z.string().trim().min(1).max(30).describe('The warehouse code').meta({ example: 'BC01' }),
});
