/**
 * ISO 3166 alpha-2 country (as warehouses keep it) to the customs country code the CEB messages
 * carry (DOMAIN.md §4: customs code lists, e.g. 142 China). The destinations overseas warehouses
 * are in; a country missing here is refused with a clear message, never declared wrong.
 */
const CUSTOMS_COUNTRY: Record<string, string> = {
  CN: '142',
  HK: '110',
  JP: '116',
  KR: '133',
  SG: '132',
  MY: '122',
  TH: '136',
  VN: '141',
  AE: '138',
  GB: '303',
  DE: '304',
  FR: '305',
  IT: '307',
  NL: '309',
  ES: '312',
  BE: '301',
  PL: '327',
  CZ: '352',
  US: '502',
  CA: '501',
  BR: '410',
  AU: '601',
};

export function customsCountry(iso: string | null): string | null {
  if (!iso) return null;
  if (/^\d{3}$/.test(iso)) return iso;
  return CUSTOMS_COUNTRY[iso.toUpperCase()] ?? null;
}
