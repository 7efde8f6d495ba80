import { couponcode, couponposoffer } from './coupon-linters.js';
import { GS1_CODE_LISTS } from './dictionary.data.js';

/**
 * The GS1 Barcode Syntax Tests ("linters") named in the dictionary's component specifications,
 * written from their published definitions: each takes one component's data and returns null
 * (fine) or GS1's reason. Dates with two-digit years take the century by GS1 General
 * Specifications §7.12 relative to `now`.
 */

export interface LintIssue {
  /** The linter that refused the data, e.g. `csum`, `yymmd0`, `cset82`. */
  linter: string;
  /** GS1's text for the failure. */
  message: string;
  /** Offset of the offending characters inside the component, and how many. */
  pos: number;
  len: number;
}

export type Linter = (data: string, now: Date) => LintIssue | null;

const issue = (linter: string, message: string, pos: number, len: number): LintIssue => ({ linter, message, pos, len });

const CSET82 = new Set(`!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`);
const CSET39 = new Set('#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const CSET64 = new Set('-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');
const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const ISO3166 = new Set(GS1_CODE_LISTS.iso3166);
const ISO3166_ALPHA2 = new Set(GS1_CODE_LISTS.iso3166alpha2);
const ISO4217 = new Set(GS1_CODE_LISTS.iso4217);
const PACKAGE_TYPES = new Set(GS1_CODE_LISTS.packagetype);
const MEDIA_TYPES = new Set(GS1_CODE_LISTS.mediatype);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function firstNonDigit(data: string): number {
  for (let i = 0; i < data.length; i++) if (!isDigit(data[i])) return i;
  return -1;
}

function charsetLinter(name: string, set: Set<string>, what: string): Linter {
  return (data) => {
    for (let i = 0; i < data.length; i++)
      if (!set.has(data[i]))
        return issue(name, `A non-${what} character was found where a ${what} character is expected.`, i, 1);
    return null;
  };
}

const csetnumeric: Linter = (data) => {
  const at = firstNonDigit(data);
  return at < 0 ? null : issue('csetnumeric', 'A non-digit character was found where a digit is expected.', at, 1);
};

const cset64: Linter = (data) => {
  let pads = 0;
  while (pads < data.length && data[data.length - pads - 1] === '=') pads++;
  const len = data.length - pads;
  if (pads > 2 || (pads > 0 && data.length % 3 !== 0))
    return issue('cset64', 'Incorrect number of CSET 64 pad characters.', len, pads);
  for (let i = 0; i < len; i++)
    if (!CSET64.has(data[i]))
      return issue('cset64', 'A non-CSET 64 character was found where a CSET 64 character is expected.', i, 1);
  return null;
};

/** GS1 mod-10 over the whole component, the last digit being the check digit. */
const csum: Linter = (data) => {
  const at = firstNonDigit(data);
  if (at >= 0) return issue('csum', 'A non-digit character was found where a digit is expected.', at, 1);
  if (data.length < 1)
    return issue('csum', 'The component is too short to perform a numeric check digit calculation.', 0, 0);
  let sum = 0;
  const body = data.length - 1;
  for (let i = 0; i < body; i++) sum += (data.charCodeAt(body - 1 - i) - 48) * (i % 2 === 0 ? 3 : 1);
  const expected = String((10 - (sum % 10)) % 10);
  if (data[body] !== expected)
    return issue('csum', `The numeric check digit is incorrect (expected ${expected}).`, body, 1);
  return null;
};

const CSUMALPHA_WEIGHTS = new Map([...CSET82].sort().map((c, i) => [c, i] as const));
const PRIMES: number[] = [];
for (let n = 2; PRIMES.length < 97; n++) if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);

/** GS1 General Specifications §7.9.5: check character pair over CSET 82 data. */
const csumalpha: Linter = (data) => {
  if (data.length > PRIMES.length + 2)
    return issue(
      'csumalpha',
      'The component is too long to perform an alphanumeric check character pair calculation.',
      0,
      data.length,
    );
  if (data.length < 2)
    return issue(
      'csumalpha',
      'The component is too short to perform an alphanumeric check character pair calculation.',
      0,
      data.length,
    );
  let sum = 0;
  for (let i = 0; i < data.length - 2; i++) {
    const w = CSUMALPHA_WEIGHTS.get(data[i]);
    if (w === undefined)
      return issue('csumalpha', 'A non-CSET 82 character was found where a CSET 82 character is expected.', i, 1);
    sum += w * PRIMES[data.length - 3 - i];
  }
  sum %= 1021;
  const pair = CSET32[sum >> 5] + CSET32[sum & 31];
  if (data.slice(-2) !== pair)
    return issue(
      'csumalpha',
      `The alphanumeric check-character pair are incorrect (expected ${pair}).`,
      data.length - 2,
      2,
    );
  return null;
};

const GCP_MIN_LENGTH = 4;
/** The GS1 Company Prefix starts the component: at least its first four characters are digits. */
const gcppos1: Linter = (data) => {
  if (data.length < GCP_MIN_LENGTH)
    return issue('gcppos1', 'The component is too short to contain a GS1 Company Prefix.', 0, data.length);
  for (let i = 0; i < GCP_MIN_LENGTH; i++)
    if (!isDigit(data[i])) return issue('gcppos1', 'The GS1 Company Prefix is invalid.', i, 1);
  return null;
};
/** As gcppos1, after an indicator or extension digit. */
const gcppos2: Linter = (data, now) => {
  if (data.length < 2)
    return issue('gcppos2', 'The component is too short to contain a GS1 Company Prefix.', 0, data.length);
  const inner = gcppos1(data.slice(1), now);
  return inner ? { ...inner, linter: 'gcppos2', pos: inner.pos + 1 } : null;
};

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Century of a two-digit year by GS1 General Specifications §7.12. */
export function gs1Century(yy: number, now: Date): number {
  const current = now.getUTCFullYear();
  const diff = yy - (current % 100);
  let century = Math.floor(current / 100);
  if (diff >= 51) century -= 1;
  else if (diff <= -50) century += 1;
  return century * 100 + yy;
}

function dateLinter(name: string, digits: 6 | 8, dayZeroAllowed: boolean): Linter {
  return (data, now) => {
    if (data.length !== digits)
      return issue(name, data.length < digits ? 'The date is too short.' : 'The date is too long.', 0, data.length);
    const at = firstNonDigit(data);
    if (at >= 0) return issue(name, 'A non-digit character was found where a digit is expected.', at, 1);
    const y = digits === 6 ? gs1Century(Number(data.slice(0, 2)), now) : Number(data.slice(0, 4));
    const m = Number(data.slice(digits - 4, digits - 2));
    const d = Number(data.slice(digits - 2));
    if (m < 1 || m > 12) return issue(name, 'The date contains an illegal month of the year.', digits - 4, 2);
    if ((d === 0 && !dayZeroAllowed) || d > daysIn(y, m))
      return issue(name, 'The date contains an illegal day of the month.', digits - 2, 2);
    return null;
  };
}

function twoDigitLinter(name: string, max: number, what: string, label: string): Linter {
  return (data) => {
    if (data.length !== 2)
      return issue(
        name,
        `The ${what} is too ${data.length < 2 ? 'short' : 'long'} for ${label} format.`,
        0,
        data.length,
      );
    const at = firstNonDigit(data);
    if (at >= 0) return issue(name, 'A non-digit character was found where a digit is expected.', at, 1);
    if (Number(data) > max)
      return issue(name, `The time contains an illegal ${what === 'second' ? 'seconds' : what}.`, 0, 2);
    return null;
  };
}
const hh = twoDigitLinter('hh', 23, 'hour', 'HH');
const mi = twoDigitLinter('mi', 59, 'minute', 'MI');
const ss = twoDigitLinter('ss', 59, 'second', 'SS');
const hhmi: Linter = (data, now) => {
  if (data.length !== 4)
    return issue(
      'hhmi',
      `The hour with minute is too ${data.length < 4 ? 'short' : 'long'} for HHMI format.`,
      0,
      data.length,
    );
  const h = hh(data.slice(0, 2), now);
  if (h) return { ...h, linter: 'hhmi' };
  const m = mi(data.slice(2), now);
  return m ? { ...m, linter: 'hhmi', pos: m.pos + 2 } : null;
};

function listLinter(name: string, set: Set<string>, message: string): Linter {
  return (data) => (set.has(data) ? null : issue(name, message, 0, data.length));
}

const iban: Linter = (data) => {
  if (data.length < 4) return issue('iban', 'The IBAN is too short.', 0, data.length);
  if (!ISO3166_ALPHA2.has(data.slice(0, 2)))
    return issue('iban', 'The IBAN must start with a valid ISO 3166 two-character country code.', 0, 2);
  if (data.length > 34) return issue('iban', 'The IBAN is too long.', 0, data.length);
  if (data.length <= 10) return issue('iban', 'The IBAN is too short.', 0, data.length);
  let sum = 0;
  const rotated = data.slice(4) + data.slice(0, 4);
  for (let i = 0; i < rotated.length; i++) {
    const c = rotated[i];
    const value = isDigit(c) ? c.charCodeAt(0) - 48 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 55 : -1;
    if (value < 0) return issue('iban', 'The IBAN contains an invalid character.', (i + 4) % data.length, 1);
    sum = (sum * (value < 10 ? 10 : 100) + value) % 97;
  }
  return sum === 1 ? null : issue('iban', 'The IBAN is invalid since the check characters are incorrect.', 2, 2);
};

const pieceoftotal: Linter = (data) => {
  const at = firstNonDigit(data);
  if (at >= 0) return issue('pieceoftotal', 'A non-digit character was found where a digit is expected.', at, 1);
  if (data.length === 0 || data.length % 2 !== 0)
    return issue(
      'pieceoftotal',
      'The piece with total must have an even length, having equal-length components.',
      0,
      data.length,
    );
  const half = data.length / 2;
  const piece = data.slice(0, half);
  const total = data.slice(half);
  if (/^0+$/.test(piece)) return issue('pieceoftotal', 'The piece number must not have a value of zero.', 0, half);
  if (/^0+$/.test(total)) return issue('pieceoftotal', 'The piece total must not have a value of zero.', half, half);
  if (piece > total) return issue('pieceoftotal', 'The piece number must not exceed the piece total.', 0, data.length);
  return null;
};

const posinseqslash: Linter = (data) => {
  const m = /^(\d+)\/(\d+)$/.exec(data);
  if (!m) return issue('posinseqslash', 'The data must have the format "<pos>/<end>".', 0, data.length);
  const [, pos, end] = m;
  if (pos.startsWith('0')) return issue('posinseqslash', 'A zero prefix is not permitted.', 0, pos.length);
  if (end.startsWith('0')) return issue('posinseqslash', 'A zero prefix is not permitted.', pos.length + 1, end.length);
  if (pos.length > end.length || (pos.length === end.length && pos > end))
    return issue('posinseqslash', 'The position number must not exceed the end number.', 0, data.length);
  return null;
};

const pcenc: Linter = (data) => {
  for (let i = 0; i < data.length; i++) {
    if (data[i] !== '%') continue;
    if (!/^[0-9A-Fa-f]{2}$/.test(data.slice(i + 1, i + 3)))
      return issue(
        'pcenc',
        'The input contains an invalid percent hex-encoding "%hh" sequence.',
        i,
        Math.min(3, data.length - i),
      );
    i += 2;
  }
  return null;
};

function coordinate(name: string, max: number, what: string): Linter {
  return (data) => {
    if (data.length !== 10) return issue(name, `The ${what} must be 10 digits.`, 0, data.length);
    const at = firstNonDigit(data);
    if (at >= 0) return issue(name, 'A non-digit character was found where a digit is expected.', at, 1);
    if (Number(data) > max)
      return issue(name, `The ${what} is outside of the range "0000000000" to "${String(max)}".`, 0, 10);
    return null;
  };
}

function oneOf(name: string, allowed: string, message: string): Linter {
  return (data) => (data.length === 1 && allowed.includes(data) ? null : issue(name, message, 0, data.length));
}

export const GS1_LINTERS: Record<string, Linter> = {
  csetnumeric,
  cset82: charsetLinter('cset82', CSET82, 'CSET 82'),
  cset39: charsetLinter('cset39', CSET39, 'CSET 39'),
  cset64,
  csum,
  csumalpha,
  gcppos1,
  gcppos2,
  key: gcppos1,
  keyoff1: gcppos2,
  yymmd0: dateLinter('yymmd0', 6, true),
  yymmdd: dateLinter('yymmdd', 6, false),
  yyyymmd0: dateLinter('yyyymmd0', 8, true),
  yyyymmdd: dateLinter('yyyymmdd', 8, false),
  hh,
  mi,
  ss,
  hhmi,
  iso3166: listLinter('iso3166', ISO3166, 'A valid ISO 3166 three-digit country code is required.'),
  iso3166999: (data) =>
    data === '999' || ISO3166.has(data)
      ? null
      : issue('iso3166999', 'A valid ISO 3166 three-digit country code or "999" is required.', 0, data.length),
  iso3166alpha2: listLinter(
    'iso3166alpha2',
    ISO3166_ALPHA2,
    'A valid ISO 3166 two-character country code is required.',
  ),
  iso4217: listLinter('iso4217', ISO4217, 'A valid ISO 4217 three-digit currency code is required.'),
  iso5218: oneOf('iso5218', '0129', 'A valid ISO/IEC 5218 biological sex code required.'),
  packagetype: listLinter(
    'packagetype',
    PACKAGE_TYPES,
    'A valid UN/ECE Recommendation 21 package type code is required.',
  ),
  mediatype: listLinter('mediatype', MEDIA_TYPES, 'A valid AIDC media type is required.'),
  iban,
  importeridx: (data) =>
    data.length !== 1
      ? issue('importeridx', 'The Importer Index must be a single character.', 0, data.length)
      : /^[-0-9A-Z_a-z]$/.test(data)
        ? null
        : issue('importeridx', 'The Importer Index is an invalid character.', 0, 1),
  nonzero: (data, now) => {
    const digits = csetnumeric(data, now);
    if (digits) return { ...digits, linter: 'nonzero' };
    return /^0*$/.test(data) ? issue('nonzero', 'A non-zero value is required.', 0, data.length) : null;
  },
  zero: (data) => (/^0+$/.test(data) ? null : issue('zero', 'A zero is required.', 0, data.length)),
  nozeroprefix: (data, now) => {
    if (data[0] === '0') return issue('nozeroprefix', 'A zero prefix is not permitted.', 0, 1);
    const digits = csetnumeric(data, now);
    return digits ? { ...digits, linter: 'nozeroprefix' } : null;
  },
  yesno: oneOf('yesno', '01', 'A "0" or "1" is required.'),
  winding: oneOf('winding', '019', 'The winding direction must be either "0", "1" or "9".'),
  hyphen: (data) => {
    if (data.length === 0) return issue('hyphen', 'Only hyphens are permitted.', 0, 0);
    const at = [...data].findIndex((c) => c !== '-');
    return at < 0 ? null : issue('hyphen', 'Only hyphens are permitted.', at, 1);
  },
  hasnondigit: (data) =>
    firstNonDigit(data) >= 0 ? null : issue('hasnondigit', 'A non-digit character is required.', 0, data.length),
  latitude: coordinate('latitude', 1_800_000_000, 'latitude'),
  longitude: coordinate('longitude', 3_600_000_000, 'longitude'),
  pieceoftotal,
  posinseqslash,
  pcenc,
  couponcode,
  couponposoffer,
};

/** The linter that checks a component's character set. */
export const CSET_LINTER: Record<'N' | 'X' | 'Y' | 'Z', string> = {
  N: 'csetnumeric',
  X: 'cset82',
  Y: 'cset39',
  Z: 'cset64',
};
