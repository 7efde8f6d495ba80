import country from './code-lists/country.json' with { type: 'json' };
import currency from './code-lists/currency.json' with { type: 'json' };
import district from './code-lists/customs-district.json' with { type: 'json' };
import hsLegalUnits from './code-lists/hs-legal-units.json' with { type: 'json' };
import transportMode from './code-lists/transport-mode.json' with { type: 'json' };
import unit from './code-lists/unit.json' with { type: 'json' };
import wrapType from './code-lists/wrap-type.json' with { type: 'json' };

/**
 * The customs code lists every coded CEB field is checked against before a file is written
 * (DOMAIN.md §4). The lists are data files beside this module, each naming its source; a
 * code list is a set of codes with a name for the message that refuses a wrong one.
 */
export type CodeListName = 'currency' | 'country' | 'unit' | 'wrapType' | 'transportMode' | 'customsDistrict';

interface CodeListFile {
  list: string;
  source: string;
  note: string;
  codes: Array<{ code: string; name: string; iso?: string }>;
}

export interface CodeList {
  name: CodeListName;
  source: string;
  codes: Map<string, string>;
  /** Whether a value is a code of the list. */
  has(value: string): boolean;
  /** What to tell the sender of a wrong value. */
  hint: string;
}

function load(
  name: CodeListName,
  file: CodeListFile,
  hint: string,
  has?: (codes: Map<string, string>, v: string) => boolean,
) {
  const codes = new Map(file.codes.map((c) => [c.code, c.name]));
  return {
    name,
    source: file.source,
    codes,
    has: (v: string) => (has ? has(codes, v) : codes.has(v)),
    hint,
  } satisfies CodeList;
}

export const CODE_LISTS: Record<CodeListName, CodeList> = {
  currency: load('currency', currency, 'a 3-digit customs currency code, e.g. 142 (CNY), 502 (USD), 300 (EUR)'),
  country: load('country', country, 'a 3-digit customs country code, e.g. 142 (China), 502 (USA), 304 (Germany)'),
  unit: load('unit', unit, 'a 3-digit customs unit code, e.g. 035 (kg), 007 (个), 011 (件)'),
  wrapType: load('wrapType', wrapType, 'a 1-digit customs wrap type, e.g. 2 (carton), 5 (pallet)'),
  transportMode: load(
    'transportMode',
    transportMode,
    'a customs transport mode, e.g. 5 (air), 2 (sea), 4 (road), W (centre)',
  ),
  // An office code is its directly governed customs' two digits plus two of its own.
  customsDistrict: load(
    'customsDistrict',
    district,
    'a 4-digit customs office code under a directly governed customs, e.g. 2900 (Hangzhou), 5165',
    (codes, v) => /^\d{4}$/.test(v) && codes.has(`${v.slice(0, 2)}00`),
  ),
};

/** Where each list comes from (for the answer of a code-list route or a report). */
export const codeListSources = () =>
  Object.fromEntries(Object.values(CODE_LISTS).map((l) => [l.name, l.source])) as Record<CodeListName, string>;

const ISO_COUNTRY = new Map(country.codes.flatMap((c) => ('iso' in c && c.iso ? [[c.iso, c.code] as const] : [])));

/** ISO 3166 alpha-2 (as warehouses keep their country) to the customs country code, or null. */
export function customsCountryOfIso(iso: string | null | undefined): string | null {
  if (!iso) return null;
  if (CODE_LISTS.country.has(iso)) return iso;
  return ISO_COUNTRY.get(iso.toUpperCase()) ?? null;
}

export interface HsLegalUnits {
  code: string;
  unit1: string;
  unit2?: string;
  name: string;
}
const HS = new Map<string, HsLegalUnits>(hsLegalUnits.codes.map((c) => [c.code, c]));
export const hsLegalUnitsSource = hsLegalUnits.source;

/** The legal units of an HS code by the tariff, when the shipped reference knows the code. */
export const legalUnitsOf = (gcode: string): HsLegalUnits | null => HS.get(gcode) ?? null;
