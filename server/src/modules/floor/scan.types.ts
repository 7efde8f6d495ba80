import { pgArray } from '../../platform/database/pg-array.js';
import type { Sql as Em } from '../../platform/database/sql.js';
import type { ShipmentChange } from '../shipments/asn-receipt.service.js';
import type { ZoneKind } from '../storage/storage.rules.js';

export type { Em };

export interface GoodsRow {
  owner_code: string;
  sku: string;
  gtin: string | null;
  name: string;
  putrec_seqno: number | null;
  /** The warehouse's account book (null off the book). */
  ems_no: string | null;
}

/** `(owner, sku)` of the goods a scan named, as plain equality when there is one (the index's shape). */
export function itemsCondition(goods: Array<{ owner_code: string; sku: string }>, alias = 'm.'): string {
  return goods.length === 1
    ? `${alias}owner_code = ? and ${alias}sku = ?`
    : `(${alias}owner_code, ${alias}sku) in (select unnest(?::text[]), unnest(?::text[]))`;
}
export function itemsParams(goods: Array<{ owner_code: string; sku: string }>): string[] {
  return goods.length === 1
    ? [goods[0].owner_code, goods[0].sku]
    : [pgArray(goods.map((g) => g.owner_code)), pgArray(goods.map((g) => g.sku))];
}

/** What a scanned code names: a location, goods, both or neither. */
export interface Found {
  loc: LocationRow | null;
  goods: GoodsRow[];
  /** receive: the delivery named in the scan, share-locked until the scan commits. */
  delivery: DeliveryRow | null;
  /** Sellers' shipments the scan changed: told to each seller once the scan has committed. */
  shipmentChanges: ShipmentChange[];
  /**
   * The scan's last writes, handed to the dispatcher: sent in one statement with the scan record
   * and the COMMIT (one round trip less). Each is one data-modifying statement (insert/update,
   * no WITH of its own) whose answer the scan does not need; written whether the scan is accepted
   * or refused, as a write made before a refusal is.
   */
  writes: Array<{ sql: string; params: unknown[] }>;
  /** What the first statement read for this operation (see ScanDispatcher.open). */
  extra: ScanExtra;
}

/** Facts read with the session in the scan's first statement, for the operation that needs them. */
export interface ScanExtra {
  /** receive: the delivery's counts of each found SKU so far (before this scan), by SKU. */
  counted?: Record<string, { good: number; damaged: number; batchMismatch: number }>;
  /** pick, a bin scanned: what is left to pick there, by SKU. */
  binTasks?: Array<{ sku: string; left: number }>;
  /** put-away of goods: what waits at a dock for them, and the suggestion (putawayFirstRead). */
  waiting?: unknown;
  /** pick and put-away: the item locks this transaction holds (taken before anything was read). */
  locked?: boolean;
}

export interface DeliveryRow {
  id: string;
  owner_code: string;
  status: string;
  warehouse_code: string;
  lines: Array<{ sku: string; qty: number; batch?: string; expiry?: string }>;
  /** The delivery is a seller's inbound shipment (ASN) at an overseas warehouse. */
  asn?: boolean;
}

export interface LocationRow {
  code: string;
  zone: ZoneKind;
  purpose: string;
}
