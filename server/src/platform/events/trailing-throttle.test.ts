import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TrailingThrottle } from './trailing-throttle.js';

describe('TrailingThrottle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires once per key per window, after the window, with the hits it stands for', () => {
    const fired: Array<[string, number]> = [];
    const t = new TrailingThrottle(1000, (key, hits) => fired.push([key, hits]));
    for (let i = 0; i < 250; i++) t.hit('BC01');
    t.hit('BC02');
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([
      ['BC01', 250],
      ['BC02', 1],
    ]);
  });

  it('opens a new window for a hit after the last one fired (the last change is never lost)', () => {
    const fired: Array<[string, number]> = [];
    const t = new TrailingThrottle(1000, (key, hits) => fired.push([key, hits]));
    t.hit('BC01');
    vi.advanceTimersByTime(1000);
    t.hit('BC01');
    t.hit('BC01');
    vi.advanceTimersByTime(500);
    expect(fired).toEqual([['BC01', 1]]);
    vi.advanceTimersByTime(500);
    expect(fired).toEqual([
      ['BC01', 1],
      ['BC01', 2],
    ]);
  });

  it('flush fires the open windows now; close drops them', () => {
    const fired: string[] = [];
    const t = new TrailingThrottle(1000, (key) => fired.push(key));
    t.hit('A');
    t.flush();
    expect(fired).toEqual(['A']);
    t.hit('B');
    t.close();
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual(['A']);
  });
});
