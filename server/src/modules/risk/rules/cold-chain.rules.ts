import type { WarningDraft } from './warning.js';

/**
 * Cold chain (DOMAIN.md §8): a probe's readings against the range of its zone (narrowed by the
 * goods stored there). Outside the range for longer than the allowed time is an excursion: a
 * recorded event and a warning. The time counts from the first reading outside the range to the
 * newest one still outside (or the first one back inside, which ends it).
 */

export interface Reading {
  id: string;
  deciCelsius: number;
  at: string;
}

export interface TemperatureRange {
  minDeciC: number;
  maxDeciC: number;
  /** Where the range comes from: the zone, the goods stored in it, or the rule's default. */
  source: string;
}

export interface Excursion {
  startedAt: string;
  lastAt: string;
  /** The first reading back inside the range; null while it lasts. */
  endedAt: string | null;
  peakDeciC: number;
  readings: number;
  durationS: number;
  /** It lasted longer than allowed: a recorded event and a warning. */
  breach: boolean;
}

/** The range that holds for a zone: its own, narrowed by each stored goods' range; else the default. */
export function effectiveRange(
  zone: { minDeciC: number | null; maxDeciC: number | null },
  goods: Array<{ sku: string; minDeciC: number | null; maxDeciC: number | null }>,
  fallback: { minDeciC: number; maxDeciC: number },
): TemperatureRange {
  let min = zone.minDeciC ?? fallback.minDeciC;
  let max = zone.maxDeciC ?? fallback.maxDeciC;
  const sources = [zone.minDeciC !== null || zone.maxDeciC !== null ? 'zone' : 'rule default'];
  for (const g of goods) {
    if (g.minDeciC !== null && g.minDeciC > min) {
      min = g.minDeciC;
      sources.push(`goods ${g.sku}`);
    }
    if (g.maxDeciC !== null && g.maxDeciC < max) {
      max = g.maxDeciC;
      sources.push(`goods ${g.sku}`);
    }
  }
  return { minDeciC: min, maxDeciC: max, source: [...new Set(sources)].join(', ') };
}

const outside = (r: Reading, range: TemperatureRange) =>
  r.deciCelsius < range.minDeciC || r.deciCelsius > range.maxDeciC;
const seconds = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 1000);

/** The excursions in a probe's readings (in time order). */
export function excursions(readings: Reading[], range: TemperatureRange, maxExcursionS: number): Excursion[] {
  const found: Excursion[] = [];
  let current: Omit<Excursion, 'durationS' | 'breach'> | null = null;
  const close = (endedAt: string | null) => {
    if (!current) return;
    const durationS = seconds(current.startedAt, endedAt ?? current.lastAt);
    found.push({ ...current, endedAt, durationS, breach: durationS > maxExcursionS });
    current = null;
  };
  for (const r of readings) {
    if (outside(r, range)) {
      if (!current) current = { startedAt: r.at, lastAt: r.at, endedAt: null, peakDeciC: r.deciCelsius, readings: 0 };
      current.lastAt = r.at;
      current.readings += 1;
      const further = (t: number) => Math.max(t - range.maxDeciC, range.minDeciC - t);
      if (further(r.deciCelsius) > further(current.peakDeciC)) current.peakDeciC = r.deciCelsius;
    } else close(r.at);
  }
  close(null);
  return found;
}

const celsius = (deci: number) => `${(deci / 10).toFixed(1)} °C`;

/** Rule 6: an excursion that lasted too long, as a warning about the probe and its zone. */
export function coldChainWarning(
  sensor: { deviceId: string; warehouseCode: string; zoneCode: string },
  range: TemperatureRange,
  excursion: Excursion,
  maxExcursionS: number,
): WarningDraft | null {
  if (!excursion.breach) return null;
  const minutes = Math.round(excursion.durationS / 6) / 10;
  return {
    rule: 'cold-chain',
    subjectKind: 'sensor',
    subjectId: `${sensor.deviceId}@${excursion.startedAt}`,
    logisticsNo: null,
    severity: 'high',
    reason: `zone ${sensor.zoneCode}: ${celsius(excursion.peakDeciC)} at probe ${sensor.deviceId}, outside ${celsius(range.minDeciC)}…${celsius(range.maxDeciC)} for ${minutes} min${excursion.endedAt ? '' : ' and counting'} (allowed ${Math.round(maxExcursionS / 6) / 10} min)`,
    evidence: {
      deviceId: sensor.deviceId,
      zoneCode: sensor.zoneCode,
      range,
      ...excursion,
      maxExcursionS,
    },
  };
}
