import type { CebMessageType } from './ceb-schema.js';

/**
 * What a message needs beyond its field types, by trade mode (DOMAIN.md §3-§4, reference/
 * ceb-fields.txt): the fields one mode requires that another leaves out, and the values a mode
 * fixes. Pure; the writer runs it on every message before a file is written.
 *
 * CEB621 (import list)
 * - 1210/1239 (bonded): `emsNo` (the centre's account book), `areaCode` and `areaName` (the
 *   enterprise in the centre) are required; the head `country` (起运国) is 142: the parcel leaves
 *   from the centre, in China, whatever its goods' origin; every line names its book line
 *   (`itemRecordNo`).
 * - 9610 (direct purchase): `trafNo`, `voyageNo` and `billNo` of the inbound transport.
 * - one list is one parcel: `packNo` 1.
 * CEB603 (export list)
 * - 1210 (special-area export): `emsNo` and every line's `itemRecordNo` are required.
 * - `statisticsFlag` is the exporter's choice on the order (A simplified, B summarised by CEB701),
 *   `trafMode` the waybill's; neither is fixed by the mode.
 * Both: a second legal quantity comes with its unit and the other way round.
 */
export interface ModeProblem {
  path: string;
  problem: string;
}

type Values = Record<string, string | number | null | undefined>;
const given = (v: Values[string]) => v !== undefined && v !== null && String(v) !== '';

export function modeProblems(
  type: CebMessageType,
  element: { head: string; lines?: string },
  head: Values,
  lines: Values[],
): ModeProblem[] {
  const out: ModeProblem[] = [];
  const need = (field: string, why: string) => {
    if (!given(head[field])) out.push({ path: `${element.head}.${field}`, problem: `required ${why}` });
  };
  const mode = String(head.tradeMode ?? '');
  const lineRules = () =>
    lines.forEach((l, i) => {
      const at = `${element.lines}[${i + 1}]`;
      if (given(l.qty2) !== given(l.unit2))
        out.push({ path: `${at}.${given(l.qty2) ? 'unit2' : 'qty2'}`, problem: 'qty2 and unit2 go together' });
      if (given(l.unit2) && String(l.unit2) === String(l.unit1))
        out.push({ path: `${at}.unit2`, problem: `the second legal unit cannot be the first (${String(l.unit1)})` });
    });
  if (type === 'CEB621') {
    if (mode === '1210' || mode === '1239') {
      const why = `in bonded mode ${mode}`;
      need('emsNo', `${why} (the centre's account book)`);
      need('areaCode', `${why} (the enterprise in the centre)`);
      need('areaName', `${why} (the enterprise in the centre)`);
      if (given(head.country) && String(head.country) !== '142')
        out.push({
          path: `${element.head}.country`,
          problem: `must be 142 in bonded mode ${mode} (the parcel leaves from the centre), got "${String(head.country)}"`,
        });
      lines.forEach((l, i) => {
        if (!given(l.itemRecordNo))
          out.push({ path: `${element.lines}[${i + 1}].itemRecordNo`, problem: `required ${why} (the book line)` });
      });
    }
    if (mode === '9610') {
      const why = 'for a 9610 direct-purchase import (from the waybill: the inbound transport)';
      need('trafNo', why);
      need('voyageNo', why);
      need('billNo', why);
    }
    if (given(head.packNo) && String(head.packNo) !== '1')
      out.push({
        path: `${element.head}.packNo`,
        problem: `must be 1 (one list is one parcel), got "${String(head.packNo)}"`,
      });
    lineRules();
  }
  if (type === 'CEB603') {
    if (mode === '1210') {
      need('emsNo', 'for a 1210 special-area export (the account book the goods leave)');
      lines.forEach((l, i) => {
        if (!given(l.itemRecordNo))
          out.push({
            path: `${element.lines}[${i + 1}].itemRecordNo`,
            problem: 'required for a 1210 export (the book line)',
          });
      });
    }
    lineRules();
  }
  return out;
}
