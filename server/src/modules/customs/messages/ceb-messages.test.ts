import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { children, parseXml } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import { takeIncoming, writeOutgoing } from '../transport/customs-folder.transport.js';
import { parseCebReceipt } from './ceb-receipt-parser.js';
import { buildCebMessage, CebValidationError } from './ceb-writer.js';

const head = {
  appType: '1',
  appTime: '20261125101500',
  appStatus: '2',
  orderNo: 'SO-2026-0001',
  ebpCode: '3301964J31',
  ebpName: 'Demo Platform',
  ebcCode: '3301960AAA',
  ebcName: 'Demo & Sons <Trading>',
  logisticsNo: 'YT1234567890',
  logisticsCode: '3122480063',
  logisticsName: 'Demo Express',
  copNo: 'WMS-INV-0001',
  assureCode: '3301960AAA',
  emsNo: 'T2921W000001',
  ieFlag: 'I',
  declTime: '20261125',
  customsCode: '2921',
  portCode: '2921',
  ieDate: '20261125',
  buyerIdType: '1',
  buyerIdNumber: '110101199001011234',
  buyerName: '张三',
  buyerTelephone: '13800000000',
  consigneeAddress: '上海市浦东新区 1 号',
  agentCode: '3301960BBB',
  agentName: 'Demo Broker',
  areaCode: '3301960CCC',
  areaName: 'Demo Centre Operator',
  tradeMode: '1210',
  trafMode: 'Y',
  country: '142',
  freight: '10',
  insuredFee: '0',
  currency: '142',
  packNo: 1,
  grossWeight: '1.25',
  netWeight: '1.1',
};
const line = {
  gnum: 1,
  itemRecordNo: '1',
  itemNo: 'SKU-1',
  gcode: '0402290000',
  gname: 'Milk powder',
  gmodel: '900g',
  country: '601',
  currency: '142',
  qty: '2',
  unit: '122',
  qty1: '1.8',
  unit1: '035',
  price: '49.5',
  totalPrice: '99',
};
const envelope = { copCode: '3301960AAA', copName: 'Demo WMS', dxpId: 'DXPENT0000000001' };

describe('CEB621 writer', () => {
  it('writes the namespace, guid, head, lines and BaseTransfer, escaped, and reads back', () => {
    const { xml, guid } = buildCebMessage('CEB621', { head, lines: [line] }, envelope);
    expect(guid).toMatch(/^[0-9A-F-]{36}$/);
    expect(xml).toContain(
      `<ceb:CEB621Message guid="${guid}" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"`,
    );
    expect(xml).toContain('<ceb:ebcName>Demo &amp; Sons &lt;Trading&gt;</ceb:ebcName>');
    const root = parseXml(xml);
    const inventory = children(root, 'Inventory')[0];
    const invHead = children(inventory, 'InventoryHead')[0];
    expect(Object.fromEntries(invHead.children.map((c) => [c.name, c.text]))).toMatchObject({
      guid,
      orderNo: 'SO-2026-0001',
      ebcName: 'Demo & Sons <Trading>',
      buyerName: '张三',
    });
    expect(children(inventory, 'InventoryList')).toHaveLength(1);
    expect(children(children(root, 'BaseTransfer')[0], 'dxpMode')[0].text).toBe('DXP');
  });

  it('refuses an invalid message with every problem listed', () => {
    try {
      buildCebMessage(
        'CEB621',
        {
          head: {
            ...head,
            orderNo: 'X'.repeat(61),
            appTime: '2026-11-25',
            tradeMode: '0110',
            colour: 'red',
            buyerName: '',
          },
          lines: [{ ...line, price: '1.123456' }],
        },
        { ...envelope, dxpId: '' },
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CebValidationError);
      expect((error as CebValidationError).problems).toEqual(
        expect.arrayContaining([
          { path: 'InventoryHead.orderNo', problem: 'too long (max 60, got 61)' },
          { path: 'InventoryHead.appTime', problem: 'must be YYYYMMDDhhmmss, got "2026-11-25"' },
          { path: 'InventoryHead.tradeMode', problem: 'must be one of 9610, 1210, 1239, got "0110"' },
          { path: 'InventoryHead.buyerName', problem: 'required' },
          { path: 'InventoryHead.colour', problem: 'not a field of this message' },
          { path: 'InventoryList[1].price', problem: 'at most 5 decimals, got 6' },
          { path: 'BaseTransfer.dxpId', problem: 'required' },
        ]),
      );
    }
  });
});

describe('CEB622 receipts', () => {
  const receipt = (status: string, info = '') =>
    `<?xml version="1.0" encoding="UTF-8"?><ceb:CEB622Message guid="R1" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:InventoryReturn><ceb:guid>A1B2</ceb:guid><ceb:customsCode>2921</ceb:customsCode><ceb:copNo>WMS-INV-0001</ceb:copNo><ceb:invtNo>29212026I000000001</ceb:invtNo><ceb:returnStatus>${status}</ceb:returnStatus><ceb:returnTime>20261125103000123</ceb:returnTime><ceb:returnInfo><![CDATA[${info}]]></ceb:returnInfo></ceb:InventoryReturn></ceb:CEB622Message>`;

  it('reads a release and an error receipt', () => {
    expect(parseCebReceipt(receipt('800', '放行'))).toEqual({
      ok: true,
      messageType: 'CEB622',
      receipts: [
        expect.objectContaining({
          guid: 'A1B2',
          returnStatus: 800,
          returnInfo: '放行',
          fields: expect.objectContaining({ invtNo: '29212026I000000001' }),
        }),
      ],
    });
    expect(parseCebReceipt(receipt('-301010', 'orderNo & ebpCode not found'))).toMatchObject({
      ok: true,
      receipts: [{ returnStatus: -301010, returnInfo: 'orderNo & ebpCode not found' }],
    });
  });

  it('gives a clear error for garbage, truncation, XXE and missing fields, never a crash', () => {
    expect(parseCebReceipt('not xml at all')).toMatchObject({ ok: false });
    expect(parseCebReceipt(receipt('800').slice(0, 120))).toMatchObject({
      ok: false,
      error: expect.stringContaining('not readable XML'),
    });
    expect(
      parseCebReceipt(
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ceb:CEB622Message>&e;</ceb:CEB622Message>',
      ),
    ).toEqual({ ok: false, error: 'not readable XML: DOCTYPE and entity declarations are refused' });
    expect(parseCebReceipt(receipt('800').replace(/<ceb:returnStatus>800<\/ceb:returnStatus>/, ''))).toEqual({
      ok: false,
      error: 'CEB622 receipt 1: returnStatus: missing',
    });
    let seed = 5;
    for (let i = 0; i < 500; i++) {
      const cut = receipt('800')
        .split('')
        .filter(() => {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          return seed % 7 !== 0;
        });
      expect(() => parseCebReceipt(cut.join(''))).not.toThrow();
    }
  });
});

describe('watched-folder transport', () => {
  it('writes atomically: only the final name appears, complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ceb-out-'));
    const path = writeOutgoing(dir, 'CEB621_A1B2.xml', '<x/>');
    expect(readdirSync(dir)).toEqual(['CEB621_A1B2.xml']);
    expect(readFileSync(path, 'utf8')).toBe('<x/>');
    // declarations name buyers by their ID numbers: owner-only
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(() => writeOutgoing(dir, '../evil.xml', 'x')).toThrowError(/not a safe/);
  });

  it('takes each file exactly once with two takers, and moves a bad one aside with its reason', async () => {
    const inbox = mkdtempSync(join(tmpdir(), 'ceb-in-'));
    for (let i = 0; i < 20; i++)
      writeFileSync(join(inbox, `CEB622_${String(i).padStart(2, '0')}.xml`), `<r n="${i}"/>`);
    writeFileSync(join(inbox, 'CEB622_bad.xml'), 'broken');
    const seen: string[] = [];
    const handler = (file: string, content: string) => {
      if (content === 'broken') throw new Error('not readable XML');
      seen.push(file);
    };
    const [a, b] = await Promise.all([takeIncoming(inbox, handler), takeIncoming(inbox, handler)]);
    expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `CEB622_${String(i).padStart(2, '0')}.xml`));
    expect(a.done.length + b.done.length).toBe(20);
    expect([...a.failed, ...b.failed]).toEqual([{ file: 'CEB622_bad.xml', reason: 'not readable XML' }]);
    expect(existsSync(join(inbox, 'error', 'CEB622_bad.xml.error.txt'))).toBe(true);
    expect(readdirSync(join(inbox, 'done'))).toHaveLength(20);
  });
});

describe('the other CEB declarations', () => {
  const common = { appType: '1', appTime: '20261125101500', appStatus: '2' };
  it('writes a cancel (CEB623) with its fields directly in InvtCancel, once', () => {
    const { xml } = buildCebMessage(
      'CEB623',
      {
        head: {
          ...common,
          customsCode: '2921',
          orderNo: 'SO-1',
          ebpCode: 'P1',
          ebpName: 'Platform',
          ebcCode: 'E1',
          ebcName: 'Shop',
          logisticsNo: 'YT1',
          logisticsCode: 'L1',
          logisticsName: 'Express',
          copNo: 'CN-1',
          invtNo: '29212026I000000001',
          buyerIdType: '1',
          buyerIdNumber: '110101199001011234',
          buyerName: '张三',
          buyerTelephone: '13800000000',
          agentCode: 'A1',
          agentName: 'Broker',
          reason: 'buyer cancelled',
        },
      },
      envelope,
    );
    const root = parseXml(xml);
    expect(root.name).toBe('CEB623Message');
    const doc = children(root, 'InvtCancel');
    expect(doc).toHaveLength(1);
    expect(children(doc[0], 'InvtCancel')).toHaveLength(0);
    expect(children(doc[0], 'reason')[0].text).toBe('buyer cancelled');
  });

  it('writes a return (CEB625) with lines and refuses one without lines', () => {
    const h = {
      ...common,
      customsCode: '2921',
      orderNo: 'SO-1',
      ebpCode: 'P1',
      ebpName: 'Platform',
      ebcCode: 'E1',
      ebcName: 'Shop',
      logisticsNo: 'YT1',
      logisticsCode: 'L1',
      logisticsName: 'Express',
      copNo: 'RT-1',
      invtNo: '29212026I000000001',
      buyerIdType: '1',
      buyerIdNumber: 'X',
      buyerName: 'B',
      buyerTelephone: '1',
      agentCode: 'A1',
      agentName: 'Broker',
      reason: 'damaged',
    };
    const { xml } = buildCebMessage(
      'CEB625',
      { head: h, lines: [{ gnum: 1, gcode: '0402290000', gname: 'Milk', qty: '1', unit: '122' }] },
      envelope,
    );
    const doc = children(parseXml(xml), 'InvtRefund')[0];
    expect(children(doc, 'InvtRefundHead')).toHaveLength(1);
    expect(children(children(doc, 'InvtRefundList')[0], 'qty')[0].text).toBe('1');
    expect(() => buildCebMessage('CEB625', { head: h, lines: [] }, envelope)).toThrow(
      /InvtRefundList: at least 1 line/,
    );
  });

  it('checks the export list (CEB603) supervision mode, flags and direction', () => {
    const exportHead = {
      ...common,
      customsCode: '2921',
      ebpCode: 'P1',
      ebpName: 'Platform',
      orderNo: 'EO-1',
      logisticsCode: 'L1',
      logisticsName: 'Express',
      logisticsNo: 'EX1',
      copNo: 'EL-1',
      ieFlag: 'E',
      portCode: '2921',
      ieDate: '20261125',
      statisticsFlag: 'B',
      agentCode: 'A1',
      agentName: 'Broker',
      ebcCode: 'E1',
      ebcName: 'Shop',
      ownerCode: 'E1',
      ownerName: 'Shop',
      tradeMode: '9610',
      trafMode: '5',
      country: '502',
      freight: '5',
      fCurrency: '142',
      fFlag: '3',
      insuredFee: '0',
      iCurrency: '142',
      iFlag: '3',
      packNo: '1',
      grossWeight: '0.5',
      netWeight: '0.4',
    };
    const exportLine = {
      gnum: '1',
      itemNo: 'SKU-1',
      gcode: '6109100021',
      gname: 'T-shirt',
      gmodel: 'cotton',
      country: '142',
      currency: '142',
      qty: '2',
      qty1: '2',
      unit: '011',
      unit1: '011',
      price: '10',
      totalPrice: '20',
    };
    expect(buildCebMessage('CEB603', { head: exportHead, lines: [exportLine] }, envelope).xml).toContain(
      '<ceb:tradeMode>9610</ceb:tradeMode>',
    );
    try {
      buildCebMessage(
        'CEB603',
        { head: { ...exportHead, ieFlag: 'I', tradeMode: '1239', fFlag: '9' }, lines: [exportLine] },
        envelope,
      );
      expect.unreachable();
    } catch (error) {
      expect((error as CebValidationError).problems.map((p) => p.path)).toEqual([
        'InventoryHead.ieFlag',
        'InventoryHead.tradeMode',
        'InventoryHead.fFlag',
      ]);
    }
  });

  it('writes the summary (CEB701), delivery (CEB711), arrival (CEB507) and departure (CEB509)', () => {
    const split = { msgCount: '1', msgSeqNo: '1' };
    const cases = [
      buildCebMessage(
        'CEB701',
        {
          head: {
            ...common,
            ...split,
            customsCode: '2921',
            copNo: 'SM-1',
            agentCode: 'A1',
            agentName: 'Broker',
            ebcCode: 'E1',
            ebcName: 'Shop',
            declAgentCode: 'A1',
            declAgentName: 'Broker',
            startTime: '20261101000000',
            endTime: '20261130235959',
            summaryFlag: '1',
            itemNameFlag: '0',
          },
          lines: [{ invtNo: '29212026E000000001' }, { invtNo: '29212026E000000002' }],
        },
        envelope,
      ),
      buildCebMessage(
        'CEB711',
        {
          head: {
            ...common,
            customsCode: '2921',
            copNo: 'RK-1',
            operatorCode: 'O1',
            operatorName: 'Centre',
            ieFlag: 'I',
            trafMode: '5',
            billNo: 'MAWB-1',
            logisticsCode: 'L1',
            logisticsName: 'Express',
          },
          lines: [{ gnum: '1', logisticsNo: 'YT1' }],
        },
        envelope,
      ),
      buildCebMessage(
        'CEB507',
        {
          head: {
            ...common,
            ...split,
            customsCode: '2921',
            copNo: 'AR-1',
            operatorCode: 'O1',
            operatorName: 'Centre',
            loctNo: '2921W001',
            ieFlag: 'E',
            trafMode: '4',
            logisticsCode: 'L1',
            logisticsName: 'Express',
          },
          lines: [{ gnum: '1', logisticsNo: 'EX1' }],
        },
        envelope,
      ),
      buildCebMessage(
        'CEB509',
        {
          head: {
            ...common,
            ...split,
            customsCode: '2921',
            copNo: 'DP-1',
            logisticsCode: 'L1',
            logisticsName: 'Express',
            trafMode: '5',
            trafName: 'CA123',
            billNo: 'MAWB-1',
            leaveTime: '20261125220000',
          },
          lines: [{ gnum: '1', logisticsNo: 'EX1' }],
        },
        envelope,
      ),
    ];
    expect(cases.map((c) => parseXml(c.xml).name)).toEqual([
      'CEB701Message',
      'CEB711Message',
      'CEB507Message',
      'CEB509Message',
    ]);
    expect(children(children(parseXml(cases[0].xml), 'SummaryApply')[0], 'SummaryApplyList')).toHaveLength(2);
    expect(() =>
      buildCebMessage('CEB701', { head: { ...common, startTime: '2026-11-01' }, lines: [{ invtNo: 'x' }] }, envelope),
    ).toThrow(/SummaryApplyHead.startTime: must be YYYYMMDDhhmmss/);
  });
});

describe('all receipts', () => {
  const wrap = (type: string, element: string, body: string) =>
    `<ceb:${type}Message guid="X" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:${element}>${body}</ceb:${element}></ceb:${type}Message>`;
  const core = (status: string) =>
    `<ceb:guid>a1b2c3d4-0000-0000-0000-000000000001</ceb:guid><ceb:returnStatus>${status}</ceb:returnStatus><ceb:returnTime>20261125103000</ceb:returnTime><ceb:returnInfo>ok</ceb:returnInfo>`;

  it.each([
    ['CEB624', 'InvtCancelReturn'],
    ['CEB626', 'InvtRefundReturn'],
    ['CEB604', 'InventoryReturn'],
    ['CEB606', 'InvtCancelReturn'],
    ['CEB702', 'SummaryReturn'],
    ['CEB712', 'DeliveryReturn'],
    ['CEB508', 'ArrivalReturn'],
    ['CEB510', 'DepartureReturn'],
  ])('reads %s (%s), guid upper-cased, extra fields kept', (type, element) => {
    expect(parseCebReceipt(wrap(type, element, `${core('120')}<ceb:preNo>P1</ceb:preNo>`))).toEqual({
      ok: true,
      messageType: type,
      receipts: [
        {
          guid: 'A1B2C3D4-0000-0000-0000-000000000001',
          returnStatus: 120,
          returnTime: '20261125103000',
          returnInfo: 'ok',
          fields: expect.objectContaining({ preNo: 'P1' }),
        },
      ],
    });
  });

  it('reads an error receipt and refuses the wrong element or an unknown message', () => {
    expect(parseCebReceipt(wrap('CEB624', 'InvtCancelReturn', core('-1')))).toMatchObject({
      ok: true,
      receipts: [{ returnStatus: -1 }],
    });
    expect(parseCebReceipt(wrap('CEB624', 'InventoryReturn', core('800')))).toEqual({
      ok: false,
      error: 'CEB624 holds no InvtCancelReturn',
    });
    expect(parseCebReceipt(wrap('CEB999', 'X', core('800')))).toMatchObject({
      ok: false,
      error: expect.stringContaining('CEB999Message is not a receipt this system reads'),
    });
    expect(
      parseCebReceipt(wrap('CEB702', 'SummaryReturn', core('800').replace('20261125103000', '2026-11-25'))),
    ).toEqual({
      ok: false,
      error: 'CEB702 receipt 1: returnTime: must be YYYYMMDDhhmmss[fff]',
    });
  });

  it('reads a CEB792 summary result with its entryId and lists', () => {
    const xml = `<ceb:CEB792Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:SummaryResult><ceb:SummaryResultHead><ceb:guid>G1</ceb:guid><ceb:sumNo>S1</ceb:sumNo><ceb:entryId>292120261000000001</ceb:entryId><ceb:opDate>20261202100000</ceb:opDate></ceb:SummaryResultHead><ceb:SummaryResultList><ceb:invtNo>29212026E000000001</ceb:invtNo><ceb:gnum>1</ceb:gnum></ceb:SummaryResultList><ceb:SummaryResultList><ceb:invtNo>29212026E000000002</ceb:invtNo></ceb:SummaryResultList></ceb:SummaryResult></ceb:CEB792Message>`;
    expect(parseCebReceipt(xml)).toEqual({
      ok: true,
      messageType: 'CEB792',
      summary: {
        head: { guid: 'G1', sumNo: 'S1', entryId: '292120261000000001', opDate: '20261202100000' },
        lines: [{ invtNo: '29212026E000000001', gnum: '1' }, { invtNo: '29212026E000000002' }],
      },
    });
    expect(parseCebReceipt(xml.replace('292120261000000001', '12'))).toMatchObject({
      ok: false,
      error: expect.stringContaining('entryId: must be the 18-digit'),
    });
  });

  it('reads a CEB900 format-error receipt for any message (issue 14.7)', () => {
    const body = (extra: string) =>
      `<ceb:CEB900Message guid="X" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:MessageReturn><ceb:guid>a1b2c3d4-0000-0000-0000-000000000009</ceb:guid>${extra}<ceb:returnTime>20261125103000123</ceb:returnTime><ceb:returnInfo>cvc-complex-type.2.4.a: Invalid content was found starting with element 'ceb:pod'</ceb:returnInfo><ceb:oriMessageType>CEB603Message</ceb:oriMessageType></ceb:MessageReturn></ceb:CEB900Message>`;
    expect(parseCebReceipt(body('<ceb:returnStatus>-1</ceb:returnStatus>'))).toEqual({
      ok: true,
      messageType: 'CEB900',
      formatErrors: [
        {
          guid: 'A1B2C3D4-0000-0000-0000-000000000009',
          returnStatus: -1,
          returnTime: '20261125103000123',
          returnInfo: "cvc-complex-type.2.4.a: Invalid content was found starting with element 'ceb:pod'",
          oriMessageType: 'CEB603',
          fields: expect.objectContaining({ oriMessageType: 'CEB603Message' }),
        },
      ],
    });
    // the status may be absent; the guid and time may not
    expect(parseCebReceipt(body(''))).toMatchObject({ ok: true, formatErrors: [{ returnStatus: null }] });
    expect(parseCebReceipt(body('').replace(/<ceb:guid>[^<]+<\/ceb:guid>/, ''))).toEqual({
      ok: false,
      error: 'CEB900 receipt 1: guid: missing',
    });
    expect(
      parseCebReceipt('<ceb:CEB900Message xmlns:ceb="http://www.chinaport.gov.cn/ceb"></ceb:CEB900Message>'),
    ).toEqual({ ok: false, error: 'CEB900 holds no MessageReturn' });
  });
});
