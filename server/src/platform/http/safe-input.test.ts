import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findUnsafeInput, MAX_INPUT_DEPTH } from './safe-input.js';
import { codeParam, decimalText, int4Param, uniqueBy } from './zod-fields.js';
import { parseRequestPart } from './zod-validation.pipe.js';

describe('text no field can hold', () => {
  it('finds a NUL or a lone surrogate in any string or key, with its path', () => {
    expect(findUnsafeInput({ a: [{ b: 'x\u0000' }] })).toMatchObject({ field: 'a.0.b' });
    expect(findUnsafeInput({ a: '\ud800' })?.problem).toMatch(/surrogate/);
    expect(findUnsafeInput({ a: '\udc00x' })?.problem).toMatch(/surrogate/);
    expect(findUnsafeInput({ 'k\u0000': 1 })?.problem).toMatch(/key/);
    expect(findUnsafeInput('p\u0000', 'copNo')).toMatchObject({ field: 'copNo' });
  });

  it('lets paired surrogates (emoji), Chinese text and numbers through', () => {
    expect(findUnsafeInput({ a: '面霜 😀', n: 1, b: null, c: [true] })).toBeNull();
  });

  it('refuses nesting deeper than any document of the API, without recursion', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeInput(deep)?.problem).toContain(`${MAX_INPUT_DEPTH} levels`);
  });
});

describe('field types cut to their columns', () => {
  it('bounds a numeric(19,5) decimal', () => {
    const price = decimalText(19, 5);
    expect(price.safeParse('99999999999999.99999').success).toBe(true);
    expect(price.safeParse('999999999999999').success).toBe(false);
    expect(price.safeParse('1.123456').success).toBe(false);
  });

  it('parses an int4 path parameter, refusing what the column cannot hold', () => {
    expect(int4Param('line').parse('2147483647')).toBe(2147483647);
    expect(int4Param('line').safeParse('2147483648').success).toBe(false);
    expect(int4Param('line').safeParse('9'.repeat(40)).success).toBe(false);
  });

  it('takes document numbers with spaces or slashes as path parameters, but no ".." step or control character', () => {
    const no = codeParam('document number');
    for (const ok of ['TR2026120100000001', 'PO/123', 'D 1', 'a..b']) expect(no.safeParse(ok).success).toBe(true);
    for (const bad of ['..', '../../etc/passwd', 'a/../b', '..\\x', 'a\u0001', '', 'x'.repeat(65)])
      expect(no.safeParse(bad).success).toBe(false);
  });

  it('names the duplicated key and both places', () => {
    const schema = z.array(z.object({ code: z.string() })).superRefine(uniqueBy((x) => x.code, 'code'));
    const result = schema.safeParse([{ code: 'A' }, { code: 'B' }, { code: 'A' }]);
    expect(result.error?.issues[0]).toMatchObject({
      path: [2],
      message: 'code "A" appears twice in this request (at 0 and 2); give each once',
    });
  });

  it('lists the allowed keys of the object an unknown key is in', () => {
    const schema = z.strictObject({ outer: z.strictObject({ a: z.string(), b: z.number() }) });
    expect(() => parseRequestPart(schema, { outer: { a: 'x', b: 1, c: 2 } }, 'request body')).toThrowError(
      'outer: unknown key "c"; allowed: a, b',
    );
  });
});
