import { aiMatchesPattern, GS1_AIS, lookupAiPrefix } from './dictionary.js';
import { CSET_LINTER, GS1_LINTERS } from './linters.js';

/**
 * A GS1 element string (AIs followed by their data, FNC1 sent as GS 0x1D) read and validated the
 * way GS1's Barcode Syntax Engine does, from the dictionary: AI by prefix, each component by its
 * length and linters, FNC1 after every AI that requires it, then the pairings over all the AIs
 * (`ex=` invalid pairs, `req=` mandatory associations, repeated AIs, digital signature keys).
 */

export const FNC1 = '\u001d';

export type Gs1ErrorKind =
  | 'empty'
  | 'unknown-ai'
  | 'length'
  | 'linter'
  | 'fnc1'
  | 'invalid-pairing'
  | 'missing-pairing'
  | 'repeated-ai'
  | 'digsig-serial';

export interface Gs1Error {
  kind: Gs1ErrorKind;
  /** The AI the error is about (the one whose rule failed). */
  ai?: string;
  /** Offset in the element string (after a leading FNC1) where the error lies. */
  position: number;
  /** For kind `linter`: GS1's linter name (csum, yymmd0, cset82, iso3166, ...). */
  linter?: string;
  message: string;
}

export interface Gs1ReadElement {
  ai: string;
  value: string;
  /** GS1's title of the AI (e.g. `GROSS WEIGHT (kg)`). */
  title: string;
}

function aiList(ais: string[]): string {
  const names = ais.map((a) => `(${a})`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

const label = (entry: { ai: string; title: string }) =>
  entry.title ? `(${entry.ai}) ${entry.title}` : `(${entry.ai})`;

/** Reads one carrier's element string; stops at the first syntax error, as GS1's engine does. */
export function readElementString(text: string, now: Date): { elements: Gs1ReadElement[]; errors: Gs1Error[] } {
  const elements: Gs1ReadElement[] = [];
  if (text.length === 0) return { elements, errors: [{ kind: 'empty', position: 0, message: 'no GS1 data' }] };
  let p = 0;
  while (p < text.length) {
    const entry = lookupAiPrefix(text.slice(p, p + 4));
    if (!entry) {
      const shown = text.slice(p, p + 8).replaceAll(FNC1, '<GS>');
      return {
        elements,
        errors: [
          {
            kind: 'unknown-ai',
            position: p,
            message: `no GS1 application identifier starts "${shown}" at position ${p}`,
          },
        ],
      };
    }
    const ai = entry.ai;
    const start = p + ai.length;
    let end = text.indexOf(FNC1, start);
    if (end < 0) end = text.length;
    if (!entry.fnc1Required) end = Math.min(end, start + entry.maxLength);
    const fail = (kind: Gs1ErrorKind, position: number, message: string, linter?: string) => ({
      elements,
      errors: [{ kind, ai, position, message, ...(linter ? { linter } : {}) }],
    });
    if (end === start) return fail('length', start, `${label(entry)}: the AI has no data`);
    let q = start;
    for (const component of entry.components) {
      const length = Math.min(component.max, end - q);
      if (component.optional && length === 0) continue;
      const data = text.slice(q, q + length);
      if (length < component.min)
        return fail(
          'length',
          q,
          `${label(entry)}: data "${text.slice(start, end)}" has the wrong length (${entry.minLength === entry.maxLength ? entry.maxLength : `${entry.minLength} to ${entry.maxLength}`} characters)`,
        );
      for (const name of [CSET_LINTER[component.cset], ...component.linters]) {
        const linter = GS1_LINTERS[name];
        if (!linter) throw new Error(`GS1 dictionary: AI ${ai} names linter "${name}" that is not implemented`);
        const problem = linter(data, now);
        if (problem)
          return fail(
            'linter',
            q + problem.pos,
            `${label(entry)} "${text.slice(start, end)}": ${problem.message.replace(/\.$/, '')} (GS1 linter ${problem.linter}${problem.len ? `, at "${data.slice(problem.pos, problem.pos + problem.len)}"` : ''})`,
            problem.linter,
          );
      }
      q += length;
    }
    elements.push({ ai, value: text.slice(start, q), title: entry.title });
    if (entry.fnc1Required && q < text.length && text[q] !== FNC1)
      return fail(
        'fnc1',
        q,
        `${label(entry)}: data is too long (at most ${entry.maxLength} characters), or the FNC1 separator (GS) after it is missing`,
      );
    p = text[q] === FNC1 ? q + 1 : q;
  }
  return { elements, errors: [] };
}

function findAi(elements: Gs1ReadElement[], pattern: string, except: string): Gs1ReadElement | undefined {
  return elements.find((e) => e.ai !== except && aiMatchesPattern(e.ai, pattern));
}

/**
 * GS1's pairing rules over every AI read from the carriers marking one item: invalid pairs
 * (`ex=`), repeated AIs with different values, the digital signature's serialised key, and the
 * mandatory associations (`req=`; an AI is never its own partner).
 */
export function checkPairings(elements: Gs1ReadElement[]): Gs1Error[] {
  const errors: Gs1Error[] = [];
  const seen = new Set<string>();
  for (const element of elements) {
    const entry = GS1_AIS.get(element.ai);
    if (!entry || seen.has(element.ai)) continue;
    seen.add(element.ai);
    for (const pattern of entry.excludes) {
      const other = findAi(elements, pattern, element.ai);
      if (other)
        errors.push({
          kind: 'invalid-pairing',
          ai: element.ai,
          position: 0,
          message: `${label(entry)} must not be used with ${label(other)} (GS1 invalid pairing ex=${entry.excludes.join(',')})`,
        });
    }
  }
  for (let i = 0; i < elements.length; i++)
    for (let j = i + 1; j < elements.length; j++)
      if (elements[i].ai === elements[j].ai && elements[i].value !== elements[j].value)
        errors.push({
          kind: 'repeated-ai',
          ai: elements[i].ai,
          position: 0,
          message: `${label(elements[i])} appears twice with different values ("${elements[i].value}", "${elements[j].value}")`,
        });
  if (elements.some((e) => e.ai === '8030'))
    for (const e of elements) {
      const entry = GS1_AIS.get(e.ai);
      if (entry && ['253', '255', '8003'].includes(e.ai) && e.value.length === entry.minLength)
        errors.push({
          kind: 'digsig-serial',
          ai: e.ai,
          position: 0,
          message: `${label(entry)} must carry its serial component when used with (8030) DIGSIG`,
        });
    }
  const checked = new Set<string>();
  for (const element of elements) {
    const entry = GS1_AIS.get(element.ai);
    if (!entry || checked.has(element.ai)) continue;
    checked.add(element.ai);
    for (const alternatives of entry.requires) {
      const met = alternatives.some((group) => group.every((pattern) => findAi(elements, pattern, element.ai)));
      if (!met)
        errors.push({
          kind: 'missing-pairing',
          ai: element.ai,
          position: 0,
          message: `${label(entry)} requires ${aiList(alternatives.map((g) => g.join(') with (')))} (GS1 mandatory association req=${alternatives.map((g) => g.join('+')).join(',')})`,
        });
    }
  }
  return errors;
}
