import type { BucketRow } from '@wms/contracts';

/** The stock buckets (contracts' STOCK_BUCKETS) plus read-only `bonded`, in the order a seller reads them. */
export const BUCKETS = ['inbound', 'receiving', 'available', 'reserved', 'unfulfillable', 'on_hold', 'bonded'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The answer's field of each bucket (`on_hold` is `onHold` in JSON). */
export const FIELD = {
  inbound: 'inbound',
  receiving: 'receiving',
  available: 'available',
  reserved: 'reserved',
  unfulfillable: 'unfulfillable',
  on_hold: 'onHold',
  bonded: 'bonded',
} as const satisfies Record<Bucket, keyof BucketRow>;

type Quantities = Pick<BucketRow, (typeof FIELD)[Bucket]>;

/** A row's units in the overseas warehouse's buckets (bonded stock in China is counted apart). */
export const totalOf = (row: Quantities) =>
  BUCKETS.filter((b) => b !== 'bonded').reduce((sum, b) => sum + row[FIELD[b]], 0);

/** One bucket's units of a row. */
export const unitsIn = (row: Quantities, bucket: Bucket) => row[FIELD[bucket]];
