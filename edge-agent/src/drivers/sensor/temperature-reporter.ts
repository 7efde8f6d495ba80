/**
 * Turns a temperature probe's polls into what the WMS records (DOMAIN.md §8: cold-chain readings
 * over MQTT). A cold room is logged, not streamed: a reading is reported when it moved by at
 * least `deltaDeciC` since the last one reported, or when `intervalMs` passed since then (the
 * logger's heartbeat, so a flat line is still on the record). Faults are reported on change only.
 */
export type ProbeReading =
  | { kind: 'reading'; deciCelsius: number; humidityDeciPct: number | null; raw: Uint8Array; atMs: number }
  | { kind: 'no-reply' | 'checksum-error' | 'garbled' | 'fault'; detail?: string; atMs: number };

export type ProbeStatus = 'ok' | 'no-reply' | 'checksum-error' | 'garbled' | 'fault';

export type TemperatureReport =
  | { kind: 'temperature'; deciCelsius: number; humidityDeciPct: number | null; raw: Uint8Array }
  | { kind: 'status'; status: ProbeStatus; detail?: string };

export interface TemperatureReporterOptions {
  /** A change of at least this many tenths of a degree is reported at once (default 5 = 0.5 °C). */
  deltaDeciC: number;
  /** A reading is reported at least this often while the probe answers (default 60 s). */
  intervalMs: number;
}

export class TemperatureReporter {
  private status: ProbeStatus = 'ok';
  private last: { deciCelsius: number; atMs: number } | null = null;

  constructor(private readonly options: TemperatureReporterOptions = { deltaDeciC: 5, intervalMs: 60_000 }) {}

  next(reading: ProbeReading): TemperatureReport[] {
    const reports: TemperatureReport[] = [];
    const status: ProbeStatus = reading.kind === 'reading' ? 'ok' : reading.kind;
    if (status !== this.status) {
      reports.push({
        kind: 'status',
        status,
        ...(reading.kind !== 'reading' && reading.detail ? { detail: reading.detail } : {}),
      });
      this.status = status;
      // after a gap the first good reading goes on the record whatever it is
      if (status !== 'ok') this.last = null;
    }
    if (reading.kind !== 'reading') return reports;
    const due =
      this.last === null ||
      Math.abs(reading.deciCelsius - this.last.deciCelsius) >= this.options.deltaDeciC ||
      reading.atMs - this.last.atMs >= this.options.intervalMs;
    if (!due) return reports;
    this.last = { deciCelsius: reading.deciCelsius, atMs: reading.atMs };
    reports.push({
      kind: 'temperature',
      deciCelsius: reading.deciCelsius,
      humidityDeciPct: reading.humidityDeciPct,
      raw: reading.raw,
    });
    return reports;
  }
}
