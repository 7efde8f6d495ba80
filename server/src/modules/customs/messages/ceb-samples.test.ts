import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { WarehouseRecord } from '../../masterdata/masterdata.repository.js';
import {
  type BookLineRecord,
  buildExportList,
  buildImportList,
  type GoodsRecord,
} from '../declarations/inventory-list.builder.js';
import type {
  ExportOrderDoc,
  ExportWaybillDoc,
  ImportOrderDoc,
  ImportWaybillDoc,
} from '../documents/trade-documents.schemas.js';
import { readCebMessage } from './ceb-reader.js';
import type { CebMessageType } from './ceb-schema.js';
import { buildCebMessage } from './ceb-writer.js';

/**
 * A sample message of every kind and mode we write, kept in server/test/fixtures/ceb/ (issue 14:
 * "sample messages of each kind kept in the repo's test fixtures and read back by our parser").
 * The lists come from the real builders (order + waybill + goods master -> CEB621/603), so a
 * change to a rule shows up as a changed sample. `UPDATE_CEB_SAMPLES=1` rewrites them after a
 * deliberate change; otherwise a sample that differs from what the writer makes fails.
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/ceb');
const now = new Date('2026-11-25T02:15:00Z');
const envelope = { copCode: '3105960001', copName: 'Demo Centre Operator', dxpId: 'DXPENT0000000001' };
const common = (n: number) => ({
  guid: `6F1C2A8E-0000-4000-8000-${String(n).padStart(12, '0')}`,
  appType: '1',
  appTime: '20261125101500',
  appStatus: '2',
});
const declarant = { agentCode: '3105960001', agentName: 'Demo Centre Operator' };
const centre = {
  code: 'BC01',
  name: 'Demo B-type centre',
  kind: 'bonded-centre',
  customsCode: '5165',
  portCode: '5165',
  loctNo: '5165W01',
  emsNo: 'T5165W000001',
  operatorCode: '3105960001',
} as WarehouseRecord;
const consolidation = {
  code: 'CW01',
  name: 'Consolidation',
  kind: 'consolidation',
  customsCode: '2921',
  portCode: '2921',
  loctNo: '2921C01',
  emsNo: null,
  operatorCode: null,
} as unknown as WarehouseRecord;
const goods: GoodsRecord[] = [
  {
    ownerCode: '3301960AAA',
    sku: 'MILK-900',
    gtin: '06900000000011',
    gcode: '0402290000',
    name: '婴儿奶粉',
    model: '900g/罐',
    unit: '122',
    declaredPrice: '198',
    country: '601',
    grossGrams: 1100,
    legalUnit: '035',
    legalQtyPerUnit: '0.9',
  },
  {
    ownerCode: '3301960AAA',
    sku: 'TEE-M',
    gtin: null,
    gcode: '6109100000',
    name: '棉制T恤',
    model: 'M',
    unit: '011',
    declaredPrice: '59',
    country: '142',
    grossGrams: 250,
    legalUnit2: '035',
    legalQty2PerUnit: '0.2',
  },
];
const goodsBySku = new Map(goods.map((g) => [g.sku, g]));
const bookLineByItem = new Map<string, BookLineRecord>([
  [
    'MILK-900',
    { emsNo: 'T5165W000001', putrecSeqno: 7, itemNo: 'MILK-900', gcode: '0402290000', gname: '奶粉', unit: '122' },
  ],
  ['TEE-M', { emsNo: 'T5165W000001', putrecSeqno: 8, itemNo: 'TEE-M', gcode: '6109100000', gname: 'T恤', unit: '011' }],
]);
const importOrder = (tradeMode: '1210' | '9610', warehouseCode: string) =>
  ({
    tradeMode,
    warehouseCode,
    orderNo: `SO-${tradeMode}`,
    ebpCode: '3301964J31',
    ebpName: 'Demo Platform',
    ebcCode: '3301960AAA',
    ebcName: 'Demo & Sons <Trading>',
    freight: '10',
    currency: '142',
    buyerIdType: '1',
    buyerIdNumber: '110101199001011234',
    buyerName: '张三',
    buyerTelephone: '13800000000',
    consigneeAddress: '上海市浦东新区 1 号',
    lines: [
      {
        gnum: 1,
        itemNo: 'MILK-900',
        itemName: 'Milk powder',
        unit: '122',
        qty: '2',
        price: '198',
        totalPrice: '396',
        currency: '142',
      },
    ],
  }) as unknown as ImportOrderDoc;
const importWaybill = (extra: Partial<ImportWaybillDoc> = {}) =>
  ({
    logisticsCode: '3122480063',
    logisticsName: 'Demo Express',
    logisticsNo: 'YT1234567890',
    insuredFee: '0',
    weight: '2.3',
    packNo: 1,
    ...extra,
  }) as ImportWaybillDoc;
const exportOrder = (tradeMode: '9610' | '1210' | '9810', statisticsFlag?: 'A' | 'B') =>
  ({
    tradeMode,
    warehouseCode: tradeMode === '9610' ? 'CW01' : 'BC01',
    orderNo: `EO-${tradeMode}`,
    ebpCode: '3301964J31',
    ebpName: 'Demo Platform',
    ebcCode: '3301960AAA',
    ebcName: 'Demo Seller',
    goodsValue: '118',
    freight: '0',
    currency: '142',
    country: '502',
    ...(statisticsFlag ? { statisticsFlag } : {}),
    lines: [
      {
        gnum: 1,
        itemNo: 'TEE-M',
        itemName: 'T-shirt',
        unit: '011',
        qty: '2',
        price: '59',
        totalPrice: '118',
        currency: '142',
      },
    ],
  }) as unknown as ExportOrderDoc;
const exportWaybill = (extra: Partial<ExportWaybillDoc> = {}) =>
  ({
    logisticsCode: '3122480063',
    logisticsName: 'Demo Express',
    logisticsNo: 'EX0000000001',
    orderNo: 'EO',
    freight: '5',
    insuredFee: '0',
    grossWeight: '0.6',
    packNo: 1,
    ebcCode: '3301960AAA',
    ebcName: 'Demo Seller',
    trafMode: '5',
    trafName: 'CA987',
    voyageNo: 'CA987/20261126',
    billNo: '999-12345675',
    totalPackageNo: 'BAG-0001',
    pod: 'USLAX',
    ...extra,
  }) as ExportWaybillDoc;

function list(built: ReturnType<typeof buildImportList>, n: number) {
  expect(built.problems).toEqual([]);
  return { head: { ...common(n), ...built.head }, lines: built.lines.map((l) => l.values) };
}

const SAMPLES: Array<
  [string, CebMessageType, () => { head: Record<string, string>; lines?: Array<Record<string, string>> }]
> = [
  [
    'CEB621-1210',
    'CEB621',
    () =>
      list(
        buildImportList({
          copNo: 'LI2026112500001',
          order: importOrder('1210', 'BC01'),
          waybill: importWaybill(),
          warehouse: centre,
          goodsBySku,
          bookLineByItem,
          declarant,
          areaName: 'Demo Centre Operator',
          now,
        }),
        1,
      ),
  ],
  [
    'CEB621-9610',
    'CEB621',
    () =>
      list(
        buildImportList({
          copNo: 'LI2026112500002',
          order: importOrder('9610', 'CW01'),
          waybill: importWaybill({
            trafMode: '5',
            trafNo: 'CA988',
            voyageNo: 'CA988/20261124',
            billNo: '999-87654321',
          }),
          warehouse: consolidation,
          goodsBySku,
          bookLineByItem: new Map(),
          declarant,
          now,
        }),
        2,
      ),
  ],
  [
    'CEB603-9610',
    'CEB603',
    () =>
      list(
        buildExportList({
          copNo: 'LE2026112500001',
          order: exportOrder('9610'),
          waybill: exportWaybill(),
          warehouse: consolidation,
          goodsBySku,
          bookLineByItem: new Map(),
          declarant,
          now,
        }),
        3,
      ),
  ],
  [
    'CEB603-1210',
    'CEB603',
    () =>
      list(
        buildExportList({
          copNo: 'LE2026112500002',
          order: exportOrder('1210'),
          waybill: exportWaybill({
            trafMode: '2',
            trafName: 'COSCO TAURUS',
            voyageNo: '051E',
            billNo: 'COSU6123456780',
          }),
          warehouse: centre,
          goodsBySku,
          bookLineByItem,
          declarant,
          now,
        }),
        4,
      ),
  ],
  [
    'CEB603-9810',
    'CEB603',
    () =>
      list(
        buildExportList({
          copNo: 'LE2026112500003',
          order: exportOrder('9810'),
          waybill: exportWaybill({ trafMode: '2', pod: 'DEHAM', packNo: 3, wrapType: '5' }),
          warehouse: centre,
          goodsBySku,
          bookLineByItem,
          declarant,
          now,
        }),
        5,
      ),
  ],
  [
    'CEB623',
    'CEB623',
    () => ({
      head: {
        ...common(6),
        customsCode: '5165',
        orderNo: 'SO-1210',
        ebpCode: '3301964J31',
        ebpName: 'Demo Platform',
        ebcCode: '3301960AAA',
        ebcName: 'Demo Seller',
        logisticsNo: 'YT1234567890',
        logisticsCode: '3122480063',
        logisticsName: 'Demo Express',
        copNo: 'LI2026112500001',
        invtNo: '51652026I000000001',
        buyerIdType: '1',
        buyerIdNumber: '110101199001011234',
        buyerName: '张三',
        buyerTelephone: '13800000000',
        agentCode: '3105960001',
        agentName: 'Demo Centre Operator',
        reason: '买家取消订单',
      },
    }),
  ],
  [
    'CEB625',
    'CEB625',
    () => ({
      head: {
        ...common(7),
        customsCode: '5165',
        orderNo: 'SO-1210',
        ebpCode: '3301964J31',
        ebpName: 'Demo Platform',
        ebcCode: '3301960AAA',
        ebcName: 'Demo Seller',
        logisticsNo: 'YT1234567890',
        logisticsCode: '3122480063',
        logisticsName: 'Demo Express',
        copNo: 'RT2026112500001',
        invtNo: '51652026I000000001',
        buyerIdType: '1',
        buyerIdNumber: '110101199001011234',
        buyerName: '张三',
        buyerTelephone: '13800000000',
        agentCode: '3105960001',
        agentName: 'Demo Centre Operator',
        reason: '七天无理由退货',
      },
      lines: [{ gnum: '1', gcode: '0402290000', gname: '奶粉', qty: '1', unit: '122' }],
    }),
  ],
  [
    'CEB605',
    'CEB605',
    () => ({
      head: {
        ...common(8),
        customsCode: '2921',
        copNo: 'LE2026112500001',
        invtNo: '29212026E000000001',
        reason: '订单取消',
        agentCode: '3105960001',
        agentName: 'Demo Centre Operator',
        ebcCode: '3301960AAA',
        ebcName: 'Demo Seller',
      },
    }),
  ],
  [
    'CEB701',
    'CEB701',
    () => ({
      head: {
        ...common(9),
        customsCode: '2921',
        copNo: 'SM2026120100001',
        agentCode: '3105960001',
        agentName: 'Demo Centre Operator',
        ebcCode: '3301960AAA',
        ebcName: 'Demo Seller',
        declAgentCode: '3105960001',
        declAgentName: 'Demo Centre Operator',
        startTime: '20261101000000',
        endTime: '20261130235959',
        loctNo: '2921C01',
        summaryFlag: '1',
        itemNameFlag: '0',
        msgCount: '1',
        msgSeqNo: '1',
      },
      lines: [{ invtNo: '29212026E000000001' }],
    }),
  ],
  [
    'CEB711',
    'CEB711',
    () => ({
      head: {
        ...common(10),
        customsCode: '2921',
        copNo: 'RK2026112500001',
        operatorCode: '3105960001',
        operatorName: 'Demo Centre Operator',
        ieFlag: 'I',
        trafMode: '5',
        trafNo: 'CA988',
        voyageNo: 'CA988/20261124',
        billNo: '999-87654321',
        logisticsCode: '3122480063',
        logisticsName: 'Demo Express',
      },
      lines: [{ gnum: '1', logisticsNo: 'YT1234567890' }],
    }),
  ],
  [
    'CEB507',
    'CEB507',
    () => ({
      head: {
        ...common(11),
        customsCode: '2921',
        copNo: 'AR2026112500001',
        operatorCode: '3105960001',
        operatorName: 'Demo Centre Operator',
        loctNo: '2921C01',
        ieFlag: 'E',
        trafMode: '4',
        domesticTrafNo: '浙A12345',
        logisticsCode: '3122480063',
        logisticsName: 'Demo Express',
        msgCount: '1',
        msgSeqNo: '1',
      },
      lines: [{ gnum: '1', logisticsNo: 'EX0000000001', totalPackageNo: 'BAG-0001' }],
    }),
  ],
  [
    'CEB509',
    'CEB509',
    () => ({
      head: {
        ...common(12),
        customsCode: '2921',
        copNo: 'DP2026112600001',
        logisticsCode: '3122480063',
        logisticsName: 'Demo Express',
        trafMode: '5',
        trafName: 'CA987',
        voyageNo: 'CA987/20261126',
        billNo: '999-12345675',
        leaveTime: '20261126083000',
        msgCount: '1',
        msgSeqNo: '1',
      },
      lines: [{ gnum: '1', totalPackageNo: 'BAG-0001', logisticsNo: 'EX0000000001' }],
    }),
  ],
];

describe('CEB sample messages (server/test/fixtures/ceb)', () => {
  const update = process.env.UPDATE_CEB_SAMPLES === '1';
  if (update) mkdirSync(FIXTURES, { recursive: true });

  it.each(SAMPLES)(
    '%s: the kept sample is what the writer makes, and reads back field for field',
    (name, type, make) => {
      const data = make();
      const { xml } = buildCebMessage(type, data, envelope);
      const file = join(FIXTURES, `${name}.xml`);
      if (update) writeFileSync(file, xml);
      expect(existsSync(file), `${file} is missing: run with UPDATE_CEB_SAMPLES=1`).toBe(true);
      const kept = readFileSync(file, 'utf8');
      expect(kept).toBe(xml);
      const read = readCebMessage(kept);
      expect(read, JSON.stringify(read)).toMatchObject({ ok: true, messageType: type, head: data.head });
      if (read.ok) expect(read.lines).toEqual(data.lines ?? []);
    },
  );

  it('keeps no sample the list above does not make', () => {
    const kept = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml'));
    expect(kept.sort()).toEqual(SAMPLES.map(([name]) => `${name}.xml`).sort());
  });

  it('reads what each mode needs into the samples', () => {
    const text = (name: string) => readFileSync(join(FIXTURES, `${name}.xml`), 'utf8');
    const bonded = text('CEB621-1210');
    // point 3: head country 142 although the goods come from 601; packNo 1; area enterprise
    expect(bonded).toContain('<ceb:country>142</ceb:country>');
    expect(bonded).toContain('<ceb:country>601</ceb:country>');
    expect(bonded).toMatch(
      /<ceb:areaCode>3105960001<\/ceb:areaCode>\s+<ceb:areaName>Demo Centre Operator<\/ceb:areaName>/,
    );
    expect(bonded).toContain('<ceb:packNo>1</ceb:packNo>');
    // point 2: 2 tins of 0.9 kg -> qty1 1.8 in 035
    expect(bonded).toMatch(/<ceb:qty1>1\.8<\/ceb:qty1>\s+<ceb:unit1>035<\/ceb:unit1>/);
    // point 4: wrapType written
    expect(bonded).toContain('<ceb:wrapType>2</ceb:wrapType>');
    const direct = text('CEB621-9610');
    for (const f of [
      '<ceb:trafNo>CA988</ceb:trafNo>',
      '<ceb:voyageNo>CA988/20261124</ceb:voyageNo>',
      '<ceb:billNo>999-87654321</ceb:billNo>',
    ])
      expect(direct).toContain(f);
    const general = text('CEB603-9610');
    // point 5: POD spelt as the XSD and filled; transport from the waybill
    expect(general).toContain('<ceb:POD>USLAX</ceb:POD>');
    expect(general).not.toContain('<ceb:pod>');
    for (const f of [
      '<ceb:trafMode>5</ceb:trafMode>',
      '<ceb:trafName>CA987</ceb:trafName>',
      '<ceb:billNo>999-12345675</ceb:billNo>',
      '<ceb:totalPackageNo>BAG-0001</ceb:totalPackageNo>',
      '<ceb:statisticsFlag>B</ceb:statisticsFlag>',
    ])
      expect(general).toContain(f);
    // T-shirts: first legal unit the declared 011, second 035 at 0.2 kg each
    expect(general).toMatch(
      /<ceb:qty1>2<\/ceb:qty1>\s+<ceb:qty2>0\.4<\/ceb:qty2>\s+<ceb:unit>011<\/ceb:unit>\s+<ceb:unit1>011<\/ceb:unit1>\s+<ceb:unit2>035<\/ceb:unit2>/,
    );
    const b2b = text('CEB603-9810');
    expect(b2b).toContain('<ceb:trafMode>2</ceb:trafMode>');
    expect(b2b).toContain('<ceb:statisticsFlag>A</ceb:statisticsFlag>');
    expect(b2b).toContain('<ceb:wrapType>5</ceb:wrapType>');
    expect(text('CEB603-1210')).toContain('<ceb:emsNo>T5165W000001</ceb:emsNo>');
  });

  it('refuses a sample changed against the field rules, with the field named', () => {
    const kept = readFileSync(join(FIXTURES, 'CEB621-1210.xml'), 'utf8');
    const cases: Array<[string, string, RegExp]> = [
      [
        '<ceb:currency>142</ceb:currency>',
        '<ceb:currency>CNY</ceb:currency>',
        /currency.*"CNY" is not in the customs currency code list/,
      ],
      ['<ceb:country>142</ceb:country>', '<ceb:country>AUS</ceb:country>', /InventoryHead\.country.*"AUS"/],
      [
        '<ceb:unit1>035</ceb:unit1>',
        '<ceb:unit1>kg</ceb:unit1>',
        /InventoryList\[1\]\.unit1.*"kg" is not in the customs unit code list/,
      ],
      [
        '<ceb:wrapType>2</ceb:wrapType>',
        '<ceb:wrapType>Z</ceb:wrapType>',
        /wrapType.*"Z" is not in the customs wrapType code list/,
      ],
      ['<ceb:trafMode>W</ceb:trafMode>', '<ceb:trafMode>Q</ceb:trafMode>', /trafMode.*"Q"/],
      ['<ceb:customsCode>5165</ceb:customsCode>', '<ceb:customsCode>9999</ceb:customsCode>', /customsCode.*"9999"/],
      ['<ceb:packNo>1</ceb:packNo>', '<ceb:packNo>3</ceb:packNo>', /packNo: must be 1/],
    ];
    for (const [from, to, why] of cases) {
      expect(kept).toContain(from);
      const read = readCebMessage(kept.replace(from, to));
      expect(read.ok, `${to} was read as valid`).toBe(false);
      if (!read.ok) expect(read.error).toMatch(why);
    }
  });
});
