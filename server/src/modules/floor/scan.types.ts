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
