import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCebMessage } from './ceb-reader.js';
import { MESSAGE_SPECS } from './ceb-schema.js';
import { buildCebMessage, CebValidationError } from './ceb-writer.js';
import { CODE_LISTS, customsCountryOfIso } from './code-lists.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures/ceb');
const envelope = { copCode: '3105960001', copName: 'Demo Centre Operator', dxpId: 'DXPENT0000000001' };

/** The head and lines of a kept sample, to change one field at a time. */
function sample(name: string) {
  const read = readCebMessage(readFileSync(join(FIXTURES, `${name}.xml`), 'utf8'));
  if (!read.ok) throw new Error(read.error);
  return read;
}
function problemsOf(type: 'CEB621' | 'CEB603', head: Record<string, string>, lines: Array<Record<string, string>>) {
  try {
    buildCebMessage(type, { head, lines }, envelope);
    return [];
  } catch (error) {
    if (!(error instanceof CebValidationError)) throw error;
    return error.problems;
  }
}
const without = (o: Record<string, string>, ...keys: string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

describe('CEB621 content by mode (issue 14 point 3)', () => {
  it('requires emsNo, areaCode and areaName in bonded mode, and the head country 142', () => {
    const { head, lines } = sample('CEB621-1210');
    expect(problemsOf('CEB621', head, lines)).toEqual([]);
    const problems = problemsOf('CEB621', { ...without(head, 'emsNo', 'areaCode', 'areaName'), country: '601' }, lines);
    expect(problems.map((p) => p.path)).toEqual([
      'InventoryHead.emsNo',
      'InventoryHead.areaCode',
      'InventoryHead.areaName',
      'InventoryHead.country',
    ]);
    expect(problems[3].problem).toMatch(/must be 142 in bonded mode 1210/);
    // 1239 is bonded too
    expect(problemsOf('CEB621', { ...without(head, 'emsNo'), tradeMode: '1239' }, lines).map((p) => p.path)).toEqual([
      'InventoryHead.emsNo',
    ]);
  });

  it('requires one parcel a list and the book line of every bonded line', () => {
    const { head, lines } = sample('CEB621-1210');
    expect(
      problemsOf('CEB621', { ...head, packNo: '2' }, [without(lines[0], 'itemRecordNo')]).map((p) => p.path),
    ).toEqual(['InventoryList[1].itemRecordNo', 'InventoryHead.packNo']);
  });

  it('requires trafNo, voyageNo and billNo of a 9610 direct-purchase import', () => {
    const { head, lines } = sample('CEB621-9610');
    expect(problemsOf('CEB621', head, lines)).toEqual([]);
    expect(problemsOf('CEB621', without(head, 'trafNo', 'voyageNo', 'billNo'), lines).map((p) => p.path)).toEqual([
      'InventoryHead.trafNo',
      'InventoryHead.voyageNo',
      'InventoryHead.billNo',
    ]);
  });
});

describe('customs code lists (issue 14 point 4)', () => {
  it('ships every list as a data file that names its source, codes unique', () => {
    const dir = join(dirname(fileURLToPath(import.meta.url)), 'code-lists');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(
      ['country', 'currency', 'customs-district', 'hs-legal-units', 'transport-mode', 'unit', 'wrap-type'].map(
        (f) => `${f}.json`,
      ),
    );
    for (const f of files) {
      const list = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { source: string; codes: Array<{ code: string }> };
      expect(list.source.length, f).toBeGreaterThan(20);
      expect(new Set(list.codes.map((c) => c.code)).size, f).toBe(list.codes.length);
    }
  });

  it('checks every coded field of every message against its list', () => {
    const coded: Record<string, string> = {
      country: 'country',
      tradeCountry: 'country',
      currency: 'currency',
      fCurrency: 'currency',
      iCurrency: 'currency',
      unit: 'unit',
      unit1: 'unit',
      unit2: 'unit',
      wrapType: 'wrapType',
      trafMode: 'transportMode',
      customsCode: 'customsDistrict',
      portCode: 'customsDistrict',
    };
    for (const [type, spec] of Object.entries(MESSAGE_SPECS))
      for (const f of [...spec.head.fields, ...(spec.lines?.fields ?? [])])
        if (f.name in coded) expect(f.type, `${type}.${f.name}`).toMatchObject({ kind: 'code', list: coded[f.name] });
  });

  it('refuses CNY, AUS, kg and wrap type Z (all accepted before), naming the list and a valid code', () => {
    const { head, lines } = sample('CEB603-9610');
    const problems = problemsOf(
      'CEB603',
      { ...head, fCurrency: 'CNY', iCurrency: 'USD', country: 'AUS', wrapType: 'Z' },
      [{ ...lines[0], unit: 'kg', currency: '156' }],
    );
    expect(problems).toEqual([
      {
        path: 'InventoryHead.country',
        problem: expect.stringMatching(/"AUS" is not in the customs country code list/),
      },
      { path: 'InventoryHead.fCurrency', problem: expect.stringMatching(/"CNY" .*currency.*142 \(CNY\)/) },
      { path: 'InventoryHead.iCurrency', problem: expect.stringMatching(/"USD"/) },
      { path: 'InventoryHead.wrapType', problem: expect.stringMatching(/"Z" .*2 \(carton\)/) },
      { path: 'InventoryList[1].currency', problem: expect.stringMatching(/"156"/) },
      { path: 'InventoryList[1].unit', problem: expect.stringMatching(/"kg" .*035 \(kg\)/) },
    ]);
  });

  it('reads office codes under a directly governed customs and ISO countries', () => {
    expect(CODE_LISTS.customsDistrict.has('5165')).toBe(true);
    expect(CODE_LISTS.customsDistrict.has('2921')).toBe(true);
    expect(CODE_LISTS.customsDistrict.has('1165')).toBe(false);
    expect(CODE_LISTS.customsDistrict.has('516')).toBe(false);
    expect(customsCountryOfIso('de')).toBe('304');
    expect(customsCountryOfIso('AU')).toBe('601');
    expect(customsCountryOfIso('142')).toBe('142');
    expect(customsCountryOfIso('XX')).toBeNull();
  });
});

describe('CEB603 content (issue 14 point 5)', () => {
  it('writes the port of destination as <ceb:POD>, as the XSD spells it', () => {
    const { head, lines } = sample('CEB603-9610');
    const { xml } = buildCebMessage('CEB603', { head, lines }, envelope);
    expect(xml).toContain('<ceb:POD>USLAX</ceb:POD>');
    expect(MESSAGE_SPECS.CEB603.head.fields.some((f) => f.name === 'pod')).toBe(false);
  });

  it('refuses a 1210 export without emsNo or book lines', () => {
    const { head, lines } = sample('CEB603-1210');
    expect(problemsOf('CEB603', head, lines)).toEqual([]);
    expect(
      problemsOf('CEB603', without(head, 'emsNo'), [without(lines[0], 'itemRecordNo')]).map((p) => p.path),
    ).toEqual(['InventoryHead.emsNo', 'InventoryList[1].itemRecordNo']);
  });

  it('keeps a second legal quantity with its unit', () => {
    const { head, lines } = sample('CEB603-9610');
    expect(problemsOf('CEB603', head, [without(lines[0], 'unit2')]).map((p) => p.path)).toEqual([
      'InventoryList[1].unit2',
    ]);
    expect(problemsOf('CEB603', head, [{ ...lines[0], unit2: lines[0].unit1 }]).map((p) => p.problem)).toEqual([
      expect.stringMatching(/second legal unit cannot be the first/),
    ]);
  });
});
