import { Injectable } from '@nestjs/common';
import { pgArray } from '../../platform/database/pg-array.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { LedgerRepository } from '../inventory/ledger.repository.js';
import { entryMovements, type PlacedLine } from '../inventory/ledger-rules.js';
import { TraceRepository } from '../trace/trace.repository.js';
import type { BondedEntry } from './bonded-entry.schemas.js';
import { ReceivingRepository } from './receiving.repository.js';

/**
 * First-line entry of bulk goods into the centre (DOMAIN.md §3 1210, §6): against an entry
 * verification list, each item lands on its account-book line (book) and on a shelf (physical),
 * in one transaction, so book and shelf stay equal. The same document is received once.
 */
@Injectable()
export class BondedEntryService {
  constructor(
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly receiving: ReceivingRepository,
    private readonly events: DomainEvents,
  ) {}

  async receive(entry: BondedEntry, actor: string) {
    const booked = await this.receiving.transaction(async (em) => {
      await this.ledger.lockStock(em, entry.warehouseCode);
      const [warehouse] = await em.execute<Array<{ code: string; kind: string; ems_no: string | null }>>(
        'select code, kind, ems_no from warehouse where code = ?',
        [entry.warehouseCode],
      );
      if (!warehouse) throw new AppError('NOT_FOUND', `warehouse ${entry.warehouseCode} is not set up`);
      if (await this.ledger.docRecorded(em, 'entry-verification', entry.docNo))
        throw new AppError('CONFLICT', `entry ${entry.docNo} was already received; nothing was booked twice`);
      const skus = [...new Set(entry.lines.map((l) => l.sku))];
      const known = await em.execute<Array<{ sku: string; item_no: string | null; putrec_seqno: number | null }>>(
        `select g.sku, b.item_no, b.putrec_seqno from goods g
         left join book_line b on b.ems_no = ? and b.item_no = g.sku
         where g.owner_code = ? and g.sku = any(?::text[])`,
        [warehouse.ems_no, entry.ownerCode, pgArray(skus)],
      );
      const bySku = new Map(known.map((k) => [k.sku, k]));
      const locations = await em.execute<Array<{ code: string; kind: string }>>(
        `select l.code, z.kind from location l join zone z on z.warehouse_code = l.warehouse_code and z.code = l.zone_code
         where l.warehouse_code = ? and l.code = any(?::text[])`,
        [entry.warehouseCode, pgArray(entry.lines.map((l) => l.location))],
      );
      const zoneOf = new Map(locations.map((l) => [l.code, l.kind]));
      const problems: string[] = [];
      const placed: PlacedLine[] = entry.lines.map((l, i) => {
        const goods = bySku.get(l.sku);
        if (!goods) problems.push(`line ${i + 1}: ${l.sku} is not in the goods master of ${entry.ownerCode}`);
        const bonded = warehouse.kind === 'bonded-centre';
        if (bonded && goods && !goods.putrec_seqno)
          problems.push(
            `line ${i + 1}: ${l.sku} has no line in account book ${warehouse.ems_no}; bonded goods need one`,
          );
        const zone = zoneOf.get(l.location);
        if (!zone) problems.push(`line ${i + 1}: location ${l.location} does not exist in ${entry.warehouseCode}`);
        else if (bonded && zone !== 'bonded')
          problems.push(`line ${i + 1}: location ${l.location} is in a ${zone} zone; bonded goods go to a bonded zone`);
        return {
          bookLine:
            bonded && warehouse.ems_no && goods?.putrec_seqno
              ? { emsNo: warehouse.ems_no, putrecSeqno: goods.putrec_seqno }
              : null,
          ownerCode: entry.ownerCode,
          sku: l.sku,
          batch: l.batch,
          location: l.location,
          qty: l.qty,
        };
      });
      if (problems.length)
        throw new AppError('VALIDATION_FAILED', `entry ${entry.docNo} was not received: ${problems.join('; ')}`, {
          problems,
        });
      await this.ledger.append(em, entryMovements(entry.warehouseCode, entry.docNo, placed), actor);
      await this.trace.record(
        em,
        placed
          .filter((p) => p.bookLine)
          .map((p) => ({
            objectKind: 'book-line' as const,
            objectId: `${p.bookLine!.emsNo}/${p.bookLine!.putrecSeqno}`,
            bizStep: 'receiving',
            disposition: 'in_progress',
            actor,
            documents: { entryNo: entry.docNo },
            detail: { sku: p.sku, batch: p.batch, qty: p.qty, location: p.location },
          })),
      );
      return { docNo: entry.docNo, units: placed.reduce((s, p) => s + p.qty, 0), lines: placed.length };
    });
    this.events.emit('stock.moved', {
      warehouseCode: entry.warehouseCode,
      docType: 'entry-verification',
      docNo: entry.docNo,
      at: new Date().toISOString(),
    });
    return booked;
  }
}
