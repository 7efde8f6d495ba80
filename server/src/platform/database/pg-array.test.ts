import { describe, expect, it } from 'vitest';
import { pgArray } from './pg-array.js';

describe('pgArray', () => {
  it('quotes and escapes every element, and handles the empty array', () => {
    expect(pgArray([])).toBe('{}');
    expect(pgArray(['a', 'b c', 'q"x', 'back\\slash', 'NULL', '{,}'])).toBe(
      '{"a","b c","q\\"x","back\\\\slash","NULL","{,}"}',
    );
    expect(pgArray([1, 2n])).toBe('{1,2}');
  });
});
