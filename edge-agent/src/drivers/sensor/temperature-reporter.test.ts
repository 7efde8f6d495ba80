import { describe, expect, it } from 'vitest';
import { TemperatureReporter } from './temperature-reporter.js';

const raw = new Uint8Array();
const reading = (deciCelsius: number, atMs: number) => ({
  kind: 'reading' as const,
  deciCelsius,
  humidityDeciPct: null,
  raw,
  atMs,
});

describe('temperature reporter', () => {
  it('reports the first reading, then only a change of at least the delta', () => {
    const r = new TemperatureReporter({ deltaDeciC: 5, intervalMs: 60_000 });
    expect(r.next(reading(40, 0))).toMatchObject([{ kind: 'temperature', deciCelsius: 40 }]);
    expect(r.next(reading(44, 1000))).toEqual([]);
    expect(r.next(reading(36, 2000))).toEqual([]);
    expect(r.next(reading(45, 3000))).toMatchObject([{ kind: 'temperature', deciCelsius: 45 }]);
  });

  it('reports a flat line at the interval', () => {
    const r = new TemperatureReporter({ deltaDeciC: 5, intervalMs: 60_000 });
    r.next(reading(40, 0));
    expect(r.next(reading(40, 59_999))).toEqual([]);
    expect(r.next(reading(40, 60_000))).toHaveLength(1);
  });

  it('reports a fault once, and the first reading after it whatever it is', () => {
    const r = new TemperatureReporter({ deltaDeciC: 5, intervalMs: 60_000 });
    r.next(reading(40, 0));
    expect(r.next({ kind: 'no-reply', atMs: 1000 })).toMatchObject([{ kind: 'status', status: 'no-reply' }]);
    expect(r.next({ kind: 'no-reply', atMs: 2000 })).toEqual([]);
    expect(r.next(reading(41, 3000))).toMatchObject([
      { kind: 'status', status: 'ok' },
      { kind: 'temperature', deciCelsius: 41 },
    ]);
  });
});
