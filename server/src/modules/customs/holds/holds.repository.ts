import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { ParcelSituation } from '@wms/contracts';
import { ORM } from '../../../platform/database/orm.js';
import type { Sql } from '../../../platform/database/sql.js';
import type { Signature } from './holds.rules.js';

export interface HoldRow {
  id: string;
  list_id: string;
  logistics_no: string;
  reason: string;
  placed_by_id: string | null;
  placed_by: string;
  placed_by_name: string;
  placed_at: Date;
  lift_reason: string | null;
  lifted_by_id: string | null;
  lifted_by: string | null;
  lifted_by_name: string | null;
  lifted_at: Date | null;
}

export interface InspectionRow {
  id: string;
  list_id: string;
  logistics_no: string;
  result: 'as-declared' | 'discrepancy';
  notes: string;
  customs_status: number | null;
  recorded_by_id: string | null;
  recorded_by: string;
  recorded_by_name: string;
  recorded_at: Date;
  photos: Array<{ id: string; type: string }>;
}

/**
 * Where a parcel (an inventory list) is in customs' eyes, as SQL over `inventory_list` (l): the
 * situations of the console's parcels page (DOMAIN.md §4 receipt statuses). `overdue`: still in the
 * centre, declared more than `overdueHours` ago and not out.
 */
export const SITUATION_SQL: Record<ParcelSituation, string> = {
  held: 'l.hold_reason is not null and l.gate_passed_at is null',
  inspection: 'l.customs_status = 500 and l.gate_passed_at is null',
  detained: 'l.customs_status in (501, 502, 503, 599) and l.gate_passed_at is null',
  rejected: "l.state = 'rejected'",
  returned: 'l.customs_status = 700 or exists (select 1 from customs_return r where r.list_id = l.id)',
  overdue: `l.state = 'declared' and l.gate_passed_at is null and l.declared_at < now() - make_interval(hours => ?::int)`,
};

/** The officers' signed records: holds with their lifts, inspection results and their photos. */
@Injectable()
export class HoldsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  async openHold(em: Sql, listId: string): Promise<HoldRow | null> {
    const rows = await em.execute<HoldRow[]>(
      'select * from customs_hold where list_id = ? and lifted_at is null for update',
      [listId],
    );
    return rows[0] ?? null;
  }

  async place(em: Sql, listId: string, logisticsNo: string, reason: string, by: Signature): Promise<HoldRow> {
    const rows = await em.execute<HoldRow[]>(
      `insert into customs_hold (list_id, logistics_no, reason, placed_by_id, placed_by, placed_by_name)
       values (?, ?, ?, ?, ?, ?) returning *`,
      [listId, logisticsNo, reason, by.userId, by.username, by.name],
    );
    return rows[0];
  }

  async lift(em: Sql, holdId: string, reason: string, by: Signature): Promise<HoldRow> {
    const rows = await em.execute<HoldRow[]>(
      `update customs_hold set lift_reason = ?, lifted_by_id = ?, lifted_by = ?, lifted_by_name = ?, lifted_at = now()
       where id = ? returning *`,
      [reason, by.userId, by.username, by.name, holdId],
    );
    return rows[0];
  }

  /** Every hold of these parcels, oldest first (for the timeline and the parcels page). */
  async holdsOf(listIds: string[]): Promise<HoldRow[]> {
    if (!listIds.length) return [];
    return this.orm.em.execute<HoldRow[]>(
      `select h.* from customs_hold h where h.list_id = any(?::bigint[]) order by h.id`,
      [`{${listIds.join(',')}}`],
    );
  }

  async recordInspection(
    em: Sql,
    listId: string,
    logisticsNo: string,
    result: InspectionRow['result'],
    notes: string,
    customsStatus: number | null,
    by: Signature,
  ): Promise<InspectionRow> {
    const rows = await em.execute<InspectionRow[]>(
      `insert into customs_inspection (list_id, logistics_no, result, notes, customs_status, recorded_by_id, recorded_by, recorded_by_name)
       values (?, ?, ?, ?, ?, ?, ?, ?) returning *, '[]'::jsonb as photos`,
      [listId, logisticsNo, result, notes, customsStatus, by.userId, by.username, by.name],
    );
    return rows[0];
  }

  /** The inspection results of these parcels with their photos, oldest first. */
  async inspectionsOf(listIds: string[]): Promise<InspectionRow[]> {
    if (!listIds.length) return [];
    return this.orm.em.execute<InspectionRow[]>(
      `select i.*,
         coalesce((select jsonb_agg(jsonb_build_object('id', p.id, 'type', p.photo_type) order by p.created_at, p.id)
                   from customs_inspection_photo p where p.inspection_id = i.id), '[]'::jsonb) as photos
       from customs_inspection i where i.list_id = any(?::bigint[]) order by i.id`,
      [`{${listIds.join(',')}}`],
    );
  }

  async inspection(id: string): Promise<InspectionRow | null> {
    const rows = await this.orm.em.execute<InspectionRow[]>(
      `select *, '[]'::jsonb as photos from customs_inspection where id = ?`,
      [id],
    );
    return rows[0] ?? null;
  }

  async addPhoto(inspectionId: string, photo: Buffer, type: string, by: string): Promise<string> {
    const rows = await this.orm.em.execute<Array<{ id: string }>>(
      `insert into customs_inspection_photo (inspection_id, photo, photo_type, taken_by) values (?, ?::bytea, ?, ?)
       returning id::text`,
      [inspectionId, `\\x${photo.toString('hex')}`, type, by],
    );
    return rows[0].id;
  }

  async photo(inspectionId: string, photoId: string): Promise<{ photo: Buffer; type: string } | null> {
    const rows = await this.orm.em.execute<Array<{ photo: Buffer; photo_type: string }>>(
      'select photo, photo_type from customs_inspection_photo where inspection_id = ? and id = ?::uuid',
      [inspectionId, photoId],
    );
    return rows[0] ? { photo: Buffer.from(rows[0].photo), type: rows[0].photo_type } : null;
  }

  /** How many parcels are in each situation (a parcel may be in several: held and under inspection). */
  async situationCounts(
    warehouseCode: string | undefined,
    overdueHours: number,
  ): Promise<Record<ParcelSituation, number>> {
    const names = Object.keys(SITUATION_SQL) as ParcelSituation[];
    const [row] = await this.orm.em.execute<Array<Record<ParcelSituation, string>>>(
      `select ${names.map((n) => `count(*) filter (where ${SITUATION_SQL[n]}) as "${n}"`).join(', ')}
       from inventory_list l ${warehouseCode ? 'where l.warehouse_code = ?' : ''}`,
      warehouseCode ? [overdueHours, warehouseCode] : [overdueHours],
    );
    return Object.fromEntries(names.map((n) => [n, Number(row[n])])) as Record<ParcelSituation, number>;
  }

  /** The inspection queue: parcels under inspection (500) or held by customs, still inside. */
  async inspectionQueue(
    warehouseCode: string | undefined,
    state: 'waiting' | 'recorded' | 'all',
    limit: number,
    offset: number,
  ): Promise<{ ids: string[]; total: number }> {
    const recorded = 'exists (select 1 from customs_inspection i where i.list_id = l.id)';
    const where = [
      `l.gate_passed_at is null and (l.customs_status = 500 or (l.hold_reason is not null and l.held_by <> 'weight-check'))`,
      ...(warehouseCode ? ['l.warehouse_code = ?'] : []),
      ...(state === 'waiting' ? [`not ${recorded}`] : state === 'recorded' ? [recorded] : []),
    ].join(' and ');
    const params = warehouseCode ? [warehouseCode] : [];
    const rows = await this.orm.em.execute<Array<{ id: string; total: string }>>(
      `select l.id::text as id, count(*) over () as total from inventory_list l where ${where}
       order by coalesce(l.held_at, l.updated_at), l.id limit ? offset ?`,
      [...params, limit, offset],
    );
    if (rows.length || offset === 0) return { ids: rows.map((r) => r.id), total: Number(rows[0]?.total ?? 0) };
    const [count] = await this.orm.em.execute<Array<{ n: string }>>(
      `select count(*) as n from inventory_list l where ${where}`,
      params,
    );
    return { ids: [], total: Number(count.n) };
  }
}
