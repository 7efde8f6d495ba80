import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Sql as Em } from '../../platform/database/sql.js';
import { answerOk, Refusal, type ScanAnswer, type Session } from '../floor/floor.answers.js';
import { say } from '../floor/floor.messages.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import type { Found, LocationRow } from '../floor/scan.types.js';
import { LedgerRepository } from '../inventory/ledger.repository.js';
import { transferMovements } from '../inventory/ledger-rules.js';
import { AsnReceiptService, type ShipmentChange } from '../shipments/asn-receipt.service.js';
import { StorageRepository } from './storage.repository.js';
import { putawayRefusal } from './storage.rules.js';

/** A dock's or staging location's goods as put-away reads them, with the suggestion. */
export interface WaitingRow {
  owner_code: string;
  sku: string;
  batch: string;
  location: string;
  qty: string | number;
  suggestion: string | null;
}

/**
 * What a put-away of goods reads first, sent with the scan's first statement (ScanDispatcher.open,
 * whose CTEs `g`, the goods the code names, and `l`, the location it names, it reads): the goods
 * waiting at a dock or staging location, oldest first, and where the same goods already are in
 * the right zone (the suggestion). Null for any other scan.
 */
export function putawayFirstRead(input: { operation: string; warehouseCode: string }, batch: string | null) {
  return {
    sql: `(select to_jsonb(x) from (
         with w as (
           select m.owner_code, m.sku, m.batch, m.location, sum(m.qty) as qty from stock_movement m
           join location l on l.warehouse_code = m.warehouse_code and l.code = m.location and l.purpose in ('dock', 'staging')
           where ? and not exists (select 1 from l) and m.ledger = 'shelf' and m.warehouse_code = ?
             and (m.owner_code, m.sku) in (select g.owner_code, g.sku from g) and (? = '' or m.batch = ?)
           group by m.owner_code, m.sku, m.batch, m.location having sum(m.qty) > 0 order by min(m.created_at) limit 1)
         select w.*, (
           select m.location from stock_movement m
           join location l on l.warehouse_code = m.warehouse_code and l.code = m.location and l.purpose = 'storage'
           join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
             and z.kind = case when exists (select 1 from book_line b join warehouse wh on wh.ems_no = b.ems_no
                                            where wh.code = ? and b.item_no = w.sku) then 'bonded' else 'non-bonded' end
           where m.ledger = 'shelf' and m.warehouse_code = ? and m.owner_code = w.owner_code and m.sku = w.sku
           group by m.location having sum(m.qty) > 0 order by sum(m.qty) desc limit 1) as suggestion
         from w) x)`,
    params: [
      input.operation === 'putaway',
      input.warehouseCode,
      batch ?? '',
      batch ?? '',
      input.warehouseCode,
      input.warehouseCode,
    ],
  };
}

/**
 * Put-away by scanning: goods from a dock or staging location into storage, location first or
 * goods first. The scan's queries run in the scan's one transaction (the dispatcher's): the
 * multi-table statements below (stock_movement with location, zone and book_line) are kept as
 * single statements for the scan path's speed, and are owned here, by the room that runs the scan.
 */
@Injectable()
export class PutawayService {
  constructor(
    private readonly storage: StorageRepository,
    private readonly ledger: LedgerRepository,
    private readonly asn: AsnReceiptService,
  ) {}

  /**
   * New goods for the zone: an empty storage location of the right zone. At most 200 candidates
   * are looked at, from a point of the zone that depends on the goods (the same goods are sent the
   * same way; different goods spread out), so the answer costs the same in a warehouse of any
   * size; in a nearly full zone there may be no suggestion, and the worker picks one.
   */
  private async emptyLocation(em: Em, warehouseCode: string, bonded: boolean, sku: string): Promise<string | null> {
    const zone = bonded ? 'bonded' : 'non-bonded';
    const start = createHash('sha1')
      .update(sku)
      .digest('base64')
      .replace(/[^A-Z0-9]/gi, '')
      .slice(0, 2)
      .toUpperCase();
    const pick = (from: string) =>
      em.execute<Array<{ code: string }>>(
        `select c.code from (
           select l.code from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code and z.kind = ?
           where l.warehouse_code = ? and l.purpose = 'storage' and l.code >= ? order by l.code limit 200) c
         where not exists (select 1 from stock_movement m where m.ledger = 'shelf' and m.warehouse_code = ?
                           and m.location = c.code group by m.location having sum(m.qty) <> 0)
         order by c.code limit 1`,
        [zone, warehouseCode, from, warehouseCode],
      );
    const found = (await pick(start))[0] ?? (await pick(''))[0];
    return found?.code ?? null;
  }

  async putawayScan(
    em: Em,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
  ): Promise<ScanAnswer> {
    const text = code.kind === 'plain' ? code.text : null;
    const { loc, goods } = found;
    if (loc) {
      const item = session.item as
        | { ownerCode: string; sku: string; batch: string; qty: number; from: string; bonded: boolean }
        | undefined;
      if (!item) {
        session.location = loc.code;
        return answerOk(input, say.location(loc.code), say.scanGoodsForHere());
      }
      // the scan's first statement took the item's stock lock (the item in hand, into a location)
      return this.putaway(em, input, item, loc, session, actor, found.shipmentChanges, found.extra.locked === true);
    }
    if (!goods.length)
      throw new Refusal(
        say.neitherLocationNorGoods(text ?? input.code, input.warehouseCode),
        say.scanLocationOrGoods(),
      );
    const ems = goods[0].ems_no;
    const batch = code.kind === 'gs1-goods' ? code.batch : null;
    // the goods waiting at a dock or staging location, oldest first, and the suggestion: read
    // with the scan's first statement (putawayFirstRead)
    const waiting = found.extra.waiting ? [found.extra.waiting as WaitingRow] : [];
    if (!waiting.length) throw new Refusal(say.nothingWaiting(goods[0].sku, batch), say.scanFromDock());
    const w = waiting[0];
    const g = goods.find((x) => x.owner_code === w.owner_code && x.sku === w.sku)!;
    const bonded = Boolean(ems && g.putrec_seqno);
    // the count on the label (AI 30/37) or the quantity field; never more than waits there
    const qty = (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1;
    if (qty > Number(w.qty))
      throw new Refusal(say.moreThanWaiting(qty, w.sku, w.batch, Number(w.qty), w.location), say.fewerOrCount(), {
        sku: w.sku,
        batch: w.batch,
        qty,
        waiting: Number(w.qty),
        from: w.location,
      });
    const item = {
      ownerCode: w.owner_code,
      sku: w.sku,
      batch: w.batch,
      qty,
      from: w.location,
      bonded,
      putrecSeqno: g.putrec_seqno,
      emsNo: ems,
      // the expiry on the label (GS1 AI 17), for the lot a put-away abroad makes
      ...(code.kind === 'gs1-goods' && code.expiry ? { expiry: code.expiry } : {}),
    };
    if (session.location) {
      const target = await this.storage.location(em, input.warehouseCode, String(session.location));
      if (target) return this.putaway(em, input, item, target, session, actor, found.shipmentChanges, false);
    }
    session.item = item;
    const suggestion = w.suggestion ?? (await this.emptyLocation(em, input.warehouseCode, bonded, w.sku));
    return answerOk(
      input,
      say.takenFrom(qty, w.sku, w.batch, w.location),
      suggestion ? say.putItIn(suggestion) : say.scanWhereYouPut(),
      { sku: w.sku, batch: w.batch, qty, waiting: Number(w.qty), from: w.location, suggestion },
    );
  }

  private async putaway(
    em: Em,
    input: ScanInput,
    item: {
      ownerCode: string;
      sku: string;
      batch: string;
      qty: number;
      from: string;
      bonded: boolean;
      putrecSeqno?: number | null;
      emsNo?: string | null;
      expiry?: string;
    },
    loc: LocationRow,
    session: Session,
    actor: string,
    changes: ShipmentChange[],
    locked: boolean,
  ): Promise<ScanAnswer> {
    const refusal = putawayRefusal({ bonded: item.bonded, sku: item.sku }, loc);
    if (refusal) throw new Refusal(refusal, say.scanRightZone());
    const ems = item.emsNo ?? null;
    if (!locked) await this.ledger.lockItems(em, input.warehouseCode, [item]);
    const bookLine = ems && item.putrecSeqno && item.bonded ? { emsNo: ems, putrecSeqno: item.putrecSeqno } : null;
    const docNo = `PA-${input.scanId}`;
    const held = await this.ledger.appendTracedIfHeld(
      em,
      {
        warehouseCode: input.warehouseCode,
        location: item.from,
        ownerCode: item.ownerCode,
        sku: item.sku,
        batch: item.batch,
        qty: item.qty,
      },
      transferMovements(input.warehouseCode, 'putaway', docNo, {
        bookLine,
        ownerCode: item.ownerCode,
        sku: item.sku,
        batch: item.batch,
        location: item.from,
        qty: item.qty,
        to: loc.code,
      }),
      actor,
      [
        {
          objectKind: 'stock',
          objectId: `${item.ownerCode}/${item.sku}/${item.batch}`,
          bizStep: 'storing',
          disposition: 'sellable_not_accessible',
          readPoint: input.stationId,
          actor,
          documents: { docNo },
          detail: { from: item.from, to: loc.code, qty: item.qty },
        },
      ],
    );
    if (held < item.qty) {
      delete session.item;
      throw new Refusal(say.onlyLeft(String(held), item.sku, item.from), say.scanGoodsAgain());
    }
    // off the book (an overseas warehouse): a seller's counted units become available, as a lot
    const available = item.bonded
      ? 0
      : await this.asn.putAway(
          em,
          {
            warehouseCode: input.warehouseCode,
            ownerCode: item.ownerCode,
            sku: item.sku,
            qty: item.qty,
            docNo,
            actor,
            ...(item.expiry ? { expiry: item.expiry } : {}),
          },
          changes,
        );
    delete session.item;
    delete session.location;
    return answerOk(input, say.putIn(item.qty, item.sku, loc.code), say.scanNextGoodsOrLocation(), {
      sku: item.sku,
      qty: item.qty,
      to: loc.code,
      ...(available ? { sellerAvailable: available } : {}),
    });
  }
}
