import { z } from 'zod';
import { code, warehouseCode, warehouseQuery } from '../floor/floor.schemas.js';

/** What the storage routes take: request bodies and query strings. */

export const stocktakeInput = z.strictObject({
  warehouseCode,
  locations: z.array(code).min(1).max(10_000),
});

export const stocktakesQuery = warehouseQuery.extend({
  status: z.enum(['open', 'closed']).default('open').describe('Which stock-takes'),
});
