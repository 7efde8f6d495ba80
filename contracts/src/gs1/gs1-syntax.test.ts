import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GS, gs1CheckDigit, parseGs1 } from '../gs1.js';
import { GS1_CODE_LISTS, GS1_SYNTAX_DICTIONARY_TEXT } from './dictionary.data.js';
import { GS1_AIS, type Gs1AiEntry, type Gs1Component, lookupAiPrefix } from './dictionary.js';
import { checkPairings, readElementString } from './element-string.js';
import { GS1_LINTERS } from './linters.js';

const now = new Date('2026-11-25T00:00:00Z');
const data = join(import.meta.dirname, '../../data/gs1');
const lint = (name: string, value: string) => GS1_LINTERS[name](value, now)?.message ?? null;
const read = (text: string) => parseGs1(text, now, { requisites: false });

describe('the dictionary shipped as data', () => {
  it('the module the parser reads is the shipped dictionary and code lists, unchanged', () => {
    expect(GS1_SYNTAX_DICTIONARY_TEXT).toBe(readFileSync(join(data, 'gs1-syntax-dictionary.txt'), 'utf8'));
    const lists = JSON.parse(readFileSync(join(data, 'code-lists.json'), 'utf8'));
    for (const key of ['iso3166', 'iso3166alpha2', 'iso4217', 'packagetype', 'mediatype'] as const)
      expect(GS1_CODE_LISTS[key]).toEqual(lists[key]);
    expect(GS1_CODE_LISTS.iso3166).toContain('156'); // China
    expect(GS1_CODE_LISTS.iso4217).toContain('156'); // CNY
  });

  it('reads every line: ranges expanded, every linter named is implemented', () => {
    const lines = GS1_SYNTAX_DICTIONARY_TEXT.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const expanded = lines
      .map((l) => l.trim().split(/\s+/)[0])
      .reduce((n, ai) => {
        const [from, to] = ai.split('-');
        return n + (to ? Number(to) - Number(from) + 1 : 1);
      }, 0);
    expect(GS1_AIS.size).toBe(expanded);
    for (const entry of GS1_AIS.values())
      for (const c of entry.components) for (const name of c.linters) expect(GS1_LINTERS[name], name).toBeDefined();
    expect(GS1_AIS.get('3302')).toMatchObject({
      title: 'GROSS WEIGHT (kg)',
      fnc1Required: false,
      requires: [[['00'], ['01']]],
    });
    expect(GS1_AIS.get('37')).toMatchObject({
      fnc1Required: true,
      requires: [
        [
          ['00', '02'],
          ['00', '8026'],
        ],
      ],
    });
    expect(GS1_AIS.get('8200')).toMatchObject({ maxLength: 70, requires: [[['01']]] });
  });

  it("marks as predefined length exactly the AIs of GS1's predefined-length prefixes (GenSpecs figure 7.8.5-2)", () => {
    const predefined = new Set([
      '00',
      '01',
      '02',
      '03',
      '04',
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '31',
      '32',
      '33',
      '34',
      '35',
      '36',
      '41',
    ]);
    for (const entry of GS1_AIS.values())
      expect(entry.fnc1Required, entry.ai).toBe(!predefined.has(entry.ai.slice(0, 2)));
  });

  it('finds an AI by the length its first two digits fix', () => {
    expect(lookupAiPrefix('3302001234')?.ai).toBe('3302');
    expect(lookupAiPrefix('8200http')?.ai).toBe('8200');
    expect(lookupAiPrefix('99x')?.ai).toBe('99');
    expect(lookupAiPrefix('3306001234')).toBeNull(); // 330n has n = 0 to 5
    expect(lookupAiPrefix('2312')).toBeNull(); // (23) retired
    expect(lookupAiPrefix('x1')).toBeNull();
  });
});

describe('GS1 linters', () => {
  it('csum: mod-10 check digit over the whole component', () => {
    expect(lint('csum', '04006381333931')).toBeNull();
    expect(lint('csum', '106141411234567897')).toBeNull();
    expect(lint('csum', '04006381333932')).toBe('The numeric check digit is incorrect (expected 1).');
    expect(lint('csum', '0400638133393A')).toMatch(/non-digit/);
  });

  it('csumalpha: the check character pair (GS1 General Specifications 7.9.5 example)', () => {
    expect(lint('csumalpha', '1987654Ad4X4bL5ttr2310c2K')).toBeNull();
    expect(lint('csumalpha', '1987654Ad4X4bL5ttr2310c2L')).toMatch(
      /check-character pair are incorrect \(expected 2K\)/,
    );
    expect(lint('csumalpha', '22')).toBeNull();
    expect(lint('csumalpha', 'A')).toMatch(/too short/);
  });

  it('dates: yymmd0 takes day 00, yymmdd does not; months, leap years, centuries', () => {
    expect(lint('yymmd0', '260200')).toBeNull();
    expect(lint('yymmdd', '260200')).toMatch(/illegal day/);
    expect(lint('yymmdd', '280229')).toBeNull(); // 2028 is a leap year
    expect(lint('yymmdd', '270229')).toMatch(/illegal day/);
    expect(lint('yymmd0', '261301')).toMatch(/illegal month/);
    expect(lint('yymmd0', '2612')).toBe('The date is too short.');
    expect(lint('yyyymmdd', '20000229')).toBeNull();
    expect(lint('yyyymmdd', '19000229')).toMatch(/illegal day/);
    expect(lint('yyyymmd0', '19000200')).toBeNull();
  });

  it('times: hh, mi, ss, hhmi', () => {
    expect(lint('hh', '23')).toBeNull();
    expect(lint('hh', '24')).toMatch(/illegal hour/);
    expect(lint('mi', '60')).toMatch(/illegal minute/);
    expect(lint('ss', '59')).toBeNull();
    expect(lint('hhmi', '2360')).toMatch(/illegal minute/);
    expect(lint('hhmi', '123')).toMatch(/too short for HHMI/);
  });

  it('code lists: ISO 3166 (numeric, alpha-2, or 999), ISO 4217, ISO 5218, package types, media types', () => {
    expect(lint('iso3166', '156')).toBeNull();
    expect(lint('iso3166', '999')).toMatch(/ISO 3166/);
    expect(lint('iso3166999', '999')).toBeNull();
    expect(lint('iso3166999', '001')).toMatch(/or "999"/);
    expect(lint('iso3166alpha2', 'CN')).toBeNull();
    expect(lint('iso3166alpha2', 'XX')).toMatch(/two-character/);
    expect(lint('iso4217', '978')).toBeNull();
    expect(lint('iso4217', '000')).toMatch(/ISO 4217/);
    expect(lint('iso5218', '9')).toBeNull();
    expect(lint('iso5218', '3')).toMatch(/5218/);
    expect(lint('packagetype', 'PK')).toBeNull();
    expect(lint('packagetype', 'QQQ')).toMatch(/package type/);
    expect(lint('mediatype', '10')).toBeNull();
    expect(lint('mediatype', '11')).toMatch(/media type/);
  });

  it('iban, piece of total, position in sequence, percent-encoding, coordinates', () => {
    expect(lint('iban', 'GB82WEST12345698765432')).toBeNull();
    expect(lint('iban', 'GB83WEST12345698765432')).toMatch(/check characters/);
    expect(lint('iban', 'XX82WEST12345698765432')).toMatch(/country code/);
    expect(lint('pieceoftotal', '0203')).toBeNull();
    expect(lint('pieceoftotal', '0302')).toMatch(/must not exceed/);
    expect(lint('pieceoftotal', '0003')).toMatch(/piece number must not have a value of zero/);
    expect(lint('pieceoftotal', '123')).toMatch(/even length/);
    expect(lint('posinseqslash', '2/3')).toBeNull();
    expect(lint('posinseqslash', '4/3')).toMatch(/must not exceed/);
    expect(lint('posinseqslash', '02/3')).toMatch(/zero prefix/);
    expect(lint('posinseqslash', '23')).toMatch(/format/);
    expect(lint('pcenc', 'A%20B')).toBeNull();
    expect(lint('pcenc', 'A%2G')).toMatch(/percent/);
    expect(lint('pcenc', 'A%2')).toMatch(/percent/);
    expect(lint('latitude', '1800000000')).toBeNull();
    expect(lint('latitude', '1800000001')).toMatch(/outside/);
    expect(lint('longitude', '3600000001')).toMatch(/outside/);
  });

  it('single characters and prefixes: yesno, winding, zero, nonzero, nozeroprefix, hyphen, importeridx, hasnondigit, gcppos', () => {
    expect(lint('yesno', '1')).toBeNull();
    expect(lint('yesno', '2')).toMatch(/"0" or "1"/);
    expect(lint('winding', '9')).toBeNull();
    expect(lint('winding', '2')).toMatch(/winding/);
    expect(lint('zero', '0')).toBeNull();
    expect(lint('zero', '1')).toMatch(/zero is required/);
    expect(lint('nonzero', '0000')).toMatch(/non-zero/);
    expect(lint('nonzero', '0010')).toBeNull();
    expect(lint('nozeroprefix', '0')).toMatch(/zero prefix/);
    expect(lint('nozeroprefix', '10')).toBeNull();
    expect(lint('hyphen', '-')).toBeNull();
    expect(lint('hyphen', 'A')).toMatch(/hyphens/);
    expect(lint('importeridx', '_')).toBeNull();
    expect(lint('importeridx', '+')).toMatch(/invalid character/);
    expect(lint('hasnondigit', '1234')).toMatch(/non-digit character is required/);
    expect(lint('gcppos1', '123A')).toMatch(/Company Prefix/);
    expect(lint('gcppos2', '1123A')).toMatch(/Company Prefix/);
    expect(lint('gcppos2', '11234')).toBeNull();
  });

  it('character sets: CSET 82, CSET 39, CSET 64 with its padding', () => {
    expect(lint('cset82', 'AZaz09!"%&\'()*+,-./:;<=>?_')).toBeNull();
    expect(lint('cset82', 'A B')).toMatch(/CSET 82/);
    expect(lint('cset82', 'A#B')).toMatch(/CSET 82/);
    expect(lint('cset39', 'AB-#/09')).toBeNull();
    expect(lint('cset39', 'ab')).toMatch(/CSET 39/);
    expect(lint('cset64', 'AbC-_9')).toBeNull();
    expect(lint('cset64', 'AbCd==')).toBeNull();
    expect(lint('cset64', 'AbC===')).toMatch(/pad/);
    expect(lint('cset64', 'Ab+')).toMatch(/CSET 64/);
  });
});

// ----------------------------------------------------------------------------- samples by the dictionary

/** A value for one component that its linters accept. */
function componentSample(c: Gs1Component, pick: (n: number) => number): string | null {
  const n = c.min === c.max ? c.max : c.min + pick(c.max - c.min + 1);
  const digits = (k: number) => Array.from({ length: k }, () => String(pick(10))).join('');
  const from = (list: string[]) => list[pick(list.length)];
  const L = new Set(c.linters);
  if (L.has('csum')) {
    const body = digits(c.max - 1);
    return body + gs1CheckDigit(body);
  }
  if (L.has('yymmd0') || L.has('yymmdd'))
    return `${digits(2)}${String(1 + pick(12)).padStart(2, '0')}${String(1 + pick(28)).padStart(2, '0')}`;
  if (L.has('yyyymmdd'))
    return `20${digits(2)}${String(1 + pick(12)).padStart(2, '0')}${String(1 + pick(28)).padStart(2, '0')}`;
  if (L.has('hhmi')) return `${String(pick(24)).padStart(2, '0')}${String(pick(60)).padStart(2, '0')}`;
  if (L.has('hh')) return String(pick(24)).padStart(2, '0');
  if (L.has('mi') || L.has('ss')) return String(pick(60)).padStart(2, '0');
  if (L.has('iso3166') || L.has('iso3166999')) return from(GS1_CODE_LISTS.iso3166);
  if (L.has('iso4217')) return from(GS1_CODE_LISTS.iso4217);
  if (L.has('iso3166alpha2')) return from(GS1_CODE_LISTS.iso3166alpha2);
  if (L.has('packagetype')) return from(GS1_CODE_LISTS.packagetype);
  if (L.has('mediatype')) return from(GS1_CODE_LISTS.mediatype);
  if (L.has('yesno')) return from(['0', '1']);
  if (L.has('winding')) return from(['0', '1', '9']);
  if (L.has('zero')) return '0';
  if (L.has('nonzero')) return String(1 + pick(9)).padStart(n, '0');
  if (L.has('iso5218')) return from(['0', '1', '2', '9']);
  if (L.has('hyphen')) return '-';
  if (L.has('importeridx')) return from(['A', 'z', '-', '_', '5']);
  if (L.has('pieceoftotal')) return `${'1'.padStart(c.max / 2, '0')}${'2'.padStart(c.max / 2, '0')}`;
  if (L.has('latitude') || L.has('longitude')) return `0${digits(9)}`;
  if (L.has('posinseqslash')) return '1/2';
  if (L.has('nozeroprefix')) return String(1 + pick(9)) + digits(n - 1);
  if (L.has('iban') || L.has('csumalpha') || L.has('couponcode') || L.has('couponposoffer')) return null;
  if (c.cset === 'N') return digits(n);
  if (c.cset === 'Y') return `1234${'A-/#'.repeat(10)}`.slice(0, Math.max(4, n));
  if (c.cset === 'Z') return 'AbC-_9'.slice(0, n - (n % 3) || 3);
  const x = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
  let v = Array.from({ length: n }, () => x[pick(x.length)]).join('');
  if (L.has('pcenc')) v = v.replaceAll('%', 'P');
  if (L.has('gcppos1')) v = `${digits(4)}${v}`.slice(0, Math.max(4, n));
  return v;
}

function valueSample(entry: Gs1AiEntry, pick: (n: number) => number, fill = true): string | null {
  let v = '';
  for (const c of entry.components) {
    if (c.optional && !fill) break;
    const part = componentSample(c, pick);
    if (part === null) return null;
    v += part;
  }
  return v;
}

let seed = 7;
const pick = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

describe('every AI of the dictionary', () => {
  const samples = [...GS1_AIS.values()].map((entry) => ({ entry, value: valueSample(entry, pick) }));

  it('reads a valid sample of each AI and keeps it with its title', () => {
    let read_ = 0;
    for (const { entry, value } of samples) {
      if (value === null) continue;
      const result = read(`${entry.ai}${value}`);
      expect(result, `${entry.ai}${value}`).toMatchObject({ ok: true });
      expect(result.ok && result.data.elements).toEqual([{ ai: entry.ai, value, title: entry.title }]);
      read_++;
    }
    expect(read_).toBeGreaterThan(GS1_AIS.size - 10);
  });

  it('refuses each AI one character short, and one character long without FNC1, naming the AI', () => {
    for (const { entry, value } of samples) {
      if (value === null) continue;
      const short = valueSample(entry, pick, false)!;
      if (entry.minLength > 0) {
        const r = read(`${entry.ai}${short.slice(0, entry.minLength - 1)}`);
        expect(r, `${entry.ai} short`).toMatchObject({ ok: false, errors: [{ ai: entry.ai }] });
      }
      if (entry.fnc1Required) {
        // data past the longest field without FNC1 is refused (a fixed-length AI just ends: the next is read)
        const long = `${entry.ai}${value.padEnd(entry.maxLength, value.at(-1))}${value.at(-1)}`;
        expect(read(long), `${entry.ai} long`).toMatchObject({ ok: false, errors: [{ ai: entry.ai }] });
      }
    }
  });
});

describe('FNC1 and byte boundaries', () => {
  const gtin = '04006381333931';

  it('a predefined-length AI needs no FNC1, may have one; a variable one needs it unless last', () => {
    expect(read(`01${gtin}10ABC`)).toMatchObject({ ok: true });
    expect(read(`01${gtin}${GS}10ABC${GS}`)).toMatchObject({ ok: true });
    expect(read(`${GS}01${gtin}10ABC`)).toMatchObject({ ok: true }); // FNC1 in first position
    expect(read(`10ABC${GS}01${gtin}`)).toMatchObject({ ok: true, data: { batch: 'ABC', gtin } });
    // without FNC1 the batch runs on: 20 characters of batch, then the 21st is too many
    expect(read(`10ABC01${gtin}XXXX`)).toMatchObject({ ok: false, errors: [{ kind: 'fnc1', ai: '10' }] });
    expect(read(`01${gtin}${GS}${GS}10ABC`)).toMatchObject({ ok: false, errors: [{ kind: 'unknown-ai' }] });
    expect(read(`01${gtin}10`)).toMatchObject({ ok: false, errors: [{ kind: 'length', ai: '10' }] });
  });

  it('cuts a fixed-length field at every byte and names the AI', () => {
    const full = `00106141411234567897`;
    for (let cut = 3; cut < full.length; cut++)
      expect(read(full.slice(0, cut)), `cut at ${cut}`).toMatchObject({ ok: false, errors: [{ ai: '00' }] });
    expect(read(full)).toMatchObject({ ok: true });
  });

  it('a variable field takes 1 to its maximum', () => {
    expect(read(`01${gtin}10${'A'.repeat(20)}`)).toMatchObject({ ok: true });
    expect(read(`01${gtin}10${'A'.repeat(21)}`)).toMatchObject({ ok: false, errors: [{ ai: '10', kind: 'fnc1' }] });
    expect(read(`01${gtin}8200${'A'.repeat(70)}`)).toMatchObject({ ok: true });
  });
});

describe('pairings (GS1 req= and ex=)', () => {
  const gtin = '04006381333931';
  const kinds = (text: string) => {
    const r = parseGs1(text, now);
    return r.ok ? [] : r.errors.map((e) => `${e.kind}:${e.ai}`);
  };

  it('(02) requires (37); (37) requires (00) with (02); a label read whole is fine', () => {
    expect(kinds(`02${gtin}10LOT`)).toEqual(['missing-pairing:02']);
    expect(kinds(`02${gtin}37${'24'}`)).toEqual(['missing-pairing:37']);
    expect(kinds(`00106141411234567897${'02'}${gtin}37${'24'}${GS}3302001234${'10'}LOT`)).toEqual([]);
    // the other carrier of the same label brings the SSCC
    expect(
      parseGs1(`02${gtin}37${'24'}${GS}3302001234${'10'}LOT`, now, {
        alsoOnItem: [{ ai: '00', value: '106141411234567897' }],
      }),
    ).toMatchObject({ ok: true, data: { contentGtin: gtin, count: 24, grossWeightGrams: 12_340 } });
  });

  it('invalid pairs: (02) with (01), (01) with (37), (420) with (421), two net weights', () => {
    // (02) excludes (01); (01)'s own list (255, 37) does not name (02)
    expect(kinds(`01${gtin}02${gtin}`)).toEqual(['invalid-pairing:02', 'missing-pairing:02']);
    expect(kinds(`00106141411234567897${'01'}${gtin}37${'5'}`)).toEqual(['invalid-pairing:01', 'missing-pairing:37']);
    expect(kinds(`00106141411234567897${'420'}200000${GS}421156200000`)).toContain('invalid-pairing:420');
    expect(kinds(`01${gtin}3102000100${'3103'}001000`)).toEqual(['invalid-pairing:3102', 'invalid-pairing:3103']);
    // an AI is not exclusive of itself: one 310n with ex=310n is fine
    expect(kinds(`01${gtin}3102000100`)).toEqual([]);
  });

  it('groups: (250) requires (01) with (21); repeated AIs must agree; a signature needs a serialised key', () => {
    expect(kinds(`01${gtin}250X`)).toEqual(['missing-pairing:250']);
    expect(kinds(`01${gtin}21S1${GS}250X`)).toEqual([]);
    expect(kinds(`01${gtin}10A${GS}10A`)).toEqual([]);
    expect(kinds(`01${gtin}10A${GS}10B`)).toEqual(['repeated-ai:10']);
    expect(checkPairings(readElementString(`2534006381333931${GS}8030AbC-`, now).elements).map((e) => e.kind)).toEqual([
      'digsig-serial',
    ]);
  });
});

describe('against GS1 Syntax Engine verdicts', () => {
  const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'engine-verdicts.fixture.json'), 'utf8')) as {
    requisites: Array<{ data: string; engine: string }>;
    noRequisites: Array<{ data: string; engine: string }>;
  };
  const now2026 = new Date('2026-12-01T00:00:00Z');

  for (const [mode, cases] of [
    ['with', fixture.requisites],
    ['without', fixture.noRequisites],
  ] as const)
    it(`agrees with the engine on every kept string, ${mode} mandatory associations`, () => {
      for (const { data: text, engine } of cases) {
        const mine = parseGs1(text, now2026, { requisites: mode === 'with' });
        expect(mine.ok, `${JSON.stringify(text)}: engine ${engine}`).toBe(engine === 'OK');
        const named = /AI \((\d+)\)/.exec(engine)?.[1];
        if (!mine.ok && named) expect(mine.errors.map((e) => e.ai)).toContain(named);
      }
    });
});

describe('property: element strings built from the dictionary', () => {
  const entries = [...GS1_AIS.values()];

  it('read back exactly as written, whichever AIs and order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(entries.length - 1), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        (indexes, s) => {
          let local = s;
          const rnd = (n: number) => {
            local = (local * 1103515245 + 12345) & 0x7fffffff;
            return local % n;
          };
          const chosen = [...new Map(indexes.map((i) => [entries[i].ai, entries[i]])).values()];
          const parts = chosen.map((e) => ({ e, value: valueSample(e, rnd) })).filter((p) => p.value !== null);
          fc.pre(parts.length > 0);
          const text = parts
            .map((p, i) => `${p.e.ai}${p.value}${p.e.fnc1Required && i < parts.length - 1 ? GS : ''}`)
            .join('');
          const r = readElementString(text, now);
          expect(r.errors).toEqual([]);
          expect(r.elements.map((x) => [x.ai, x.value])).toEqual(parts.map((p) => [p.e.ai, p.value]));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws on any text, and a refusal always says why', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789AZaz-%/\u001d '.split('')), maxLength: 60 }),
        (text) => {
          const r = parseGs1(text, now);
          if (!r.ok) for (const e of r.errors) expect(e.message.length).toBeGreaterThan(10);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('coupon linters (8110, 8112)', () => {
  // each verdict here is the one GS1's Syntax Engine gives
  it('walks the fields of a paperless coupon offer and a coupon code', () => {
    expect(lint('couponposoffer', '100614141234560123456')).toBeNull();
    expect(lint('couponposoffer', '2061414100734')).toMatch(/Format Code must be "0" or "1"/);
    expect(lint('couponposoffer', '1061414100734')).toMatch(/Offer Code is shorter/);
    expect(lint('couponcode', '006141410073415110001')).toBeNull();
    expect(lint('couponcode', '0061414100734151100019')).toMatch(/Save Value Code is missing/);
    expect(lint('couponcode', '00614141007341511000190001')).toBeNull();
    expect(lint('couponcode', '006141410073415110001900017')).toMatch(/excess data/);
    expect(lint('couponcode', '00614141007341511000130')).toMatch(/expiration date is too short/);
    expect(lint('couponcode', '0061414100734151100013261301')).toMatch(/expiration date is invalid/);
    expect(lint('couponcode', '0061414100734510110019')).toMatch(/primary purchase Requirement VLI must be "1" to "5"/);
  });
});
