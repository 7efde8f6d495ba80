import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { ORM } from '../../../platform/database/orm.js';
import { pgArray } from '../../../platform/database/pg-array.js';
import type { Sql as Em } from '../../../platform/database/sql.js';
import type { ManifestKind } from '../rules/export-chain-status.js';

export interface ManifestRow {
  id: string;
  kind: ManifestKind;
  cop_no: string;
  warehouse_code: string;
  trip_no: string | null;
  bill_no: string | null;
  guid: string;
  head: Record<string, string>;
  status: number | null;
  status_info: string | null;
  status_time: string | null;
  pre_no: string | null;
}

export interface ManifestParcelRow {
  list_id: string;
  logistics_no: string;
  sscc: string | null;
  order_no: string;
  invt_no: string | null;
}

/** The arrival, master waybill and departure reports of the 9610 export chain: export_manifest owns them. */
@Injectable()
export class ExportManifestRepository {
  constructor(@Inject(ORM) readonly orm: MikroORM) {}

  async insert(
    em: Em,
    m: {
      kind: ManifestKind;
      copNo: string;
      warehouseCode: string;
      tripNo?: string | null;
      billNo?: string | null;
      head: Record<string, string>;
      createdBy: string;
    },
    parcels: Array<{ listId: string; logisticsNo: string; sscc?: string | null }>,
  ): Promise<string> {
    const [row] = await em.execute<Array<{ id: string }>>(
      `insert into export_manifest (kind, cop_no, warehouse_code, trip_no, bill_no, head, created_by)
       values (?, ?, ?, ?, ?, ?, ?) returning id`,
      [m.kind, m.copNo, m.warehouseCode, m.tripNo ?? null, m.billNo ?? null, JSON.stringify(m.head), m.createdBy],
    );
    await em.execute(
      `insert into export_manifest_parcel (manifest_id, list_id, logistics_no, sscc)
       select ?, x.list_id, x.logistics_no, x.sscc from jsonb_to_recordset(?::jsonb) as x(list_id bigint, logistics_no text, sscc text)`,
      [
        row.id,
        JSON.stringify(parcels.map((p) => ({ list_id: p.listId, logistics_no: p.logisticsNo, sscc: p.sscc ?? null }))),
      ],
    );
    return String(row.id);
  }

  /** The message that carries the report (DeclarationsService.emit gives its guid). */
  async setMessage(em: Em, id: string, guid: string, head: Record<string, string>): Promise<void> {
    await em.execute('update export_manifest set guid = ?, head = ? where id = ?', [guid, JSON.stringify(head), id]);
  }

  async byGuidForUpdate(em: Em, guid: string): Promise<ManifestRow | null> {
    const rows = await em.execute<ManifestRow[]>('select * from export_manifest where guid = ? for update', [guid]);
    return rows[0] ?? null;
  }

  async parcelsOf(em: Em, manifestId: string): Promise<ManifestParcelRow[]> {
    return em.execute<ManifestParcelRow[]>(
      `select p.list_id, p.logistics_no, p.sscc, l.order_no, l.invt_no from export_manifest_parcel p
       join inventory_list l on l.id = p.list_id where p.manifest_id = ? order by p.logistics_no`,
      [manifestId],
    );
  }

  /** The latest arrival report naming each of these lists (listId -> its copNo and status). */
  async latestArrivals(em: Em, listIds: string[]): Promise<Map<string, { copNo: string; status: number | null }>> {
    if (!listIds.length) return new Map();
    const rows = await em.execute<Array<{ list_id: string; cop_no: string; status: number | null }>>(
      `select distinct on (p.list_id) p.list_id, m.cop_no, m.status from export_manifest_parcel p
       join export_manifest m on m.id = p.manifest_id
       where m.kind = 'arrival' and p.list_id = any(?::bigint[]) order by p.list_id, m.id desc`,
      [pgArray(listIds)],
    );
    return new Map(rows.map((r) => [String(r.list_id), { copNo: r.cop_no, status: r.status }]));
  }

  /** The latest report of this kind for a trip. */
  async latestOfTrip(em: Em, tripNo: string, kind: 'waybill' | 'departure'): Promise<ManifestRow | null> {
    const rows = await em.execute<ManifestRow[]>(
      'select * from export_manifest where trip_no = ? and kind = ? order by id desc limit 1',
      [tripNo, kind],
    );
    return rows[0] ?? null;
  }

  async setStatus(
    em: Em,
    id: string,
    s: { status: number; statusInfo: string | null; statusTime: string; preNo?: string },
  ) {
    await em.execute(
      'update export_manifest set status = ?, status_info = ?, status_time = ?, pre_no = coalesce(pre_no, ?) where id = ?',
      [s.status, s.statusInfo, s.statusTime, s.preNo ?? null, id],
    );
  }

  /** The reports naming a parcel, or those of a trip, oldest first, each with its parcels. */
  async search(where: { logisticsNo?: string; tripNo?: string }) {
    const [clause, value] = where.logisticsNo
      ? ['m.id in (select manifest_id from export_manifest_parcel where logistics_no = ?)', where.logisticsNo]
      : ['m.trip_no = ?', where.tripNo ?? ''];
    return this.orm.em.execute<
      Array<{
        kind: ManifestKind;
        copNo: string;
        messageType: string;
        warehouseCode: string;
        tripNo: string | null;
        billNo: string | null;
        guid: string;
        status: number | null;
        statusInfo: string | null;
        statusTime: string | null;
        createdAt: Date;
        parcels: Array<{ logisticsNo: string; sscc: string | null }>;
      }>
    >(
      `select m.kind, m.cop_no as "copNo", c.message_type as "messageType", m.warehouse_code as "warehouseCode",
         m.trip_no as "tripNo", m.bill_no as "billNo", m.guid, m.status, m.status_info as "statusInfo",
         m.status_time as "statusTime", m.created_at as "createdAt",
         (select jsonb_agg(jsonb_build_object('logisticsNo', p.logistics_no, 'sscc', p.sscc) order by p.logistics_no)
            from export_manifest_parcel p where p.manifest_id = m.id) as parcels
       from export_manifest m join customs_message c on c.guid = m.guid
       where ${clause} order by m.id limit 200`,
      [value],
    );
  }
}
