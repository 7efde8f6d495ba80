import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { children, parseXml } from '@wms/contracts';
import { describe, expect, it } from 'vitest';
import { CustomsAuthority, type CustomsAuthorityOptions } from './customs-authority.js';

const NS = 'xmlns:ceb="http://www.chinaport.gov.cn/ceb"';
const guid = () => randomUUID().toUpperCase();

function list(copNo: string, type: 'CEB621' | 'CEB603' = 'CEB621', id = guid()) {
  return {
    guid: id,
    xml: `<?xml version="1.0"?><ceb:${type}Message guid="${id}" version="1.0" ${NS}><ceb:Inventory><ceb:InventoryHead><ceb:guid>${id}</ceb:guid><ceb:customsCode>5165</ceb:customsCode><ceb:orderNo>O-${copNo}</ceb:orderNo><ceb:ebpCode>P1</ceb:ebpCode><ceb:ebcCode>E1</ceb:ebcCode><ceb:agentCode>A1</ceb:agentCode><ceb:logisticsNo>L-${copNo}</ceb:logisticsNo><ceb:copNo>${copNo}</ceb:copNo></ceb:InventoryHead><ceb:InventoryList><ceb:gnum>1</ceb:gnum></ceb:InventoryList></ceb:Inventory></ceb:${type}Message>`,
  };
}

function setup(options: Partial<CustomsAuthorityOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'customs-sim-'));
  const outbox = join(dir, 'outbox');
  const inbox = join(dir, 'inbox');
  const logs: string[] = [];
  const authority = new CustomsAuthority({
    outbox,
    inbox,
    seed: 7,
    delays: { acceptMs: 0, decisionMs: 0, afterInspectionMs: 0 },
    log: (l) => logs.push(l),
    ...options,
  });
  const put = (name: string, xml: string) => writeFileSync(join(outbox, name), xml);
  /** Every receipt in the inbox, in file-name order, as {type, status, time, fields}. */
  const receipts = () =>
    readdirSync(inbox)
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => {
        const root = parseXml(readFileSync(join(inbox, f), 'utf8'));
        const element = root.children[0];
        const fields = Object.fromEntries(element.children.map((c) => [c.name, c.text]));
        return { file: f, type: root.name, status: Number(fields.returnStatus), fields, root };
      });
  return { authority, outbox, inbox, put, receipts, logs };
}

describe('customs authority simulator', () => {
  it('takes each declaration once and answers a release with 120 then 800 and a customs list number', async () => {
    const { authority, outbox, put, receipts } = setup();
    const l = list('C1');
    put('CEB621_a.xml', l.xml);
    await authority.settle();
    expect(readdirSync(outbox).filter((f) => f.endsWith('.xml'))).toEqual([]);
    expect(existsSync(join(outbox, 'taken', 'CEB621_a.xml'))).toBe(true);
    const r = receipts();
    expect(r.map((x) => [x.type, x.status])).toEqual([
      ['CEB622Message', 120],
      ['CEB622Message', 800],
    ]);
    expect(r[1].fields).toMatchObject({ guid: l.guid, copNo: 'C1', customsCode: '5165' });
    expect(r[1].fields.invtNo).toMatch(new RegExp(`^5165${new Date().getUTCFullYear()}I\\d{9}$`));
    expect(r[1].fields.returnTime).toMatch(/^\d{17}$/);
    expect(r[1].file).toMatch(new RegExp(`^CEB622_${l.guid}_\\d{9}\\.xml$`));
    // taking again finds nothing new
    expect(authority.scanOnce()).toBe(0);
  });

  it('draws outcomes from the seed and the mix, the same every time, and honours overrides', () => {
    const mix = { release: 6, inspect: 2, reject: 1, error: 1 };
    const a = setup({ mix, seed: 11 }).authority;
    const b = setup({ mix, seed: 11 }).authority;
    const c = setup({ mix, seed: 12 }).authority;
    const keys = Array.from({ length: 2000 }, (_, i) => ({ copNo: `C${i}` }));
    const outcomesA = keys.map((k) => a.outcomeFor(k));
    expect(keys.map((k) => b.outcomeFor(k))).toEqual(outcomesA);
    expect(keys.map((k) => c.outcomeFor(k))).not.toEqual(outcomesA);
    const share = (o: string) => outcomesA.filter((x) => x === o).length / keys.length;
    expect(share('release')).toBeGreaterThan(0.55);
    expect(share('release')).toBeLessThan(0.65);
    expect(share('inspect')).toBeGreaterThan(0.15);
    expect(share('detain')).toBe(0);
    const forced = setup({ mix, overrides: { 'L-C5': 'detain', C6: 'reject' } }).authority;
    expect(forced.outcomeFor({ copNo: 'C5', logisticsNo: 'L-C5' })).toBe('detain');
    expect(forced.outcomeFor({ copNo: 'C6' })).toBe('reject');
    // a re-declaration after a rejection draws again
    expect(keys.slice(0, 50).some((k, i) => a.outcomeFor(k, 2) !== outcomesA[i])).toBe(true);
    expect(() => setup({ mix: { release: 0 } })).toThrow(/at least one outcome/);
    expect(() => setup({ mix: { relase: 1 } as never })).toThrow(/"relase=1" is not an outcome/);
  });

  it('answers inspection, rejection, detention and processing errors as customs does', async () => {
    const { authority, put, receipts } = setup({
      overrides: { I1: 'inspect', R1: 'reject', D1: 'detain', X1: 'error', IR1: 'inspect-release' },
    });
    for (const c of ['I1', 'R1', 'D1', 'X1', 'IR1']) put(`CEB621_${c}.xml`, list(c).xml);
    await authority.settle();
    const byCop = (c: string) =>
      receipts()
        .filter((r) => r.fields.copNo === c)
        .map((r) => r.status);
    expect(byCop('I1')).toEqual([120, 500]);
    expect(byCop('R1')).toEqual([120, 100]);
    expect(byCop('D1')).toEqual([120, 500, 501]);
    expect(byCop('X1')).toEqual([-301010]);
    expect(byCop('IR1')).toEqual([120, 500, 800]);
    expect(receipts().find((r) => r.status === 100)?.fields.returnInfo).toMatch(/rejected: .+/);
    // an inspection is concluded on demand
    expect(authority.conclude('L-I1', 'release')).toBe(true);
    expect(authority.conclude('L-I1', 'release')).toBe(false);
    await authority.settle();
    expect(byCop('I1')).toEqual([120, 500, 800]);
    expect(authority.stats.outcomes).toMatchObject({
      inspect: 1,
      reject: 1,
      detain: 1,
      error: 1,
      'inspect-release': 1,
    });
  });

  it('still concludes an inspection after a restart on the same folders, with the list number it gave', async () => {
    const { authority, outbox, inbox, put, receipts } = setup({ overrides: { 'L-I2': 'inspect', 'L-R2': 'release' } });
    put('CEB621_I2.xml', list('I2').xml);
    put('CEB621_R2.xml', list('R2').xml);
    await authority.settle();
    await authority.stop();
    const invtNo = receipts().find((r) => r.fields.copNo === 'I2')?.fields.invtNo;
    const again = new CustomsAuthority({ outbox, inbox, delays: { acceptMs: 0, decisionMs: 0 } });
    // only the list under inspection is kept; the released one is done with
    expect(again.knownLists()).toEqual([{ copNo: 'I2', logisticsNo: 'L-I2', invtNo, status: 500 }]);
    expect(again.conclude('L-R2', 'release')).toBe(false);
    expect(again.conclude('L-I2', 'detain')).toBe(true);
    await again.settle();
    const last = receipts().filter((r) => r.fields.copNo === 'I2');
    expect(last.map((r) => r.status)).toEqual([120, 500, 501]);
    expect(last[2].fields.invtNo).toBe(invtNo);
    // and once concluded it is gone from what a further restart restores
    expect(new CustomsAuthority({ outbox, inbox }).knownLists()).toEqual([]);
  });

  it('delivers duplicated and reordered receipts, each keeping its customs time', async () => {
    const { authority, put, receipts } = setup({ duplicateRate: 1, reorder: true });
    put('CEB603_e.xml', list('E1', 'CEB603').xml);
    await authority.settle();
    const r = receipts();
    expect(r.map((x) => x.status)).toEqual([800, 800, 120, 120]);
    expect(r[0].type).toBe('CEB604Message');
    expect(r[0].fields.returnTime >= r[2].fields.returnTime).toBe(true);
    expect(r[0].fields.invtNo).toMatch(/^5165\d{4}E\d{9}$/);
    expect(r[0].fields.orderNo).toBe('O-E1');
  });

  it('sets aside what it cannot read, with the reason, and keeps going', async () => {
    const { authority, outbox, put, receipts, logs } = setup();
    put('garbage.xml', '<<<not xml');
    put('CEB999_x.xml', `<ceb:CEB999Message ${NS}><ceb:X/></ceb:CEB999Message>`);
    put('CEB621_noguid.xml', list('N1').xml.replace(/<ceb:guid>[^<]+<\/ceb:guid>/, '<ceb:guid>abc</ceb:guid>'));
    put('CEB621_ok.xml', list('OK1').xml);
    await authority.settle();
    const rejected = readdirSync(join(outbox, 'rejected')).sort();
    expect(rejected).toEqual([
      'CEB621_noguid.xml',
      'CEB621_noguid.xml.error.txt',
      'CEB999_x.xml',
      'CEB999_x.xml.error.txt',
      'garbage.xml',
      'garbage.xml.error.txt',
    ]);
    expect(readFileSync(join(outbox, 'rejected', 'CEB999_x.xml.error.txt'), 'utf8')).toMatch(
      /CEB999Message is not a declaration/,
    );
    expect(readFileSync(join(outbox, 'rejected', 'CEB621_noguid.xml.error.txt'), 'utf8')).toMatch(/guid "abc"/);
    expect(receipts().map((r) => r.fields.copNo)).toEqual(['OK1', 'OK1']);
    expect(authority.stats).toMatchObject({ taken: 4, rejectedFiles: 3 });
    expect(logs).toHaveLength(3);
  });

  it('answers a 9610 summary with 702 and a CEB792 carrying the declaration number; refuses unknown lists', async () => {
    const { authority, put, receipts } = setup();
    put('CEB603_1.xml', list('S1', 'CEB603').xml);
    put('CEB603_2.xml', list('S2', 'CEB603').xml);
    await authority.settle();
    const invtNos = receipts()
      .filter((r) => r.status === 800)
      .map((r) => r.fields.invtNo);
    const summary = (id: string, nos: string[]) =>
      `<ceb:CEB701Message ${NS}><ceb:SummaryApply><ceb:SummaryApplyHead><ceb:guid>${id}</ceb:guid><ceb:customsCode>5165</ceb:customsCode><ceb:copNo>SM1</ceb:copNo><ceb:ebcCode>E1</ceb:ebcCode></ceb:SummaryApplyHead>${nos.map((n) => `<ceb:SummaryApplyList><ceb:invtNo>${n}</ceb:invtNo></ceb:SummaryApplyList>`).join('')}</ceb:SummaryApply></ceb:CEB701Message>`;
    const good = guid();
    put('CEB701_ok.xml', summary(good, invtNos));
    const bad = guid();
    put('CEB701_bad.xml', summary(bad, ['51652026E999999999']));
    await authority.settle();
    const all = receipts();
    expect(all.filter((r) => r.fields.guid === good && r.type === 'CEB702Message').map((r) => r.status)).toEqual([
      120, 800,
    ]);
    expect(all.filter((r) => r.fields.guid === bad).map((r) => r.status)).toEqual([100]);
    const result = all.find((r) => r.type === 'CEB792Message')!;
    const head = Object.fromEntries(
      children(result.root.children[0], 'SummaryResultHead')[0].children.map((c) => [c.name, c.text]),
    );
    expect(head.guid).toBe(good);
    expect(head.entryId).toMatch(/^\d{18}$/);
    expect(children(result.root.children[0], 'SummaryResultList').map((l) => l.children[0].text)).toEqual(invtNos);
  });

  it('answers the 9610 export chain: arrival recorded (508), master waybill of released arrived parcels (608), departure of arrived parcels only (510)', async () => {
    const { authority, put, receipts } = setup();
    put('CEB603_1.xml', list('X1', 'CEB603').xml);
    await authority.settle();
    const invtNo = receipts().find((r) => r.status === 800)!.fields.invtNo;
    const doc = (type: string, document: string, id: string, copNo: string, lines: string[]) =>
      `<ceb:${type}Message ${NS}><ceb:${document}><ceb:${document}Head><ceb:guid>${id}</ceb:guid><ceb:customsCode>5165</ceb:customsCode><ceb:copNo>${copNo}</ceb:copNo><ceb:operatorCode>OP1</ceb:operatorCode><ceb:agentCode>A1</ceb:agentCode><ceb:logisticsCode>LG1</ceb:logisticsCode><ceb:billNo>784-1</ceb:billNo><ceb:msgSeqNo>1</ceb:msgSeqNo></ceb:${document}Head>${lines.map((l) => `<ceb:${document}List>${l}</ceb:${document}List>`).join('')}</ceb:${document}></ceb:${type}Message>`;
    const line = (logisticsNo: string, invt = '') =>
      `<ceb:gnum>1</ceb:gnum><ceb:logisticsNo>${logisticsNo}</ceb:logisticsNo>${invt ? `<ceb:invtNo>${invt}</ceb:invtNo>` : ''}`;
    const early = guid();
    put('CEB509_early.xml', doc('CEB509', 'Departure', early, 'LJ0', [line('L-X1')]));
    await authority.settle();
    const arrival = guid();
    put('CEB507_1.xml', doc('CEB507', 'Arrival', arrival, 'YD1', [line('L-X1')]));
    await authority.settle();
    const waybill = guid();
    const badWaybill = guid();
    put('CEB607_1.xml', doc('CEB607', 'WayBill', waybill, 'ZF1', [line('L-X1', invtNo)]));
    put('CEB607_2.xml', doc('CEB607', 'WayBill', badWaybill, 'ZF2', [line('L-X1', '51652026E999999999')]));
    const departure = guid();
    put('CEB509_1.xml', doc('CEB509', 'Departure', departure, 'LJ1', [line('L-X1')]));
    await authority.settle();
    const of = (id: string) => receipts().filter((r) => r.fields.guid === id);
    expect(of(early).map((r) => [r.type, r.status])).toEqual([
      ['CEB510Message', 120],
      ['CEB510Message', 100],
    ]);
    expect(of(early)[1].fields.returnInfo).toContain('运单未运抵');
    expect(of(arrival).map((r) => [r.type, r.status])).toEqual([
      ['CEB508Message', 120],
      ['CEB508Message', 399],
    ]);
    expect(of(arrival)[1].fields).toMatchObject({ copNo: 'YD1', operatorCode: 'OP1', billNo: '784-1' });
    expect(of(arrival)[1].fields.preNo).toMatch(/^E[0-9A-F]{17}$/);
    expect(of(waybill).map((r) => [r.type, r.status])).toEqual([
      ['CEB608Message', 120],
      ['CEB608Message', 399],
    ]);
    expect(of(badWaybill).map((r) => r.status)).toEqual([120, 100]);
    expect(of(badWaybill)[1].fields.returnInfo).toContain('清单未放行');
    expect(of(departure).map((r) => [r.type, r.status])).toEqual([
      ['CEB510Message', 120],
      ['CEB510Message', 399],
    ]);
  });

  it('approves a cancel or return of a released list and refuses one of a list it never released', async () => {
    const { authority, put, receipts } = setup({ overrides: { NR: 'inspect' } });
    put('CEB621_1.xml', list('C1').xml);
    put('CEB621_2.xml', list('NR').xml);
    await authority.settle();
    const invt = (c: string) => receipts().find((r) => r.fields.copNo === c)!.fields.invtNo;
    const refund = (id: string, invtNo: string) =>
      `<ceb:CEB625Message ${NS}><ceb:InvtRefund><ceb:InvtRefundHead><ceb:guid>${id}</ceb:guid><ceb:customsCode>5165</ceb:customsCode><ceb:copNo>RT-${id.slice(0, 4)}</ceb:copNo><ceb:invtNo>${invtNo}</ceb:invtNo></ceb:InvtRefundHead></ceb:InvtRefund></ceb:CEB625Message>`;
    const ok = guid();
    const no = guid();
    put('CEB625_ok.xml', refund(ok, invt('C1')));
    put('CEB625_no.xml', refund(no, invt('NR')));
    await authority.settle();
    expect(
      receipts()
        .filter((r) => r.fields.guid === ok)
        .map((r) => [r.type, r.status]),
    ).toEqual([
      ['CEB626Message', 120],
      ['CEB626Message', 399],
    ]);
    expect(
      receipts()
        .filter((r) => r.fields.guid === no)
        .map((r) => r.status),
    ).toEqual([100]);
  });

  it('approves a cancel with 399 as the single window does, and a return with 800 when told', async () => {
    const { authority, put, receipts } = setup({ returnApproval: 800 });
    put('CEB621_1.xml', list('K1').xml);
    put('CEB621_2.xml', list('K2').xml);
    await authority.settle();
    const invt = (c: string) => receipts().find((r) => r.fields.copNo === c)!.fields.invtNo;
    const cancel = guid();
    const refund = guid();
    put(
      'CEB623_1.xml',
      `<ceb:CEB623Message ${NS}><ceb:InvtCancel><ceb:guid>${cancel}</ceb:guid><ceb:customsCode>5165</ceb:customsCode><ceb:copNo>CX1</ceb:copNo><ceb:invtNo>${invt('K1')}</ceb:invtNo></ceb:InvtCancel></ceb:CEB623Message>`,
    );
    put(
      'CEB625_1.xml',
      `<ceb:CEB625Message ${NS}><ceb:InvtRefund><ceb:InvtRefundHead><ceb:guid>${refund}</ceb:guid><ceb:customsCode>5165</ceb:customsCode><ceb:copNo>RT1</ceb:copNo><ceb:invtNo>${invt('K2')}</ceb:invtNo></ceb:InvtRefundHead></ceb:InvtRefund></ceb:CEB625Message>`,
    );
    await authority.settle();
    const of = (id: string) => receipts().filter((r) => r.fields.guid === id);
    expect(of(cancel).map((r) => [r.type, r.status])).toEqual([
      ['CEB624Message', 120],
      ['CEB624Message', 399],
    ]);
    expect(of(cancel)[1].fields.returnInfo).toContain('撤单申请审核通过');
    expect(of(refund).map((r) => [r.type, r.status])).toEqual([
      ['CEB626Message', 120],
      ['CEB626Message', 800],
    ]);
  });

  it('produces detention handed over then released, release then closing, error then release, and CEB900 format errors', async () => {
    const { authority, put, receipts } = setup({
      overrides: { DR: 'detain-release', RC: 'release-close', ER: 'error-release', FE: 'format-error' },
    });
    const fe = list('FE');
    for (const c of ['DR', 'RC', 'ER']) put(`CEB621_${c}.xml`, list(c).xml);
    put('CEB621_FE.xml', fe.xml);
    await authority.settle();
    const byCop = (c: string) => receipts().filter((r) => r.fields.copNo === c);
    expect(byCop('DR').map((r) => r.status)).toEqual([120, 500, 501, 800]);
    expect(byCop('RC').map((r) => r.status)).toEqual([120, 800, 899]);
    expect(byCop('ER').map((r) => r.status)).toEqual([-621041, 120, 800]);
    // with every delay at zero, each decision is still stamped after the previous one
    for (const c of ['DR', 'RC', 'ER']) {
      const times = byCop(c).map((r) => r.fields.returnTime);
      expect(times).toEqual([...new Set(times)].sort());
    }
    const format = receipts().filter((r) => r.type === 'CEB900Message');
    expect(format).toHaveLength(1);
    expect(format[0].root.children[0].name).toBe('MessageReturn');
    expect(format[0].fields).toMatchObject({ guid: fe.guid, oriMessageType: 'CEB621Message' });
    expect(format[0].fields.returnInfo).toMatch(/format check failed/);
    expect(format[0].file).toMatch(new RegExp(`^CEB900_${fe.guid}_\\d{9}\\.xml$`));
  });

  it('keeps its serial numbers across a restart, so customs numbers never repeat', async () => {
    const first = setup();
    first.put('CEB621_1.xml', list('A').xml);
    await first.authority.settle();
    const again = new CustomsAuthority({
      outbox: first.outbox,
      inbox: first.inbox,
      delays: { acceptMs: 0, decisionMs: 0 },
    });
    first.put('CEB621_2.xml', list('B').xml);
    await again.settle();
    const nos = first
      .receipts()
      .filter((r) => r.status === 800)
      .map((r) => r.fields.invtNo);
    expect(new Set(nos).size).toBe(2);
  });
});
