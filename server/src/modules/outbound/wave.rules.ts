import { allocateFifo, type ShelfBalance } from '../inventory/ledger-rules.js';

/** A declared parcel waiting for a wave, with the lines of its inventory list. */
export interface WaveParcel {
  id: string;
  logisticsNo: string;
  emsNo: string | null;
  lines: Array<{ sku: string; ownerCode: string; units: number; putrecSeqno: number | null }>;
}

/** Units open pick tasks already hold at one place (owner, SKU, batch, location). */
export interface Reservation {
  ownerCode: string;
  sku: string;
  batch: string;
  location: string;
  left: number;
}

export interface PlannedTask {
  listId: string;
  logisticsNo: string;
  ownerCode: string;
  sku: string;
  emsNo: string | null;
  putrecSeqno: number | null;
  batch: string;
  location: string;
  qty: number;
}

export interface WavePlan {
  tasks: PlannedTask[];
  /** Parcels with tasks. */
  parcels: number;
  /** Parcels left out, with why (stock short for one of their lines). */
  skipped: Array<{ logisticsNo: string; reason: string }>;
}

const placeKey = (o: string, s: string, b: string, l: string) => [o, s, b, l].join('\u0000');

/**
 * Wave planning (DOMAIN.md §6, oldest stock first): parcel by parcel in the order given, each line
 * is allocated oldest batch first (allocateFifo) from the shelf balances of its goods, bonded lines
 * only from bonded zones, net of what open tasks and the parcels planned before it hold. A parcel
 * is planned whole or not at all: one short line skips it, and what it would have taken stays free
 * for the parcels after it. Pure: the service reads the stock and writes the tasks.
 */
export function planWave(
  parcels: WaveParcel[],
  stock: Map<string, Array<ShelfBalance & { zone: string }>>,
  openTasks: Reservation[],
): WavePlan {
  const reserved = new Map<string, number>();
  for (const t of openTasks) reserved.set(placeKey(t.ownerCode, t.sku, t.batch, t.location), t.left);
  const plan: WavePlan = { tasks: [], parcels: 0, skipped: [] };
  for (const parcel of parcels) {
    const planned: Array<{
      ownerCode: string;
      sku: string;
      batch: string;
      location: string;
      qty: number;
      putrecSeqno: number | null;
    }> = [];
    let shortOf: string | null = null;
    for (const line of parcel.lines) {
      const bonded = Boolean(parcel.emsNo && line.putrecSeqno);
      const balances = (stock.get(`${line.ownerCode}|${line.sku}`) ?? [])
        .filter((b) => !bonded || b.zone === 'bonded')
        .map((b) => {
          const k = placeKey(line.ownerCode, line.sku, b.batch, b.location);
          const taken =
            (reserved.get(k) ?? 0) +
            planned
              .filter((p) => placeKey(p.ownerCode, p.sku, p.batch, p.location) === k)
              .reduce((s, p) => s + p.qty, 0);
          return { ...b, qty: b.qty - taken };
        });
      const allocation = allocateFifo(balances, line.units);
      if (!allocation.ok) {
        shortOf = `only ${allocation.available} × ${line.sku} free on the shelves, ${line.units} needed`;
        break;
      }
      for (const p of allocation.picks)
        planned.push({ ownerCode: line.ownerCode, sku: line.sku, putrecSeqno: line.putrecSeqno, ...p });
    }
    if (shortOf) {
      plan.skipped.push({ logisticsNo: parcel.logisticsNo, reason: shortOf });
      continue;
    }
    for (const p of planned) {
      plan.tasks.push({ listId: parcel.id, logisticsNo: parcel.logisticsNo, emsNo: parcel.emsNo, ...p });
      const k = placeKey(p.ownerCode, p.sku, p.batch, p.location);
      reserved.set(k, (reserved.get(k) ?? 0) + p.qty);
    }
    plan.parcels++;
  }
  return plan;
}
