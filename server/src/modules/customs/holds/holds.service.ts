import { Injectable } from '@nestjs/common';
import type { HoldInput, InspectionResultInput } from '@wms/contracts';
import type { AuthenticatedUser } from '../../../platform/auth/roles.js';
import { DomainEvents } from '../../../platform/events/domain-events.js';
import { AppError } from '../../../platform/http/app-error.js';
import { GateFactsRepository } from '../../parcels/gate-facts.repository.js';
import { TraceRepository } from '../../trace/trace.repository.js';
import { CustomsRepository, type ListRow } from '../declarations/customs.repository.js';
import { listView } from '../declarations/declarations.controller.js';
import { type HoldRow, HoldsRepository, type InspectionRow } from './holds.repository.js';
import {
  type HeldParcel,
  inspectionOutcome,
  mayHold,
  mayLift,
  mayRecordInspection,
  type Signature,
  type Verdict,
  WEIGHT_CHECK,
} from './holds.rules.js';

export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

const signatureOf = (user: AuthenticatedUser): Signature => ({
  userId: user.id,
  username: user.username,
  name: user.displayName,
});
const heldParcel = (l: ListRow): HeldParcel => ({
  logisticsNo: l.logistics_no,
  holdReason: l.hold_reason,
  heldBy: l.held_by,
  heldAt: l.held_at,
  gatePassedAt: l.gate_passed_at,
  customsStatus: l.customs_status,
});
const check = (v: Verdict) => {
  if (!v.ok) throw new AppError(v.code, v.message);
};
const only = (list: ListRow | undefined, logisticsNo: string): ListRow => {
  if (!list) throw new AppError('NOT_FOUND', `parcel ${logisticsNo} is not known: no inventory list names it`);
  return list;
};

/** The first bytes of a JPEG (FF D8 FF) or a PNG (89 50 4E 47 0D 0A 1A 0A). */
function looksLike(buffer: Buffer, type: string): boolean {
  if (type === 'image/jpeg') return buffer.length > 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff;
  return (
    buffer.length > 8 && buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  );
}

/**
 * Customs officers' holds, lifts and inspection results (issue 13): each signed by the officer,
 * stored with its reason, on the parcel's trace; the gate follows the parcel's hold as before.
 */
@Injectable()
export class HoldsService {
  constructor(
    private readonly customs: CustomsRepository,
    private readonly holds: HoldsRepository,
    private readonly trace: TraceRepository,
    private readonly events: DomainEvents,
    private readonly gateFacts: GateFactsRepository,
  ) {}

  async hold(input: HoldInput, user: AuthenticatedUser) {
    const by = signatureOf(user);
    const placed = await this.customs.orm.em.fork().transactional(async (em) => {
      const list = only(
        (await this.customs.listForUpdate(em, { logisticsNo: input.logisticsNo }))[0],
        input.logisticsNo,
      );
      const open = await this.holds.openHold(em, list.id);
      check(mayHold(heldParcel(list), open?.placed_by_name ?? null));
      const hold = await this.holds.place(em, list.id, list.logistics_no, input.reason, by);
      await this.customs.updateList(em, list.id, {
        hold_reason: input.reason,
        held_by: by.username,
        held_at: hold.placed_at,
      });
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: 'holding',
          disposition: 'held',
          actor: by.username,
          documents: { copNo: list.cop_no, invtNo: list.invt_no, orderNo: list.order_no },
          detail: {
            reason: input.reason,
            signedBy: by,
            ...(list.hold_reason ? { replacedHold: list.hold_reason } : {}),
          },
        },
      ]);
      return { list, hold };
    });
    this.announce(placed.list.logistics_no, true, input.reason, by.username, placed.list.warehouse_code);
    return {
      logisticsNo: placed.list.logistics_no,
      held: true as const,
      reason: input.reason,
      signedBy: by,
      at: placed.hold.placed_at,
    };
  }

  /** Lifts a hold with its reason: a customs hold by a customs officer; the weight-check hold also by a supervisor after a re-weigh. */
  async lift(logisticsNo: string, user: AuthenticatedUser, reason: string | undefined) {
    const by = signatureOf(user);
    const isCustoms = user.roles.includes('customs');
    const lifted = await this.customs.orm.em.fork().transactional(async (em) => {
      const list = only((await this.customs.listForUpdate(em, { logisticsNo }))[0], logisticsNo);
      check(mayLift(heldParcel(list), isCustoms, reason));
      const why = (reason as string).trim();
      // a weight hold ends with a re-weigh: the lift is recorded on it, and the gate reads it there
      if (list.held_by === WEIGHT_CHECK) await this.gateFacts.acceptReweigh(em, list, by.username, why);
      const open = await this.holds.openHold(em, list.id);
      if (open) await this.holds.lift(em, open.id, why, by);
      await this.customs.updateList(em, list.id, { hold_reason: null, held_by: null, held_at: null });
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: 'holding',
          disposition: 'hold_lifted',
          actor: by.username,
          documents: { copNo: list.cop_no, invtNo: list.invt_no, orderNo: list.order_no },
          detail: { liftedHold: list.hold_reason, reason: why, signedBy: by },
        },
      ]);
      return { list, liftedHold: list.hold_reason as string, why };
    });
    this.announce(lifted.list.logistics_no, false, `${lifted.why}`, by.username, lifted.list.warehouse_code);
    return {
      logisticsNo: lifted.list.logistics_no,
      held: false as const,
      reason: lifted.why,
      liftedHold: lifted.liftedHold,
      signedBy: by,
      at: new Date(),
    };
  }

  /** The officer's inspection result; a discrepancy keeps the parcel held, nothing here releases it. */
  async recordInspection(logisticsNo: string, input: InspectionResultInput, user: AuthenticatedUser) {
    const by = signatureOf(user);
    const done = await this.customs.orm.em.fork().transactional(async (em) => {
      const list = only((await this.customs.listForUpdate(em, { logisticsNo }))[0], logisticsNo);
      const parcel = heldParcel(list);
      check(mayRecordInspection(parcel));
      const outcome = inspectionOutcome(parcel, input.result, input.notes);
      const row = await this.holds.recordInspection(
        em,
        list.id,
        list.logistics_no,
        input.result,
        input.notes,
        list.customs_status,
        by,
      );
      if (outcome.holdReason) {
        // a weight-check hold is superseded by customs' own: the parcel is now customs' to release
        const open = await this.holds.openHold(em, list.id);
        if (!open) await this.holds.place(em, list.id, list.logistics_no, outcome.holdReason, by);
        await this.customs.updateList(em, list.id, {
          hold_reason: outcome.holdReason,
          held_by: by.username,
          held_at: row.recorded_at,
        });
      }
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: list.logistics_no,
          bizStep: 'inspecting',
          disposition: input.result === 'discrepancy' ? 'inspected_discrepancy' : 'inspected_as_declared',
          actor: by.username,
          documents: { copNo: list.cop_no, invtNo: list.invt_no, orderNo: list.order_no },
          detail: {
            result: input.result,
            notes: input.notes,
            inspectionId: row.id,
            signedBy: by,
            ...(outcome.holdReason ? { held: outcome.holdReason } : {}),
          },
        },
      ]);
      return { list, row, outcome };
    });
    if (done.outcome.holdReason)
      this.announce(done.list.logistics_no, true, done.outcome.holdReason, by.username, done.list.warehouse_code);
    this.changed(
      'inspection',
      done.list.logistics_no,
      `Inspection of ${done.list.logistics_no}: ${input.result}${input.notes ? ` (${input.notes})` : ''}`,
      done.list.warehouse_code,
    );
    return {
      id: done.row.id,
      logisticsNo: done.list.logistics_no,
      result: done.row.result,
      notes: done.row.notes,
      customsStatus: done.list.customs_status,
      held: Boolean(done.outcome.holdReason || done.list.hold_reason),
      next: done.outcome.next,
      signedBy: by,
      at: done.row.recorded_at,
    };
  }

  async attachPhoto(
    inspectionId: string,
    file: { buffer: Buffer; mimetype: string } | undefined,
    user: AuthenticatedUser,
  ) {
    if (!file) throw new AppError('VALIDATION_FAILED', 'photo: send the picture as multipart field "photo"');
    if (!(PHOTO_TYPES as readonly string[]).includes(file.mimetype))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `photo: ${file.mimetype} is not taken; send a JPEG or PNG`);
    if (!looksLike(file.buffer, file.mimetype))
      throw new AppError('VALIDATION_FAILED', `photo: the file is not a ${file.mimetype} picture`);
    const inspection = await this.holds.inspection(inspectionId);
    if (!inspection) throw new AppError('NOT_FOUND', `inspection result ${inspectionId} is not known`);
    const id = await this.holds.addPhoto(inspection.id, file.buffer, file.mimetype, user.username);
    this.changed('inspection', inspection.logistics_no, `Photo added to the inspection of ${inspection.logistics_no}`);
    return {
      id,
      inspectionId: inspection.id,
      logisticsNo: inspection.logistics_no,
      bytes: file.buffer.length,
      type: file.mimetype as (typeof PHOTO_TYPES)[number],
      url: photoUrl(inspection.id, id),
    };
  }

  async photo(inspectionId: string, photoId: string) {
    const p = await this.holds.photo(inspectionId, photoId);
    if (!p) throw new AppError('NOT_FOUND', `photo ${photoId} of inspection result ${inspectionId} is not known`);
    return p;
  }

  /** The inspection queue, a page at a time: each parcel with its signed holds and results. */
  async queue(q: { warehouseCode?: string; state: 'waiting' | 'recorded' | 'all'; limit: number; offset: number }) {
    const page = await this.holds.inspectionQueue(q.warehouseCode, q.state, q.limit, q.offset);
    const lists = await this.customs.listsById(page.ids);
    const [gates, holds, results] = await Promise.all([
      this.gateFacts.decisions(null, lists),
      this.holds.holdsOf(page.ids),
      this.holds.inspectionsOf(page.ids),
    ]);
    const next = q.offset + lists.length;
    return {
      items: lists.map((l) => ({
        parcel: listView(l, gates.get(String(l.id))!),
        holds: holds.filter((h) => String(h.list_id) === String(l.id)).map(holdView),
        results: results.filter((r) => String(r.list_id) === String(l.id)).map(inspectionView),
      })),
      total: page.total,
      offset: q.offset,
      nextOffset: next < page.total ? next : null,
    };
  }

  async situations(warehouseCode: string | undefined, overdueHours: number) {
    return {
      warehouseCode: warehouseCode ?? null,
      overdueHours,
      counts: await this.holds.situationCounts(warehouseCode, overdueHours),
    };
  }

  private announce(
    logisticsNo: string,
    held: boolean,
    reason: string | null,
    by: string,
    warehouseCode?: string,
  ): void {
    this.events.emit('parcel.holdChanged', { logisticsNo, held, reason: held ? reason : null, by });
    const summary = held ? `Hold placed on ${logisticsNo}: ${reason}` : `Hold lifted on ${logisticsNo}: ${reason}`;
    this.changed('hold', logisticsNo, summary, warehouseCode);
  }

  /** After the commit: the console's pages showing this kind reload (the customs room hears it). */
  private changed(kind: 'hold' | 'inspection', ref: string, summary: string, warehouseCode?: string): void {
    this.events.emit('customs.changed', {
      kind,
      ref,
      summary,
      ...(warehouseCode ? { warehouseCode } : {}),
      at: new Date().toISOString(),
    });
  }
}

export const holdView = (h: HoldRow) => ({
  id: h.id,
  reason: h.reason,
  placedBy: { userId: h.placed_by_id ?? '', username: h.placed_by, name: h.placed_by_name },
  placedAt: h.placed_at,
  liftReason: h.lift_reason,
  liftedBy: h.lifted_by
    ? { userId: h.lifted_by_id ?? '', username: h.lifted_by, name: h.lifted_by_name ?? h.lifted_by }
    : null,
  liftedAt: h.lifted_at,
});

export const inspectionView = (r: InspectionRow) => ({
  id: r.id,
  result: r.result,
  notes: r.notes,
  customsStatus: r.customs_status,
  signedBy: { userId: r.recorded_by_id ?? '', username: r.recorded_by, name: r.recorded_by_name },
  at: r.recorded_at,
  photos: r.photos.map((p) => ({ ...p, url: photoUrl(r.id, p.id) })),
});

export const photoUrl = (inspectionId: string, photoId: string) =>
  `/api/customs/inspection-results/${inspectionId}/photos/${photoId}`;
