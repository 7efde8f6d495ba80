import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { TraceKind } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';
import { normaliseCode, type TimelineEntry, type TraceMatch } from './trace-search.rules.js';

/**
 * The trace read model (DOMAIN.md §7, "源头可溯、去向可查"): what a code is, and the timeline of a
 * parcel, carton/pallet (SSCC), vehicle trip or book line, merged from the append-only records the
 * rooms keep — trace events, customs receipts, ledger movements, weight checks, label prints,
 * loading into units and trips. Read only; each table keeps its owner.
 */
@Injectable()
export class TraceSearchRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  private rows<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.orm.em.execute<T[]>(sql, params);
  }

  /** Every object the code names: a parcel by any of its documents, a unit, a trip, book lines. */
  async search(text: string): Promise<TraceMatch[]> {
    const code = normaliseCode(text);
    const [parcels, units, trips, lines] = await Promise.all([
      this.rows<{ logistics_no: string; order_no: string; warehouse_code: string; by: string }>(
        `select distinct on (logistics_no) logistics_no, order_no, warehouse_code, by from (
           select logistics_no, order_no, warehouse_code, 'logisticsNo' as by from inventory_list where logistics_no = ?
           union all select logistics_no, order_no, warehouse_code, 'orderNo' from inventory_list where order_no = ?
           union all select logistics_no, order_no, warehouse_code, 'invtNo' from inventory_list where invt_no = ?
           union all select logistics_no, order_no, warehouse_code, 'copNo' from inventory_list where cop_no = ?
           union all select logistics_no, order_no, warehouse_code, 'entryId' from inventory_list where entry_id = ?
           union all select logistics_no, order_no, warehouse_code, 'gatePassNo' from inventory_list where gate_pass_no = ?
           union all select l.logistics_no, l.order_no, l.warehouse_code, 'sscc' from parcel_label p
             join inventory_list l on l.id = p.list_id where p.sscc = ?
         ) m order by logistics_no limit 50`,
        [code, code, code, code, code, code, code],
      ),
      this.rows<{ sscc: string; kind: string; trip_no: string | null }>(
        'select sscc, kind, trip_no from handling_unit where sscc = ?',
        [code],
      ),
      this.rows<{ trip_no: string; plate: string; release_note_no: string | null; by: string }>(
        `select trip_no, plate, release_note_no, case when trip_no = ? then 'tripNo' else 'releaseNoteNo' end as by
         from vehicle_trip where trip_no = ? or release_note_no = ?`,
        [code, code, code],
      ),
      this.bookLines(code),
    ]);
    return [
      ...parcels.map((p) => ({
        kind: 'parcel' as const,
        ref: p.logistics_no,
        label: `parcel ${p.logistics_no} · order ${p.order_no} · ${p.warehouse_code}`,
        matchedBy: p.by,
      })),
      ...units.map((u) => ({
        kind: 'unit' as const,
        ref: u.sscc,
        label: `${u.kind} ${u.sscc}${u.trip_no ? ` · trip ${u.trip_no}` : ''}`,
        matchedBy: 'sscc',
      })),
      ...trips.map((t) => ({
        kind: 'trip' as const,
        ref: t.trip_no,
        label: `trip ${t.trip_no} · ${t.plate}${t.release_note_no ? ` · release note ${t.release_note_no}` : ''}`,
        matchedBy: t.by,
      })),
      ...lines,
    ];
  }

  private async bookLines(code: string): Promise<TraceMatch[]> {
    const one = /^(.+)\/(\d{1,9})$/.exec(code);
    const rows = await this.rows<{ ems_no: string; putrec_seqno: number; gname: string; gcode: string }>(
      one
        ? 'select ems_no, putrec_seqno, gname, gcode from book_line where ems_no = ? and putrec_seqno = ?'
        : 'select ems_no, putrec_seqno, gname, gcode from book_line where ems_no = ? order by putrec_seqno limit 50',
      one ? [one[1], Number(one[2])] : [code],
    );
    return rows.map((b) => ({
      kind: 'book-line' as const,
      ref: `${b.ems_no}/${b.putrec_seqno}`,
      label: `book line ${b.ems_no}/${b.putrec_seqno} · ${b.gcode} ${b.gname}`,
      matchedBy: one ? 'putrecSeqno' : 'emsNo',
    }));
  }

  /** The object's documents and timeline, oldest first; null when there is no such object. */
  async timeline(kind: TraceKind, ref: string) {
    if (kind === 'parcel') return this.parcel(ref);
    if (kind === 'unit') return this.unit(ref);
    if (kind === 'trip') return this.trip(ref);
    return this.bookLine(ref);
  }

  private async parcel(logisticsNo: string) {
    const [list] = await this.rows<Record<string, string | null> & { id: string }>(
      `select l.id, l.logistics_no, l.order_no, l.invt_no, l.cop_no, l.pre_no, l.entry_id, l.gate_pass_no, l.ems_no,
         l.warehouse_code, l.trade_mode, l.customs_status::text as customs_status, l.hold_reason,
         p.sscc as parcel_sscc, u.sscc as unit_sscc, h.trip_no, t.release_note_no
       from inventory_list l left join parcel_label p on p.list_id = l.id
       left join handling_unit_parcel u on u.list_id = l.id left join handling_unit h on h.sscc = u.sscc
       left join vehicle_trip t on t.trip_no = h.trip_no
       where l.logistics_no = ? order by l.id desc limit 1`,
      [logisticsNo],
    );
    if (!list) return null;
    const entries = await this.rows<TimelineEntry>(
      `select * from (
         select occurred_at as at, 'event' as source, biz_step as step, disposition, actor as who, read_point as "where",
           null::text as device, documents, detail from trace_event where object_kind = 'parcel' and object_id = ?
         union all
         select r.received_at, 'receipt', 'customs-receipt', r.return_status::text, 'customs', null, null,
           jsonb_build_object('messageType', r.message_type, 'guid', r.guid, 'file', r.file_name),
           jsonb_build_object('returnStatus', r.return_status, 'returnInfo', r.return_info, 'returnTime', r.return_time,
             'changedStatus', r.changed_status, 'ignoredBecause', r.ignored_because)
         from customs_receipt r join customs_message m on m.guid = r.guid
         where m.subject_kind = 'list' and m.subject_id = ?
         union all
         select coalesce(m.written_at, m.created_at), 'message', 'customs-message', m.message_type, null, null, null,
           jsonb_build_object('messageType', m.message_type, 'guid', m.guid, 'file', m.file_name), '{}'::jsonb
         from customs_message m where m.subject_kind = 'list' and m.subject_id = ?
         union all
         select created_at, 'movement', 'ledger-' || ledger, customs_state, actor, nullif(location, ''), null,
           jsonb_build_object('docType', doc_type, 'docNo', doc_no, 'emsNo', ems_no, 'putrecSeqno', putrec_seqno),
           jsonb_build_object('sku', sku, 'batch', batch, 'qty', qty, 'ownerCode', owner_code, 'note', note)
         from stock_movement where logistics_no = ?
         union all
         select w.created_at, 'weight', 'weighing', case when w.within then 'within' else 'outside' end, w.actor,
           w.station_id, e.device_id, '{}'::jsonb,
           jsonb_build_object('grossGrams', w.gross_grams, 'declaredGrams', w.declared_grams,
             'expectedGrams', w.expected_grams, 'toleranceGrams', w.tolerance_grams, 'within', w.within)
         from weight_check w left join weight_event e on e.id = w.weight_event_id where w.list_id = ?
         union all
         select lp.created_at, 'label', 'labelling', lp.status, lp.actor, null, lp.device_id,
           jsonb_build_object('sscc', pl.sscc, 'jobId', lp.job_id),
           jsonb_build_object('reprint', lp.reprint, 'reason', lp.reason, 'statusReason', lp.status_reason)
         from label_print lp join parcel_label pl on pl.list_id = lp.list_id where lp.list_id = ?
         union all
         select hp.added_at, 'unit', 'loading', 'in_unit', hp.added_by, null, null,
           jsonb_build_object('sscc', hp.sscc, 'tripNo', hu.trip_no), jsonb_build_object('kind', hu.kind)
         from handling_unit_parcel hp join handling_unit hu on hu.sscc = hp.sscc where hp.list_id = ?
       ) t order by at, source`,
      [logisticsNo, list.id, list.id, logisticsNo, list.id, list.id, list.id],
    );
    return {
      kind: 'parcel' as const,
      ref: logisticsNo,
      title: `parcel ${logisticsNo}`,
      documents: {
        logisticsNo: list.logistics_no,
        orderNo: list.order_no,
        copNo: list.cop_no,
        invtNo: list.invt_no,
        preNo: list.pre_no,
        entryId: list.entry_id,
        gatePassNo: list.gate_pass_no,
        emsNo: list.ems_no,
        sscc: list.parcel_sscc,
        unitSscc: list.unit_sscc,
        tripNo: list.trip_no,
        releaseNoteNo: list.release_note_no,
        tradeMode: list.trade_mode,
        warehouseCode: list.warehouse_code,
        customsStatus: list.customs_status,
        hold: list.hold_reason,
      },
      related: [
        ...(list.unit_sscc ? [{ kind: 'unit' as const, ref: list.unit_sscc, label: `unit ${list.unit_sscc}` }] : []),
        ...(list.trip_no ? [{ kind: 'trip' as const, ref: list.trip_no, label: `trip ${list.trip_no}` }] : []),
      ],
      timeline: entries,
    };
  }

  private async unit(sscc: string) {
    const [unit] = await this.rows<{
      sscc: string;
      kind: string;
      warehouse_code: string;
      trip_no: string | null;
      created_by: string;
      created_at: Date;
    }>('select * from handling_unit where sscc = ?', [sscc]);
    if (!unit) return null;
    const parcels = await this.rows<{ logistics_no: string }>(
      'select logistics_no from handling_unit_parcel where sscc = ? order by added_at',
      [sscc],
    );
    const entries = await this.rows<TimelineEntry>(
      `select * from (
         select created_at as at, 'unit' as source, 'packing' as step, 'created' as disposition, created_by as who,
           null::text as "where", null::text as device, jsonb_build_object('sscc', sscc) as documents,
           jsonb_build_object('kind', kind, 'warehouseCode', warehouse_code) as detail
         from handling_unit where sscc = ?
         union all
         select added_at, 'unit', 'loading', 'parcel_added', added_by, null, null,
           jsonb_build_object('logisticsNo', logistics_no), '{}'::jsonb from handling_unit_parcel where sscc = ?
         union all
         select created_at, 'label', 'labelling', status, actor, station_id, device_id,
           jsonb_build_object('sscc', sscc, 'jobId', job_id),
           jsonb_build_object('reprint', reprint, 'reason', reason, 'parcels', parcels, 'grossGrams', gross_grams)
         from unit_label_print where sscc = ?
         union all
         select t.departed_at, 'trip', 'departing', 'departed', t.departed_by, null, null,
           jsonb_build_object('tripNo', t.trip_no, 'releaseNoteNo', t.release_note_no),
           jsonb_build_object('plate', t.plate, 'weighedGrossKg', t.weighed_gross_kg, 'expectedKg', t.expected_kg)
         from vehicle_trip t join handling_unit h on h.trip_no = t.trip_no where h.sscc = ? and t.departed_at is not null
       ) t order by at, source`,
      [sscc, sscc, sscc, sscc],
    );
    return {
      kind: 'unit' as const,
      ref: sscc,
      title: `${unit.kind} ${sscc}`,
      documents: { sscc, kind: unit.kind, warehouseCode: unit.warehouse_code, tripNo: unit.trip_no },
      related: [
        ...parcels.map((p) => ({ kind: 'parcel' as const, ref: p.logistics_no, label: `parcel ${p.logistics_no}` })),
        ...(unit.trip_no ? [{ kind: 'trip' as const, ref: unit.trip_no, label: `trip ${unit.trip_no}` }] : []),
      ],
      timeline: entries,
    };
  }

  private async trip(tripNo: string) {
    const [trip] = await this.rows<Record<string, string | null>>(
      `select trip_no, warehouse_code, plate, status, release_note_no, vehicle_tare_kg::text as vehicle_tare_kg,
         weighed_gross_kg::text as weighed_gross_kg, expected_kg::text as expected_kg
       from vehicle_trip where trip_no = ?`,
      [tripNo],
    );
    if (!trip) return null;
    const units = await this.rows<{ sscc: string; kind: string }>(
      'select sscc, kind from handling_unit where trip_no = ? order by created_at',
      [tripNo],
    );
    const entries = await this.rows<TimelineEntry>(
      `select * from (
         select created_at as at, 'trip' as source, 'loading' as step, 'opened' as disposition, created_by as who,
           null::text as "where", null::text as device, jsonb_build_object('tripNo', trip_no) as documents,
           jsonb_build_object('plate', plate) as detail
         from vehicle_trip where trip_no = ?
         union all
         select h.created_at, 'unit', 'loading', 'unit_on_trip', h.created_by, null, null,
           jsonb_build_object('sscc', h.sscc), jsonb_build_object('kind', h.kind,
             'parcels', (select count(*) from handling_unit_parcel p where p.sscc = h.sscc))
         from handling_unit h where h.trip_no = ?
         union all
         select departed_at, 'trip', 'departing', 'departed', departed_by, null, null,
           jsonb_build_object('tripNo', trip_no, 'releaseNoteNo', release_note_no),
           jsonb_build_object('vehicleTareKg', vehicle_tare_kg, 'weighedGrossKg', weighed_gross_kg,
             'expectedKg', expected_kg)
         from vehicle_trip where trip_no = ? and departed_at is not null
       ) t order by at, source`,
      [tripNo, tripNo, tripNo],
    );
    return {
      kind: 'trip' as const,
      ref: tripNo,
      title: `trip ${tripNo} · ${trip.plate}`,
      documents: {
        tripNo,
        plate: trip.plate,
        status: trip.status,
        releaseNoteNo: trip.release_note_no,
        warehouseCode: trip.warehouse_code,
        vehicleTareKg: trip.vehicle_tare_kg,
        weighedGrossKg: trip.weighed_gross_kg,
        expectedKg: trip.expected_kg,
      },
      related: units.map((u) => ({ kind: 'unit' as const, ref: u.sscc, label: `${u.kind} ${u.sscc}` })),
      timeline: entries,
    };
  }

  private async bookLine(ref: string) {
    const m = /^(.+)\/(\d{1,9})$/.exec(ref);
    if (!m) return null;
    const [emsNo, putrecSeqno] = [m[1], Number(m[2])];
    const [line] = await this.rows<{ gcode: string; gname: string; item_no: string; unit: string }>(
      'select gcode, gname, item_no, unit from book_line where ems_no = ? and putrec_seqno = ?',
      [emsNo, putrecSeqno],
    );
    if (!line) return null;
    const entries = await this.rows<TimelineEntry>(
      `select * from (
         select created_at as at, 'movement' as source, 'ledger-' || ledger as step, customs_state as disposition,
           actor as who, nullif(location, '') as "where", null::text as device,
           jsonb_build_object('docType', doc_type, 'docNo', doc_no, 'logisticsNo', logistics_no) as documents,
           jsonb_build_object('sku', sku, 'batch', batch, 'qty', qty, 'ownerCode', owner_code, 'note', note) as detail
         from stock_movement where ems_no = ? and putrec_seqno = ?
         union all
         select occurred_at, 'event', biz_step, disposition, actor, read_point, null, documents, detail
         from trace_event where object_kind = 'book-line' and object_id = ?
       ) t order by at, source limit 5000`,
      [emsNo, putrecSeqno, ref],
    );
    return {
      kind: 'book-line' as const,
      ref,
      title: `book line ${ref} · ${line.gname}`,
      documents: { emsNo, putrecSeqno: String(putrecSeqno), itemNo: line.item_no, gcode: line.gcode, unit: line.unit },
      related: [],
      timeline: entries,
    };
  }
}
