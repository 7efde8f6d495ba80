import { customsCountryOfIso } from '../customs/messages/code-lists.js';

/**
 * ISO 3166 alpha-2 country (as warehouses keep it) to the customs country code the CEB messages
 * carry (DOMAIN.md §4: customs code lists, e.g. 142 China), read from the shipped country code
 * list (customs/messages/code-lists/country.json). A country missing there is refused with a
 * clear message, never declared wrong.
 */
export function customsCountry(iso: string | null): string | null {
  return customsCountryOfIso(iso);
}
