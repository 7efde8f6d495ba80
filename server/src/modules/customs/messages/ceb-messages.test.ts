import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { takeIncoming, writeOutgoing } from '../transport/customs-folder.transport.js';
import { parseCeb622 } from './ceb-receipt-parser.js';
import { buildCebMessage, CebValidationError } from './ceb-writer.js';
import { children, parseXml } from './xml-reader.js';

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
    expect(parseCeb622(receipt('800', '放行'))).toEqual({
      ok: true,
      messageType: 'CEB622',
      receipts: [
        expect.objectContaining({ guid: 'A1B2', returnStatus: 800, returnInfo: '放行', invtNo: '29212026I000000001' }),
      ],
    });
    expect(parseCeb622(receipt('-301010', 'orderNo & ebpCode not found'))).toMatchObject({
      ok: true,
      receipts: [{ returnStatus: -301010, returnInfo: 'orderNo & ebpCode not found' }],
    });
  });

  it('gives a clear error for garbage, truncation, XXE and missing fields, never a crash', () => {
    expect(parseCeb622('not xml at all')).toMatchObject({ ok: false });
    expect(parseCeb622(receipt('800').slice(0, 120))).toMatchObject({
      ok: false,
      error: expect.stringContaining('not readable XML'),
    });
    expect(
      parseCeb622('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ceb:CEB622Message>&e;</ceb:CEB622Message>'),
    ).toEqual({ ok: false, error: 'not readable XML: DOCTYPE and entity declarations are refused' });
    expect(parseCeb622(receipt('800').replace(/<ceb:returnStatus>800<\/ceb:returnStatus>/, ''))).toEqual({
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
      expect(() => parseCeb622(cut.join(''))).not.toThrow();
    }
  });
});

describe('watched-folder transport', () => {
  it('writes atomically: only the final name appears, complete', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ceb-out-'));
    const path = writeOutgoing(dir, 'CEB621_A1B2.xml', '<x/>');
    expect(readdirSync(dir)).toEqual(['CEB621_A1B2.xml']);
    expect(readFileSync(path, 'utf8')).toBe('<x/>');
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
