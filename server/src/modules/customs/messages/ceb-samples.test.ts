import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelope, FIXTURES, SAMPLES } from '../../../../test/fixtures/ceb/samples.js';
import { readCebMessage } from './ceb-reader.js';
import { buildCebMessage } from './ceb-writer.js';

/**
 * A sample message of every kind and mode we write, kept in server/test/fixtures/ceb/ (issue 14:
 * "sample messages of each kind kept in the repo's test fixtures and read back by our parser"),
 * made there (samples.ts) by the real builders. `UPDATE_CEB_SAMPLES=1` rewrites them after a
 * deliberate change; otherwise a sample that differs from what the writer makes fails.
 */
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
