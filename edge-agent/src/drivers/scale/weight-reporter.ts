/**
 * Turns a scale's stream of readings into what the WMS records (DOMAIN.md §9: a weight counts only
 * when stable). A placement is weighed once: the same load staying on the scale is not reported
 * again; the scale must return near zero (or change by more than the resolution) first. Status
 * changes (motion, overload, no reply, …) are reported on change only, never per poll.
 */
export type ScaleReading =
  | { kind: 'stable'; grams: number; tareGrams: number; raw: Uint8Array }
  | { kind: 'motion' | 'overload' | 'underload' | 'no-reply' | 'checksum-error' | 'garbled'; detail?: string };

export type ScaleStatus = 'ok' | 'motion' | 'overload' | 'underload' | 'no-reply' | 'checksum-error' | 'garbled';

export type WeightReport =
  | { kind: 'weight'; grossGrams: number; tareGrams: number; netGrams: number; raw: Uint8Array }
  | { kind: 'status'; status: ScaleStatus; detail?: string };

export interface WeightReporterOptions {
  /** Below this the platform counts as empty (default 20 g). */
  emptyBelowGrams: number;
  /** A stable load differing by more than this from the last reported one is a new weighing (default 10 g). */
  resolutionGrams: number;
}

export class WeightReporter {
  private status: ScaleStatus = 'ok';
  private lastReported: number | null = null;

  constructor(private readonly options: WeightReporterOptions = { emptyBelowGrams: 20, resolutionGrams: 10 }) {}

  next(reading: ScaleReading): WeightReport[] {
    const reports: WeightReport[] = [];
    const status: ScaleStatus = reading.kind === 'stable' ? 'ok' : reading.kind;
    // Motion is normal between placements; it is reported, but only when it starts.
    if (status !== this.status) {
      reports.push({
        kind: 'status',
        status,
        ...(reading.kind !== 'stable' && reading.detail ? { detail: reading.detail } : {}),
      });
      this.status = status;
    }
    if (reading.kind !== 'stable') return reports;
    const net = reading.grams - reading.tareGrams;
    if (reading.grams < this.options.emptyBelowGrams) {
      this.lastReported = null; // platform empty: the next load is a new weighing
      return reports;
    }
    if (this.lastReported !== null && Math.abs(reading.grams - this.lastReported) <= this.options.resolutionGrams)
      return reports;
    this.lastReported = reading.grams;
    reports.push({
      kind: 'weight',
      grossGrams: reading.grams,
      tareGrams: reading.tareGrams,
      netGrams: net,
      raw: reading.raw,
    });
    return reports;
  }
}
