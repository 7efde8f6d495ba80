import { GS1_DICTIONARY_SOURCE, GS1_SYNTAX_DICTIONARY_TEXT } from './dictionary.data.js';

/**
 * The GS1 Barcode Syntax Dictionary (contracts/data/gs1/) read into AI entries. Each line is
 * `AIs [Flags] Specification [Attributes...] [# Title]`; the header of the file explains it.
 */

/** N numeric, X CSET 82, Y CSET 39, Z CSET 64 (base64url). */
export type Gs1Cset = 'N' | 'X' | 'Y' | 'Z';

export interface Gs1Component {
  cset: Gs1Cset;
  min: number;
  max: number;
  optional: boolean;
  linters: string[];
}

export interface Gs1AiEntry {
  ai: string;
  /** No `*` flag: a variable-length field (or one of a length GS1 did not predefine) ends with FNC1. */
  fnc1Required: boolean;
  /** `?` flag: permitted as a GS1 Digital Link data attribute. */
  dlDataAttribute: boolean;
  components: Gs1Component[];
  /** Each `req=` attribute: alternatives, each a group of AIs or patterns (`31nn`) all required. */
  requires: string[][][];
  /** Every AI or pattern of the `ex=` attributes. */
  excludes: string[];
  dlPrimaryKey: boolean;
  title: string;
  minLength: number;
  maxLength: number;
}

export const GS1_DICTIONARY_VERSION = GS1_DICTIONARY_SOURCE;

function parseComponent(spec: string, ai: string): Gs1Component {
  const optional = spec.startsWith('[');
  const m = /^\[?([NXYZ])(\.\.)?(\d+)\]?((?:,[a-z0-9]+)*)$/.exec(spec);
  if (!m) throw new Error(`GS1 dictionary: AI ${ai} has an unreadable component "${spec}"`);
  const length = Number(m[3]);
  return {
    cset: m[1] as Gs1Cset,
    min: m[2] ? 1 : length,
    max: length,
    optional,
    linters: m[4] ? m[4].slice(1).split(',') : [],
  };
}

function expandAis(field: string): string[] {
  const range = /^(\d{2,4})-(\d{2,4})$/.exec(field);
  if (!range) return [field];
  const [from, to] = [range[1], range[2]];
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) out.push(String(n).padStart(from.length, '0'));
  return out;
}

export function parseGs1Dictionary(text: string): Map<string, Gs1AiEntry> {
  const entries = new Map<string, Gs1AiEntry>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const hash = line.indexOf('#');
    const title = hash >= 0 ? line.slice(hash + 1).trim() : '';
    const tokens = (hash >= 0 ? line.slice(0, hash) : line).trim().split(/\s+/);
    const aiField = tokens.shift()!;
    if (!/^\d{2,4}(-\d{2,4})?$/.test(aiField)) throw new Error(`GS1 dictionary: unreadable AI "${aiField}"`);
    let flags = '';
    if (tokens[0] && /^[*?!"$%&'()+,\-./:;<=>@[\\\]^_`{|}~]+$/.test(tokens[0]) && !/^[[NXYZ]/.test(tokens[0]))
      flags = tokens.shift()!;
    const components: Gs1Component[] = [];
    while (tokens[0] && /^\[?[NXYZ](\.\.)?\d/.test(tokens[0]))
      components.push(parseComponent(tokens.shift()!, aiField));
    const requires: string[][][] = [];
    const excludes: string[] = [];
    let dlPrimaryKey = false;
    for (const attr of tokens) {
      if (attr.startsWith('req='))
        requires.push(
          attr
            .slice(4)
            .split(',')
            .map((group) => group.split('+')),
        );
      else if (attr.startsWith('ex=')) excludes.push(...attr.slice(3).split(','));
      else if (attr === 'dlpkey' || attr.startsWith('dlpkey=')) dlPrimaryKey = true;
    }
    const minLength = components.reduce((sum, c) => sum + (c.optional ? 0 : c.min), 0);
    const maxLength = components.reduce((sum, c) => sum + c.max, 0);
    for (const ai of expandAis(aiField)) {
      entries.set(ai, {
        ai,
        fnc1Required: !flags.includes('*'),
        dlDataAttribute: flags.includes('?'),
        components,
        requires,
        excludes,
        dlPrimaryKey,
        title,
        minLength,
        maxLength,
      });
    }
  }
  return entries;
}

/** Every AI of the dictionary, by AI. */
export const GS1_AIS: ReadonlyMap<string, Gs1AiEntry> = parseGs1Dictionary(GS1_SYNTAX_DICTIONARY_TEXT);

/** AI length by its first two digits (GS1 allocates AIs so that the prefix fixes the length). */
const AI_LENGTH_BY_PREFIX = new Map<string, number>();
for (const ai of GS1_AIS.keys()) AI_LENGTH_BY_PREFIX.set(ai.slice(0, 2), ai.length);

/** The dictionary entry whose AI starts `data`, or null. */
export function lookupAiPrefix(data: string): Gs1AiEntry | null {
  if (!/^\d\d/.test(data)) return null;
  const length = AI_LENGTH_BY_PREFIX.get(data.slice(0, 2));
  if (!length) return null;
  return GS1_AIS.get(data.slice(0, length)) ?? null;
}

/** Does `ai` match an AI or pattern of the dictionary's attributes (`310n`, `31nn`, `8026`)? */
export function aiMatchesPattern(ai: string, pattern: string): boolean {
  if (ai.length !== pattern.length) return false;
  for (let i = 0; i < pattern.length; i++) if (pattern[i] !== 'n' && pattern[i] !== ai[i]) return false;
  return true;
}
