import { z } from 'zod';
import { dbTime, itemsOf } from '../../../platform/http/answer-fields.js';
import { GATE_CHECKS } from '../../outbound/gate.rules.js';
import type { Mismatch } from '../rules/three-document-match.js';

/**
 * What the declaration routes answer (inventory lists, parcels, declaring, the inbox), for the
 * OpenAPI document; the fuzzer checks real answers against them.
 */

const REQUIRED_ACTIONS = ['none', 'wait', 'route-to-inspection', 'hold', 'fix-and-redeclare', 'retry-send'] as const;

/** One inventory list (= one parcel) as officers and the floor see it. */
export const listAnswer = z
  .object({
    copNo: z.string().meta({ example: 'LI2026120100000012' }),
    direction: z.enum(['import', 'export']),
    tradeMode: z.string().meta({ example: '1210' }),
    warehouseCode: z.string().meta({ example: 'BC01' }),
    ebpCode: z.string(),
    orderNo: z.string(),
    ebcCode: z.string(),
    logisticsCode: z.string(),
    logisticsNo: z.string().meta({ example: 'SF1234567890' }),
    emsNo: z.string().nullable(),
    state: z.enum(['draft', 'blocked', 'declared', 'rejected', 'cancelled']),
    problems: z.unknown().describe('Why the list is blocked or rejected, as found (null when none)'),
    guid: z.string().nullable().describe('The guid of the message last sent for it'),
    declaredAt: dbTime.nullable(),
    declareCount: z.number().int(),
    customsStatus: z
      .number()
      .int()
      .nullable()
      .describe(
        'The receipt status that stands (120, 500, 800, …; negative: a processing error, -900 a CEB900 format error)',
      ),
    customsStatusInfo: z.string().nullable(),
    customsStatusTime: z.string().nullable(),
    requiredAction: z.enum(REQUIRED_ACTIONS).describe('What the warehouse must do with the parcel now'),
    gate: z
      .object({
        allowed: z.boolean(),
        reason: z.string().describe('The first check that fails (what to do first), or why it may pass'),
        reasonZh: z.string(),
        checks: z
          .array(
            z.object({
              check: z.enum(GATE_CHECKS),
              ok: z.boolean(),
              reason: z.string(),
              reasonZh: z.string(),
            }),
          )
          .describe('Every check of the gate rule, in order, each with its reason'),
      })
      .describe("The gate rule's answer: whether it may pass the gate now, and why (not)"),
    invtNo: z.string().nullable(),
    preNo: z.string().nullable(),
    entryId: z.string().nullable(),
    hold: z
      .object({
        reason: z.string(),
        by: z.string().nullable(),
        at: dbTime.nullable(),
        kind: z
          .enum(['customs', 'warehouse-weight-check'])
          .describe("A customs officer's hold, or the warehouse's own weight-check hold"),
      })
      .nullable(),
    packedAt: dbTime.nullable(),
    gatePassedAt: dbTime.nullable(),
    gatePassNo: z.string().nullable(),
    lines: z
      .array(
        z
          .looseObject({ units: z.number().int(), putrecSeqno: z.number().int().nullable() })
          .describe('The declared line fields (gnum, itemNo, gcode, qty, price, …) as text, with units and book line'),
      )
      .meta({ example: [{ gnum: '1', itemNo: 'DEMO-SKU3', gcode: '3304990010', qty: '3', units: 3, putrecSeqno: 3 }] }),
  })
  .meta({ id: 'InventoryList' });

const receipt = z.object({
  messageType: z.string().meta({ example: 'CEB622' }),
  guid: z.string(),
  returnStatus: z.number().int().meta({ example: 800 }),
  returnTime: z.string().meta({ example: '20261201094037000' }),
  returnInfo: z.string().nullable(),
  changedStatus: z.boolean().describe('Whether the receipt moved the status on'),
  ignoredBecause: z.string().nullable().describe('Why a late or repeated receipt changed nothing'),
  fileName: z.string(),
  receivedAt: dbTime,
});
export const receiptsOf = z.array(receipt).describe('Every receipt, oldest first');

export const listDetail = listAnswer.extend({
  messages: z
    .array(z.object({ guid: z.string(), messageType: z.string(), fileName: z.string(), writtenAt: dbTime }))
    .describe('The messages written for the single window'),
  receipts: receiptsOf,
});

export const parcelsListed = itemsOf(listAnswer, 'The parcels, most recently changed first');
export const parcelsPage = parcelsListed.extend({
  total: z.number().int().describe('How many parcels are in that situation'),
  offset: z.number().int(),
  nextOffset: z.number().int().nullable().describe('The offset of the next page, null on the last'),
});

const mismatch = z.object({
  code: z.string().meta({ example: 'PRICE_MISMATCH' }),
  field: z.string(),
  expected: z.string(),
  actual: z.string(),
  message: z.string(),
}) satisfies z.ZodType<Mismatch>;

/** One order's outcome of declaring. */
export const declarationOutcome = z.object({
  ebpCode: z.string(),
  orderNo: z.string(),
  copNo: z.string().nullable(),
  logisticsNo: z.string().nullable(),
  outcome: z.enum(['declared', 'refused', 'already-declared']),
  guid: z.string().optional(),
  fileName: z.string().optional(),
  mismatches: z.array(mismatch).optional().describe('Every mismatch of the three documents (refused)'),
});

export const declared = z.object({
  declared: z.number().int(),
  refused: z.number().int(),
  alreadyDeclared: z.number().int(),
  results: z.array(declarationOutcome).describe('Every order, with its mismatches where refused'),
});

export const inboxProcessed = z.object({
  done: z.array(z.string()).describe('Receipt files read and applied'),
  failed: z.array(z.object({ file: z.string(), reason: z.string() })).describe('Files set aside, with why'),
});
