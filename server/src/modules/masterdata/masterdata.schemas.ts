import { z } from 'zod';

/** Request bodies of the master-data API; unknown fields are refused (STYLE.md). */
const code = z.string().trim().min(1).max(18);
const decimal = z.string().regex(/^\d+(\.\d{1,5})?$/, 'must be a decimal number such as "12.50"');

export const enterpriseInput = z.strictObject({
  code,
  name: z.string().trim().min(1).max(100),
  roles: z.array(z.enum(['ebp', 'ebc', 'logistics', 'pay', 'iac', 'agent', 'owner'])).min(1),
  creditClass: z.enum(['advanced', 'general', 'untrusted']).default('general'),
});

export const warehouseInput = z
  .strictObject({
    code: z.string().trim().min(1).max(20),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['bonded-centre', 'overseas', 'consolidation']),
    customsCode: z
      .string()
      .regex(/^\d{4}$/, 'a 4-digit customs district code')
      .optional(),
    portCode: z
      .string()
      .regex(/^\d{4}$/, 'a 4-digit port customs code')
      .optional(),
    loctNo: z.string().trim().min(1).max(10).optional(),
    emsNo: z.string().trim().min(1).max(30).optional(),
    operatorCode: code.optional(),
    country: z.string().trim().min(1).max(3).optional(),
    storageAgeLimitDays: z.number().int().min(1).max(3650).default(365),
    storageAgeWarningDays: z.number().int().min(0).max(3650).default(30),
    zones: z
      .array(
        z.strictObject({
          code: z.string().trim().min(1).max(20),
          kind: z.enum(['bonded', 'non-bonded', 'inspection', 'returns', 'quarantine']),
          /** Location codes; a location can say what it is for (default storage). */
          locations: z
            .array(
              z.union([
                z.string().trim().min(1).max(30),
                z.strictObject({
                  code: z.string().trim().min(1).max(30),
                  purpose: z.enum(['storage', 'dock', 'pack', 'staging']).default('storage'),
                }),
              ]),
            )
            .default([])
            .transform((list) =>
              list.map((l) => (typeof l === 'string' ? { code: l, purpose: 'storage' as const } : l)),
            ),
        }),
      )
      .default([]),
  })
  .refine((w) => w.kind !== 'bonded-centre' || (w.customsCode && w.loctNo && w.emsNo), {
    message: 'a bonded centre needs customsCode, loctNo (supervised-site code) and emsNo (account book)',
  });

export const goodsInput = z.strictObject({
  ownerCode: code,
  sku: z.string().trim().min(1).max(30),
  gtin: z
    .string()
    .regex(/^\d{8,14}$/)
    .optional(),
  gcode: z.string().regex(/^\d{10}$/, 'a 10-digit HS code'),
  name: z.string().trim().min(1).max(250),
  model: z.string().trim().max(250).default(''),
  unit: z.string().regex(/^\d{3}$/, 'a 3-digit customs unit code, e.g. 011 (piece)'),
  declaredPrice: decimal,
  currency: z.string().length(3).default('142'),
  country: z.string().regex(/^\d{3}$/, 'a 3-digit customs country code'),
  grossGrams: z.number().int().positive().optional(),
});

export const bookLineInput = z.strictObject({
  emsNo: z.string().trim().min(1).max(30),
  putrecSeqno: z.number().int().positive(),
  itemNo: z.string().trim().min(1).max(30),
  gcode: z.string().regex(/^\d{10}$/, 'a 10-digit HS code'),
  gname: z.string().trim().min(1).max(250),
  unit: z.string().regex(/^\d{3}$/),
});

export const masterDataImport = z.strictObject({
  enterprises: z.array(enterpriseInput).max(10_000).default([]),
  warehouses: z.array(warehouseInput).max(1_000).default([]),
  goods: z.array(goodsInput).max(100_000).default([]),
  bookLines: z.array(bookLineInput).max(200_000).default([]),
});

export type EnterpriseInput = z.infer<typeof enterpriseInput>;
export type WarehouseInput = z.infer<typeof warehouseInput>;
export type GoodsInput = z.infer<typeof goodsInput>;
export type BookLineInput = z.infer<typeof bookLineInput>;
export type MasterDataImport = z.infer<typeof masterDataImport>;
