import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyReceipt, isReleased, type ListCustomsState, newListState } from '../customs/rules/customs-status.js';
import { gateDecision } from '../outbound/gate.rules.js';
import {
  allocateFifo,
  balancesByBookLine,
  bookInWarehouse,
  entryMovements,
  gatePassMovements,
  type Movement,
  type PlacedLine,
  packMovements,
  parcelLocation,
  releaseMovements,
  returnMovements,
  type ShelfBalance,
} from './ledger-rules.js';

/**
 * Property tests of the ledger and gate rules: random sequences of entries, declarations,
 * customs receipts (duplicated, reordered, late), packing, gate attempts and returns, driven
 * through the same pure functions the services call. After every step the book equals the shelf
 * for every book line, and nothing passes the gate unless customs released it and nobody holds it.
 */
const EMS = 'T5165W000001';
const WAREHOUSE = 'BC01';
const LINES = [1, 2, 3];
const STATUSES = [2, 4, 100, 120, 300, 399, 500, 501, 800, 899, -301010];
/** Weighed within tolerance and labelled: the floor's part of the gate rule (gate.rules.test.ts covers it). */
const FINISHED_AT_THE_STATION = {
  weighings: 1,
  latestWeighing: { grossGrams: 1000, within: true, holdLiftedBy: null, holdLiftReason: null },
  labelPrinted: true,
  lastLabelStatus: 'done',
  tripNo: null,
};

interface Parcel {
  no: string;
  seq: number;
  units: number;
  state: ListCustomsState;
  held: boolean;
  packed: PlacedLine[] | null;
  passed: boolean;
  returned: boolean;
  released: boolean;
}

type Step =
  | { kind: 'entry'; seq: number; qty: number; batch: string }
  | { kind: 'declare'; seq: number; units: number }
  | { kind: 'receipt'; parcel: number; status: number; time: number; repeat: boolean }
  | { kind: 'hold'; parcel: number; on: boolean }
  | { kind: 'pack'; parcel: number }
  | { kind: 'gate'; parcel: number }
  | { kind: 'return'; parcel: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('entry' as const),
    seq: fc.constantFrom(...LINES),
    qty: fc.integer({ min: 1, max: 20 }),
    batch: fc.constantFrom('B1', 'B2', 'B3'),
  }),
  fc.record({
    kind: fc.constant('declare' as const),
    seq: fc.constantFrom(...LINES),
    units: fc.integer({ min: 1, max: 5 }),
  }),
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('receipt' as const),
      parcel: fc.nat(6),
      status: fc.constantFrom(...STATUSES, 800, 800),
      time: fc.integer({ min: 0, max: 50 }),
      repeat: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('hold' as const), parcel: fc.nat(6), on: fc.boolean() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pack' as const), parcel: fc.nat(6) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('gate' as const), parcel: fc.nat(6) }) },
  fc.record({ kind: fc.constant('return' as const), parcel: fc.nat(6) }),
);

function shelfBalances(movements: Movement[], seq: number): ShelfBalance[] {
  const by = new Map<string, ShelfBalance>();
  movements.forEach((m, i) => {
    if (m.ledger !== 'shelf' || m.bookLine?.putrecSeqno !== seq || m.location.startsWith('PARCEL:')) return;
    const key = `${m.location}|${m.batch}`;
    const b = by.get(key) ?? { location: m.location, batch: m.batch, qty: 0, since: String(i).padStart(6, '0') };
    b.qty += m.qty;
    by.set(key, b);
  });
  return [...by.values()];
}

/** Gate passes over all runs: the property must actually exercise the pass path. */
let passes = 0;

function run(steps: Step[]) {
  const movements: Movement[] = [];
  const parcels: Parcel[] = [];
  const time = (t: number) =>
    `202611${String(10 + Math.floor(t / 24)).padStart(2, '0')}${String(t % 24).padStart(2, '0')}0000`;
  for (const s of steps) {
    const p = 'parcel' in s ? parcels[s.parcel % Math.max(parcels.length, 1)] : undefined;
    switch (s.kind) {
      case 'entry':
        movements.push(
          ...entryMovements(WAREHOUSE, `E${movements.length}`, [
            {
              bookLine: { emsNo: EMS, putrecSeqno: s.seq },
              ownerCode: 'EBC',
              sku: `SKU${s.seq}`,
              batch: s.batch,
              location: `A-${s.seq}`,
              qty: s.qty,
            },
          ]),
        );
        break;
      case 'declare': {
        const no = `P${parcels.length}`;
        parcels.push({
          no,
          seq: s.seq,
          units: s.units,
          state: newListState(`G-${no}`),
          held: false,
          packed: null,
          passed: false,
          returned: false,
          released: false,
        });
        break;
      }
      case 'receipt': {
        if (!p) break;
        const receipt = { guid: p.state.currentGuid, returnStatus: s.status, returnTime: time(s.time) };
        for (const _ of s.repeat ? [1, 2] : [1]) {
          const before = p.state.status;
          const r = applyReceipt(p.state, receipt);
          p.state = r.state;
          // the receipts service: the first time a list is released (800, or a 899 standing in for
          // it), its units are verification-applied; never again (a release after a detention)
          if (r.changed && isReleased(r.state.status) && !isReleased(before) && !p.released) {
            movements.push(
              ...releaseMovements(WAREHOUSE, `INV-${p.no}`, p.no, [
                { bookLine: { emsNo: EMS, putrecSeqno: p.seq }, ownerCode: 'EBC', sku: `SKU${p.seq}`, qty: p.units },
              ]),
            );
            p.released = true;
          }
        }
        break;
      }
      case 'hold':
        if (p && !p.passed) p.held = s.on;
        break;
      case 'pack': {
        if (!p || p.packed) break;
        const a = allocateFifo(shelfBalances(movements, p.seq), p.units);
        if (!a.ok) break;
        p.packed = a.picks.map((x) => ({
          bookLine: { emsNo: EMS, putrecSeqno: p.seq },
          ownerCode: 'EBC',
          sku: `SKU${p.seq}`,
          ...x,
        }));
        movements.push(...packMovements(WAREHOUSE, p.no, p.packed));
        break;
      }
      case 'gate': {
        if (!p) break;
        const decision = gateDecision(
          {
            logistics_no: p.no,
            state: 'declared',
            direction: 'import',
            customs_status: p.state.status,
            customs_status_info: null,
            hold_reason: p.held ? 'random hold' : null,
            gate_passed_at: p.passed ? new Date(0) : null,
            packed_at: p.packed ? new Date(0) : null,
          },
          FINISHED_AT_THE_STATION,
        );
        if (decision.allowed) {
          passes++;
          // THE property: only a released, unheld, packed parcel that has not left yet passes
          expect([800, 899]).toContain(p.state.status);
          expect(p.held).toBe(false);
          expect(p.released).toBe(true);
          movements.push(
            ...gatePassMovements(
              WAREHOUSE,
              `GP-${p.no}`,
              p.no,
              (p.packed ?? []).map((x) => ({ ...x, location: parcelLocation(p.no) })),
            ),
          );
          p.passed = true;
        } else expect(decision.reason).toMatch(/parcel P\d+/);
        break;
      }
      case 'return':
        if (!p?.passed || p.returned) break;
        movements.push(
          ...returnMovements(WAREHOUSE, `RT-${p.no}`, p.no, [
            {
              bookLine: { emsNo: EMS, putrecSeqno: p.seq },
              ownerCode: 'EBC',
              sku: `SKU${p.seq}`,
              batch: 'RETURN',
              location: 'R-1',
              qty: p.units,
            },
          ]),
        );
        p.returned = true;
        break;
    }
    // Book equals shelf, after every single step, for every line.
    for (const [line, b] of balancesByBookLine(movements)) {
      expect({ line, book: bookInWarehouse(b) }).toEqual({ line, book: b.shelf });
      expect(b.book['written-off']).toBeGreaterThanOrEqual(0);
    }
  }
  return { movements, parcels };
}

describe('ledger and gate rules under random sequences', () => {
  it('keep book equal to shelf and let only released, unheld parcels through the gate', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 150, size: 'max' }), (steps) => {
        const { movements, parcels } = run(steps);
        // Every shelf quantity is non-negative: nothing is picked that is not there.
        const byLocation = new Map<string, number>();
        for (const m of movements)
          if (m.ledger === 'shelf')
            byLocation.set(
              `${m.location}|${m.batch}|${m.sku}`,
              (byLocation.get(`${m.location}|${m.batch}|${m.sku}`) ?? 0) + m.qty,
            );
        for (const qty of byLocation.values()) expect(qty).toBeGreaterThanOrEqual(0);
        // Written-off units are exactly the units of parcels that passed the gate, less nothing.
        const written = [...balancesByBookLine(movements).values()].reduce((s, b) => s + b.book['written-off'], 0);
        expect(written).toBe(parcels.filter((p) => p.passed).reduce((s, p) => s + p.units, 0));
      }),
      { numRuns: 400 },
    );
    expect(passes).toBeGreaterThan(50);
  });

  it('reach the same customs status whatever the order and duplication of the same receipts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ status: fc.constantFrom(...STATUSES), time: fc.integer({ min: 0, max: 99 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.infiniteStream(fc.nat()),
        (receipts, randomness) => {
          const asReceipt = (r: { status: number; time: number }) => ({
            guid: 'G',
            returnStatus: r.status,
            returnTime: `20261125${String(r.time).padStart(6, '0')}`,
          });
          const fold = (list: typeof receipts) =>
            list.reduce((s, r) => applyReceipt(s, asReceipt(r)).state, newListState('G')).status;
          const shuffled = [...receipts, ...receipts.slice(0, 3)];
          const it = randomness[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = (it.next().value as number) % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
          }
          expect(fold(shuffled)).toBe(fold(receipts));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('allocates oldest stock first and never more than is there', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            location: fc.constantFrom('A', 'B', 'C'),
            batch: fc.constantFrom('1', '2'),
            qty: fc.integer({ min: 0, max: 9 }),
            since: fc.integer({ min: 0, max: 99 }),
          }),
          { maxLength: 8 },
        ),
        fc.integer({ min: 1, max: 40 }),
        (raw, want) => {
          const balances = raw.map((b) => ({ ...b, since: String(b.since).padStart(3, '0') }));
          const total = balances.reduce((s, b) => s + b.qty, 0);
          const result = allocateFifo(balances, want);
          if (total < want) {
            expect(result).toEqual({ ok: false, available: total });
            return;
          }
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(result.picks.reduce((s, p) => s + p.qty, 0)).toBe(want);
          // nothing younger is taken while older stock is left behind
          const sinceOf = (p: { location: string; batch: string }) =>
            Math.min(
              ...balances
                .filter((b) => b.location === p.location && b.batch === p.batch && b.qty > 0)
                .map((b) => b.since as unknown as number),
            );
          const youngestTaken = Math.max(...result.picks.map((p) => Number(sinceOf(p))));
          const untouched = balances.filter(
            (b) => b.qty > 0 && !result.picks.some((p) => p.location === b.location && p.batch === b.batch),
          );
          for (const u of untouched) expect(Number(u.since)).toBeGreaterThanOrEqual(youngestTaken);
        },
      ),
      { numRuns: 300 },
    );
  });
});
