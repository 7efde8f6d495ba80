import { describe, expect, it } from 'vitest';
import { type ScaleReading, WeightReporter } from './weight-reporter.js';

const stable = (grams: number, tareGrams = 0): ScaleReading => ({
  kind: 'stable',
  grams,
  tareGrams,
  raw: new Uint8Array(),
});
const kinds = (r: ReturnType<WeightReporter['next']>) =>
  r.map((x) => (x.kind === 'weight' ? `weight ${x.grossGrams}` : `status ${x.status}`));

describe('WeightReporter', () => {
  it('reports one weight per placement, only when stable', () => {
    const reporter = new WeightReporter();
    const seq = [
      stable(0),
      { kind: 'motion' } as ScaleReading,
      { kind: 'motion' } as ScaleReading,
      stable(1234),
      stable(1234),
      stable(1236),
      stable(3),
      stable(1234),
    ];
    expect(seq.flatMap((r) => kinds(reporter.next(r)))).toEqual([
      'status motion',
      'status ok',
      'weight 1234',
      'weight 1234',
    ]);
  });

  it('reports overload and a scale that stops answering once each, and the recovery', () => {
    const reporter = new WeightReporter();
    const seq: ScaleReading[] = [
      { kind: 'overload' },
      { kind: 'overload' },
      { kind: 'no-reply', detail: 'no answer in 1 s' },
      stable(500),
    ];
    expect(seq.flatMap((r) => kinds(reporter.next(r)))).toEqual([
      'status overload',
      'status no-reply',
      'status ok',
      'weight 500',
    ]);
  });

  it('a clearly different load without emptying is a new weighing; net = gross - tare', () => {
    const reporter = new WeightReporter();
    expect(reporter.next(stable(1000, 200))).toEqual([
      expect.objectContaining({ kind: 'weight', grossGrams: 1000, tareGrams: 200, netGrams: 800 }),
    ]);
    expect(kinds(reporter.next(stable(1500, 200)))).toEqual(['weight 1500']);
  });
});
