import { z } from 'zod';
import { dbTime, itemsOf } from '../../platform/http/answer-fields.js';

/** What the storage routes answer, for the OpenAPI document; the fuzzer checks real answers against them. */

const warehouseCode = z.string().meta({ example: 'BC01' });
const count = z.number().int().min(0);

export const stocktakeStarted = z.object({
  stocktakeNo: z.string().meta({ example: 'ST2026120100000001' }),
  warehouseCode,
  locations: z.array(z.string()),
});

const stockDifference = z.object({
  location: z.string(),
  ownerCode: z.string(),
  sku: z.string(),
  batch: z.string().describe('Empty when the count named no batch'),
  expected: z.number().int().describe('On the ledger'),
  counted: z.number().int(),
  difference: z.number().int().describe('counted − expected'),
});

const stocktakeReport = z.object({
  locations: count,
  countedUnits: count,
  ledgerUnits: z.number().int(),
  differences: z.array(stockDifference),
});

export const stocktakesListed = itemsOf(
  z.object({
    stocktakeNo: z.string(),
    locations: z.array(z.string()),
    status: z.enum(['open', 'closed']),
    createdAt: dbTime,
  }),
  'The stock-takes, newest first, at most 100',
);

export const stocktakeClosed = stocktakeReport.extend({ stocktakeNo: z.string(), status: z.literal('closed') });

export const stocktakeDetail = z.object({
  stocktakeNo: z.string(),
  warehouseCode,
  locations: z.array(z.string()),
  status: z.enum(['open', 'closed']),
  report: stocktakeReport.nullable().describe('Once closed'),
  createdBy: z.string(),
  createdAt: dbTime,
  closedAt: dbTime.nullable(),
});

export const discrepanciesListed = z
  .array(
    z.object({
      stocktakeNo: z.string(),
      closedAt: dbTime,
      closedBy: z.string(),
      differences: z.array(stockDifference),
    }),
  )
  .describe('Closed stock-takes with differences, newest first, at most 100');
