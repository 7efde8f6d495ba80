import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { DocNumbers } from '../../../platform/database/doc-numbers.js';
import { pgArray } from '../../../platform/database/pg-array.js';
import type { Answer } from '../../../platform/http/answer-fields.js';
import { LedgerRepository } from '../../inventory/ledger.repository.js';
import type { WarehouseRecord } from '../../masterdata/masterdata.repository.js';
import { TraceRepository } from '../../trace/trace.repository.js';
import type {
  ExportOrderDoc,
  ExportWaybillDoc,
  ImportOrderDoc,
  ImportPaymentDoc,
  ImportWaybillDoc,
} from '../documents/trade-documents.schemas.js';
import type { CebMessageType } from '../messages/ceb-schema.js';
import { buildCebMessage, CebValidationError } from '../messages/ceb-writer.js';
import { type MatchLimits, type Mismatch, matchDocuments } from '../rules/three-document-match.js';
import { writeOutgoing } from '../transport/customs-folder.transport.js';
import { CustomsRepository, type Em, type OrderBundle } from './customs.repository.js';
import type { declarationOutcome } from './declarations.answers.js';
import {
  type BookLineRecord,
  type BuiltList,
  buildExportList,
  buildImportList,
  customsDate,
  customsTime,
  type GoodsRecord,
  isBondedList,
} from './inventory-list.builder.js';

/** One order's outcome of declaring: its schema is the declare route's answer. */
export type DeclarationOutcome = Answer<typeof declarationOutcome>;

const CHUNK = 200;

/**
 * Declares inventory lists: for each order, builds its list, runs the three-document match and
 * the stock checks (DOMAIN.md §5, §6), and only when nothing is wrong writes the CEB621/CEB603
 * file to the single-window outbox. A refused order keeps its itemised reasons on the list.
 */
@Injectable()
export class DeclarationsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly docNumbers: DocNumbers,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
  ) {}

  get limits(): MatchLimits {
    return {
      perOrderCny: this.config.CUSTOMS_LIMIT_PER_ORDER_CNY,
      perBuyerYearCny: this.config.CUSTOMS_LIMIT_PER_BUYER_YEAR_CNY,
    };
  }

  envelope() {
    return {
      copCode: this.config.CUSTOMS_COP_CODE,
      copName: this.config.CUSTOMS_COP_NAME,
      dxpId: this.config.CUSTOMS_DXP_ID,
    };
  }

  /**
   * Records a validated message in the caller's transaction; dispatchOutbox() writes the file after
   * the commit (a transactional outbox), so nothing leaves for a declaration that was rolled back.
   */
  async emit(
    em: Em,
    type: CebMessageType,
    data: { head: Record<string, string>; lines?: Array<Record<string, string>> },
    subject: { kind: 'list' | 'summary' | 'return' | 'cancel' | 'manifest'; id: string },
  ): Promise<{ guid: string; fileName: string }> {
    const guid = randomUUID().toUpperCase();
    const head = { guid, appType: '1', appTime: customsTime(new Date()), appStatus: '2', ...data.head };
    const { xml } = buildCebMessage(type, { head, lines: data.lines }, this.envelope());
    const fileName = `${type}_${guid}.xml`;
    await this.customs.recordMessage(em, {
      guid,
      messageType: type,
      subjectKind: subject.kind,
      subjectId: subject.id,
      fileName,
      xml,
    });
    // The file is written by dispatchOutbox() once this transaction has committed.
    return { guid, fileName };
  }

  /**
   * Writes every committed, unwritten message into the single window's outbox folder, oldest
   * first. Safe to run from several places at once (rows are claimed with skip locked); a crash
   * between writing and marking only means the same file is written again, and customs answers
   * the same guid twice, which the receipt handling absorbs.
   */
  async dispatchOutbox(): Promise<number> {
    let written = 0;
    for (;;) {
      const batch = await this.customs.orm.em.fork().transactional(async (em) => {
        const rows = await em.execute<Array<{ guid: string; file_name: string; xml: string }>>(
          `select guid, file_name, xml from customs_message where written_at is null
           order by created_at limit 500 for update skip locked`,
        );
        for (const r of rows) writeOutgoing(this.config.CUSTOMS_OUTBOX_DIR, r.file_name, r.xml);
        if (rows.length)
          await em.execute('update customs_message set written_at = now() where guid = any(?::text[])', [
            pgArray(rows.map((r) => r.guid)),
          ]);
        return rows.length;
      });
      written += batch;
      if (batch < 500) return written;
    }
  }

  async declare(
    direction: 'import' | 'export',
    orders: Array<{ ebpCode: string; orderNo: string }> | null,
    actor: string | null,
    onProgress?: (done: number, chunk: DeclarationOutcome[]) => void | Promise<void>,
  ): Promise<DeclarationOutcome[]> {
    const results: DeclarationOutcome[] = [];
    const seen = new Set<string>();
    let afterId = '0';
    for (;;) {
      const chunkResults = await this.customs.orm.em.fork().transactional(async (em) => {
        await this.customs.lockDeclarations(em);
        const bundles = await this.customs.orderBundles(em, direction, orders, CHUNK, afterId);
        if (!bundles.length) return null;
        afterId = bundles[bundles.length - 1].order_id;
        return this.declareChunk(em, direction, bundles, actor);
      });
      if (!chunkResults) break;
      await this.dispatchOutbox();
      for (const r of chunkResults) {
        seen.add(`${r.ebpCode}|${r.orderNo}`);
        results.push(r);
      }
      await onProgress?.(results.length, chunkResults);
    }
    for (const k of orders ?? []) {
      if (!seen.has(`${k.ebpCode}|${k.orderNo}`))
        results.push({
          ebpCode: k.ebpCode,
          orderNo: k.orderNo,
          copNo: null,
          logisticsNo: null,
          outcome: 'refused',
          mismatches: [
            {
              code: 'ORDER_MISSING',
              field: 'order',
              expected: `${k.ebpCode}/${k.orderNo}`,
              actual: '',
              message: `order ${k.orderNo}: no ${direction === 'import' ? 'CEB311' : 'CEB303'} order received from platform ${k.ebpCode}`,
            },
          ],
        });
    }
    return results;
  }

  private async declareChunk(
    em: Em,
    direction: 'import' | 'export',
    bundles: OrderBundle[],
    actor: string | null,
  ): Promise<DeclarationOutcome[]> {
    const warehouses = new Map<string, WarehouseRecord>();
    const warehouseRows = await em.execute<WarehouseRecord[]>(
      `select code, name, kind, customs_code as "customsCode", port_code as "portCode", loct_no as "loctNo",
         ems_no as "emsNo", operator_code as "operatorCode", storage_age_limit_days as "storageAgeLimitDays",
         storage_age_warning_days as "storageAgeWarningDays" from warehouse`,
    );
    for (const w of warehouseRows) warehouses.set(w.code, w);
    // areaName of a bonded list: the registered name of the centre's enterprise
    const areaNames = new Map(
      (
        await em.execute<Array<{ code: string; name: string }>>(
          'select w.code, e.name from warehouse w join enterprise e on e.code = w.operator_code',
        )
      ).map((r) => [r.code, r.name]),
    );
    const owners = [...new Set(bundles.map((b) => String(b.order.ebcCode)))];
    const goods = await this.customs.goods(em, owners);
    const emsNos = warehouseRows.flatMap((w) => (w.emsNo ? [w.emsNo] : []));
    const bookLines = await this.customs.bookLines(em, emsNos);
    const available = new Map<string, Map<number, number>>();
    for (const ems of emsNos) available.set(ems, await this.ledger.bondedAvailable(em, ems));
    const now = new Date();
    const year = customsDate(now).slice(0, 4);
    const buyers = [...new Set(bundles.map((b) => String(b.order.buyerIdNumber ?? '')).filter(Boolean))];
    const yearToDate = direction === 'import' ? await this.customs.buyerYearToDate(em, buyers, year) : new Map();
    const declarant = { agentCode: this.config.CUSTOMS_COP_CODE, agentName: this.config.CUSTOMS_COP_NAME };

    const out: DeclarationOutcome[] = [];
    for (const b of bundles) {
      const list = b.list;
      if (list && (list.state === 'declared' || list.state === 'cancelled')) {
        out.push({
          ebpCode: b.ebp_code,
          orderNo: b.order_no,
          copNo: list.cop_no,
          logisticsNo: list.logistics_no,
          outcome: 'already-declared',
          guid: list.current_guid ?? undefined,
        });
        continue;
      }
      const copNo =
        list?.cop_no ?? (await this.docNumbers.next(em, direction === 'import' ? 'LI' : 'LE', customsDate(now)));
      const warehouse = warehouses.get(String(b.order.warehouseCode));
      const problems: Mismatch[] = [];
      let built: BuiltList | null = null;
      if (!warehouse) {
        problems.push({
          code: 'UNKNOWN_WAREHOUSE',
          field: 'order.warehouseCode',
          expected: [...warehouses.keys()].join(', '),
          actual: String(b.order.warehouseCode),
          message: `order ${b.order_no}: warehouse ${String(b.order.warehouseCode)} is not set up`,
        });
      } else {
        const ebc = String(b.order.ebcCode);
        const goodsBySku = new Map<string, GoodsRecord>();
        for (const [k, g] of goods) if (k.startsWith(`${ebc}|`)) goodsBySku.set(g.sku, g);
        const bookLineByItem = new Map<string, BookLineRecord>();
        for (const [k, l] of bookLines)
          if (warehouse.emsNo && k.startsWith(`${warehouse.emsNo}|`)) bookLineByItem.set(l.itemNo, l);
        const common = { copNo, warehouse, goodsBySku, bookLineByItem, declarant, now };
        if (direction === 'import') {
          const order = b.order as unknown as ImportOrderDoc;
          const waybill = b.waybill as unknown as ImportWaybillDoc | null;
          const payment = b.payment as unknown as ImportPaymentDoc | null;
          built = buildImportList({ ...common, order, waybill, areaName: areaNames.get(warehouse.code) });
          problems.push(...built.problems);
          const match = matchDocuments(
            {
              order,
              payment,
              waybill,
              list: {
                orderNo: built.head.orderNo,
                ebpCode: built.head.ebpCode,
                ebcCode: built.head.ebcCode,
                logisticsCode: built.head.logisticsCode,
                logisticsNo: built.head.logisticsNo,
                lines: built.lines.map((l) => ({
                  gnum: l.gnum,
                  itemNo: l.itemNo,
                  qty: l.qty,
                  price: l.price,
                  totalPrice: l.totalPrice,
                })),
              },
            },
            this.limits,
            { buyerYearToDate: yearToDate.get(order.buyerIdNumber) ?? '0' },
          );
          // A line the builder could not list (unknown goods, half units) is already reported
          // with its cause; "not on the list" would only repeat it.
          const unlisted = new Set(built.problems.length ? order.lines.map((l) => l.itemNo) : []);
          for (const l of built.lines) unlisted.delete(l.itemNo);
          if (!match.ok)
            problems.push(
              ...match.mismatches.filter((m) => !(m.code === 'ORDER_LINE_NOT_LISTED' && unlisted.has(m.expected))),
            );
        } else {
          built = buildExportList({
            ...common,
            order: b.order as unknown as ExportOrderDoc,
            waybill: b.waybill as unknown as ExportWaybillDoc | null,
          });
          problems.push(...built.problems);
        }
        // Bonded stock on the book, less what declared lists already promise (DOMAIN.md §6).
        if (isBondedList(String(b.order.tradeMode), warehouse) && warehouse.emsNo && !problems.length) {
          const free = available.get(warehouse.emsNo) ?? new Map<number, number>();
          const need = new Map<number, number>();
          for (const l of built.lines)
            if (l.putrecSeqno) need.set(l.putrecSeqno, (need.get(l.putrecSeqno) ?? 0) + l.units);
          for (const [seq, units] of need) {
            const have = free.get(seq) ?? 0;
            if (have < units)
              problems.push({
                code: 'INSUFFICIENT_BOOK_STOCK',
                field: `bookLine ${warehouse.emsNo}/${seq}`,
                expected: `>= ${units}`,
                actual: String(have),
                message: `order ${b.order_no}: book line ${seq} has ${have} bonded unit(s) free, the order needs ${units}`,
              });
          }
          if (!problems.length) for (const [seq, units] of need) free.set(seq, (free.get(seq) ?? 0) - units);
        }
      }

      const tradeMode = String(b.order.tradeMode);
      const base = {
        copNo,
        direction,
        tradeMode,
        warehouseCode: warehouse?.code ?? String(b.order.warehouseCode),
        ebpCode: b.ebp_code,
        orderNo: b.order_no,
        ebcCode: String(b.order.ebcCode),
        logisticsCode: built?.head.logisticsCode ?? '',
        logisticsNo: built?.head.logisticsNo || `NO-WAYBILL:${b.order_no}`,
        emsNo: warehouse && isBondedList(tradeMode, warehouse) ? warehouse.emsNo : null,
        agentCode: declarant.agentCode,
        buyerIdNumber: (b.order.buyerIdNumber as string | undefined) ?? null,
        acturalPaid: (b.order.acturalPaid as string | undefined) ?? null,
        head: built?.head ?? {},
        lines: (built?.lines ?? []).map(({ values, ...rest }) => ({ ...rest, values })),
      };
      if (!warehouse) {
        // Nowhere to file the list against: report only.
        out.push({
          ebpCode: b.ebp_code,
          orderNo: b.order_no,
          copNo: null,
          logisticsNo: null,
          outcome: 'refused',
          mismatches: problems,
        });
        continue;
      }
      let guid: string | null = null;
      let fileName: string | undefined;
      if (!problems.length && built) {
        try {
          const listId = await this.customs.saveList(em, { ...base, state: 'declared', problems: null, guid: null });
          const written = await this.emit(
            em,
            direction === 'import' ? 'CEB621' : 'CEB603',
            { head: built.head, lines: built.lines.map((l) => l.values) },
            { kind: 'list', id: listId },
          );
          guid = written.guid;
          fileName = written.fileName;
          await this.customs.updateList(em, listId, { current_guid: guid });
        } catch (error) {
          if (!(error instanceof CebValidationError)) throw error;
          for (const p of error.problems)
            problems.push({
              code: 'MESSAGE_INVALID',
              field: p.path,
              expected: 'a valid value',
              actual: '',
              message: `order ${b.order_no}: ${p.path} ${p.problem}`,
            });
        }
      }
      if (problems.length) {
        await this.customs.saveList(em, { ...base, state: 'blocked', problems, guid: null });
        out.push({
          ebpCode: b.ebp_code,
          orderNo: b.order_no,
          copNo,
          logisticsNo: base.logisticsNo,
          outcome: 'refused',
          mismatches: problems,
        });
        await this.trace.record(em, [
          {
            objectKind: 'parcel',
            objectId: base.logisticsNo,
            bizStep: 'declaring',
            disposition: 'declaration_refused',
            actor,
            documents: { orderNo: b.order_no, copNo },
            detail: { codes: problems.map((p) => p.code) },
          },
        ]);
        continue;
      }
      out.push({
        ebpCode: b.ebp_code,
        orderNo: b.order_no,
        copNo,
        logisticsNo: base.logisticsNo,
        outcome: 'declared',
        guid: guid ?? undefined,
        fileName,
      });
      await this.trace.record(em, [
        {
          objectKind: 'parcel',
          objectId: base.logisticsNo,
          bizStep: 'declaring',
          disposition: 'declared',
          actor,
          documents: { orderNo: b.order_no, copNo, guid, logisticsNo: base.logisticsNo },
          detail: { messageType: direction === 'import' ? 'CEB621' : 'CEB603', tradeMode },
        },
      ]);
    }
    return out;
  }
}
