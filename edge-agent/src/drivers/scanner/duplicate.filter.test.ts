import { describe, expect, it } from 'vitest';
import { DuplicateFilter } from './duplicate.filter.js';

describe('DuplicateFilter', () => {
  it('counts the same code at the same station once within the window', () => {
    const filter = new DuplicateFilter({ windowMs: 1000 });
    expect(filter.accept('ST1', 'A', 0)).toBe(true);
    expect(filter.accept('ST1', 'A', 500)).toBe(false);
    expect(filter.accept('ST2', 'A', 600)).toBe(true);
    expect(filter.accept('ST1', 'B', 700)).toBe(true);
    expect(filter.accept('ST1', 'A', 1600)).toBe(true); // 1100 ms after the last read of A at ST1
  });

  it('stays bounded in memory', () => {
    const filter = new DuplicateFilter({ windowMs: 10, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) filter.accept('ST', `C${i}`, i);
    expect((filter as unknown as { lastSeen: Map<string, number> }).lastSeen.size).toBeLessThanOrEqual(101);
  });
});
