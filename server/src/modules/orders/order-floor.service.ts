import { Injectable } from '@nestjs/common';
import type { ScanInput, ShipTo } from '@wms/contracts';
import { pgArray } from '../../platform/database/pg-array.js';
import { type Sql, SqlRunner } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { answerOk, Refusal, type ScanAnswer, type Session } from '../floor/floor.answers.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { Found } from '../floor/scan.types.js';
import { LedgerRepository } from '../inventory/ledger.repository.js';
import type { Movement } from '../inventory/ledger-rules.js';
import { SellerStockRepository } from '../sellers/stock/seller-stock.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { OrderLabelsService } from './order-labels.service.js';
import { type OrderRow, OrdersRepository } from './orders.repository.js';
import { mayMove } from './orders.rules.js';
import { localTime } from './orders.service.js';

/** Where an order's picked units are until it leaves: in process, still in the warehouse. */
export const orderLocation = (fulfilmentNo: string) => `ORDER:${fulfilmentNo}`;

const FULFILMENT_NO = /^SO\d{8,}$/;
/** A carrier's tracking number as its label's barcode carries it. */
const TRACKING_NO = /^[A-Za-z0-9][A-Za-z0-9-]{5,39}$/;

const t = (en: string, zh: string) => ({ en, zh });

/** What runs after the scan's commit (the seller hears of its order, the label prints). */
type AfterCommit = Array<() => void>;

/**
 * The overseas warehouse's floor for sellers' orders (issue 12): pick, pack, hand over. The station
 * jobs 'pick', 'pack' and 'gate' of a warehouse of kind 'overseas' come here from the scan
 * dispatcher, in the scan's one transaction, instead of the bonded centre's customs parcels: no
 * inventory list, no customs release and no gate release note apply abroad.
 *
 * - pick: the order's number (SO…, on the pick list), then a bin, then each item: the item must be
 *   on the order and on that shelf; it moves from the shelf into the order (shelf ledger).
 * - pack: the order's number, then the carrier's label (its tracking number is recorded: the
 *   carrier's own label is the parcel label abroad, chosen over a number range per warehouse so
 *   two carriers' numbers never need configuring here).
 * - gate (hand-over to the carrier): the tracking number or the order's number: the units leave the
 *   shelves and the seller's 'reserved' stock (order.shipped); the order is shipped.
 */
@Injectable()
export class OrderFloorService {
  private readonly kinds = new Map<string, string | null>();

  constructor(
    private readonly orders: OrdersRepository,
    private readonly stock: SellerStockRepository,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly events: DomainEvents,
    private readonly labels: OrderLabelsService,
    private readonly sql: SqlRunner,
  ) {}

  /** Whether this scan is for the overseas floor (a warehouse's kind does not change: remembered). */
  async handles(em: Sql, input: ScanInput): Promise<boolean> {
    if (input.operation !== 'pick' && input.operation !== 'pack' && input.operation !== 'gate') return false;
    let kind = this.kinds.get(input.warehouseCode);
    if (kind === undefined) {
      const [row] = await em.execute<Array<{ kind: string }>>('select kind from warehouse where code = ?', [
        input.warehouseCode,
      ]);
      kind = row?.kind ?? null;
      if (row) this.kinds.set(input.warehouseCode, kind);
    }
    return kind === 'overseas';
  }

  scan(
    em: Sql,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
    after: AfterCommit,
  ): Promise<ScanAnswer> {
    switch (input.operation) {
      case 'pick':
        return this.pick(em, input, code, session, actor, found, after);
      case 'pack':
        return this.pack(em, input, code, session, actor, after);
      default:
        return this.ship(em, input, code, actor, after);
    }
  }

  private async orderByNo(em: Sql, input: ScanInput, fulfilmentNo: string): Promise<OrderRow> {
    const order = await this.orders.order(em, { fulfilmentNo }, true);
    if (!order || order.warehouseCode !== input.warehouseCode)
      throw new Refusal(
        t(`order ${fulfilmentNo} is not an order of this warehouse`, `订单 ${fulfilmentNo} 不属于本仓库`),
        t('scan the order number on the pick list', '请扫描拣货单上的订单号'),
      );
    return order;
  }

  private closed(order: OrderRow): Refusal | null {
    const local = localTime(order.timeZone);
    if (order.status === 'cancelled')
      return new Refusal(
        t(`order ${order.fulfilmentNo} was cancelled by the seller`, `订单 ${order.fulfilmentNo} 已被卖家取消`),
        t('put the goods back on their shelf', '请将货物放回原货位'),
      );
    if (order.status === 'shipped')
      return new Refusal(
        t(
          `order ${order.fulfilmentNo} already shipped at ${order.shippedAt ? local(order.shippedAt) : '?'}, tracking ${order.trackingNo}`,
          `订单 ${order.fulfilmentNo} 已于 ${order.shippedAt ? local(order.shippedAt) : '?'} 发出，运单 ${order.trackingNo}`,
        ),
        t('scan the next order', '请扫描下一个订单'),
      );
    return null;
  }

  private async pick(
    em: Sql,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    found: Found,
    after: AfterCommit,
  ) {
    const text = code.kind === 'plain' ? code.text : null;
    if (text && FULFILMENT_NO.test(text)) {
      const order = await this.orderByNo(em, input, text);
      const closed = this.closed(order);
      if (closed) throw closed;
      if (order.status === 'picked' || order.status === 'packed')
        throw new Refusal(
          t(`order ${text} is picked already`, `订单 ${text} 已拣货完成`),
          t('take it to packing', '请送至打包台'),
        );
      if (order.status === 'reserved') {
        await this.orders.move(em, order, 'picking', actor, `picking at ${input.stationId}`);
        after.push(() => this.changed(order));
      }
      session.order = text;
      delete session.location;
      const lines = (await this.orders.lines(em, order.id)).filter((l) => l.picked < l.qty);
      const bins = await this.binsFor(
        em,
        order,
        lines.map((l) => l.sku),
      );
      return answerOk(
        input,
        t(
          `order ${text}: ${lines.map((l) => `${l.qty - l.picked} × ${l.sku}`).join(', ')}`,
          `订单 ${text}：${lines.map((l) => `${l.sku} × ${l.qty - l.picked}`).join('，')}`,
        ),
        t('scan the bin', '请扫描货位'),
        { fulfilmentNo: text, orderNo: order.orderNo, lines, bins },
      );
    }
    const fulfilmentNo = typeof session.order === 'string' ? session.order : null;
    if (!fulfilmentNo)
      throw new Refusal(
        t('scan the order first', '请先扫描订单号'),
        t('scan the order number on the pick list', '请扫描拣货单上的订单号'),
      );
    if (found.loc) {
      session.location = found.loc.code;
      return answerOk(
        input,
        t(`${found.loc.code}: scan each item`, `${found.loc.code}：请逐件扫描商品`),
        t('scan the goods', '请扫描商品'),
        {
          fulfilmentNo,
          location: found.loc.code,
        },
      );
    }
    const location = typeof session.location === 'string' ? session.location : null;
    if (!location) throw new Refusal(t('scan the bin first', '请先扫描货位'), t('scan the bin', '请扫描货位'));
    const order = await this.orderByNo(em, input, fulfilmentNo);
    const closed = this.closed(order);
    if (closed) throw closed;
    const goods = found.goods.filter((g) => g.owner_code === order.ownerCode);
    if (!goods.length)
      throw new Refusal(
        t(`${text ?? input.code} is not on order ${fulfilmentNo}`, `${text ?? input.code} 不在订单 ${fulfilmentNo} 中`),
        t('put it back and scan an item of the order', '请放回，并扫描订单中的商品'),
      );
    const lines = await this.orders.lines(em, order.id);
    const line = lines.find((l) => goods.some((g) => g.sku === l.sku) && l.picked < l.qty);
    if (!line)
      throw new Refusal(
        t(
          `${goods[0].sku} is not (or no longer) wanted by order ${fulfilmentNo}`,
          `订单 ${fulfilmentNo} 不需要（或已拣够）${goods[0].sku}`,
        ),
        t('put it back', '请放回'),
      );
    const want = Math.min(line.qty - line.picked, (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1);
    await this.ledger.lockItems(em, input.warehouseCode, [{ ownerCode: order.ownerCode, sku: line.sku }]);
    const shelf = await em.execute<Array<{ batch: string; qty: number }>>(
      `select batch, sum(qty)::int as qty from stock_movement
        where ledger = 'shelf' and warehouse_code = ? and location = ? and owner_code = ? and sku = ?
        group by batch having sum(qty) > 0 order by min(created_at), batch`,
      [input.warehouseCode, location, order.ownerCode, line.sku],
    );
    const held = shelf.reduce((s, b) => s + b.qty, 0);
    if (held < want)
      throw new Refusal(
        t(
          `${location} holds ${held} × ${line.sku}, not ${want}`,
          `${location} 只有 ${line.sku} × ${held}，不足 ${want}`,
        ),
        t('pick from another bin, or tell the supervisor', '请到其他货位拣货，或告知主管'),
      );
    const movements: Movement[] = [];
    let left = want;
    for (const b of shelf) {
      if (!left) break;
      const qty = Math.min(left, b.qty);
      left -= qty;
      const base = {
        ledger: 'shelf' as const,
        warehouseCode: input.warehouseCode,
        bookLine: null,
        ownerCode: order.ownerCode,
        sku: line.sku,
        batch: b.batch,
        customsState: 'non-bonded' as const,
        docType: 'pick' as const,
        docNo: order.fulfilmentNo,
        logisticsNo: null,
      };
      movements.push({ ...base, location, qty: -qty }, { ...base, location: orderLocation(order.fulfilmentNo), qty });
    }
    await this.ledger.append(em, movements, actor);
    const picked = await this.orders.pickUnit(em, order.id, line.sku, want);
    if (!picked)
      throw new Refusal(t(`${line.sku} is picked already`, `${line.sku} 已拣够`), t('put it back', '请放回'));
    await this.trace.record(em, [
      {
        objectKind: 'parcel',
        objectId: order.fulfilmentNo,
        bizStep: 'picking',
        disposition: 'in_progress',
        readPoint: input.stationId,
        actor,
        documents: { orderNo: order.orderNo },
        detail: { sku: line.sku, from: location, qty: want },
      },
    ]);
    if (picked.left === 0) {
      await this.orders.move(em, order, 'picked', actor, null);
      after.push(() => this.changed(order));
      delete session.order;
      delete session.location;
    }
    return answerOk(
      input,
      t(`${want} × ${line.sku} into order ${fulfilmentNo}`, `${line.sku} × ${want} 已拣入订单 ${fulfilmentNo}`),
      picked.left
        ? t(`${picked.left} more for this order`, `本订单还需 ${picked.left} 件`)
        : t('order picked: take it to packing', '订单拣货完成：请送至打包台'),
      { fulfilmentNo, orderNo: order.orderNo, sku: line.sku, qty: want, orderLeft: picked.left },
    );
  }

  private async pack(
    em: Sql,
    input: ScanInput,
    code: ScannedCode,
    session: Session,
    actor: string,
    after: AfterCommit,
  ) {
    const text = code.kind === 'plain' ? code.text : code.kind === 'sscc' ? code.sscc : null;
    if (!text)
      throw new Refusal(
        t('not an order or a carrier label', '不是订单号或承运商面单'),
        t('scan the order number', '请扫描订单号'),
      );
    if (FULFILMENT_NO.test(text)) {
      const order = await this.orderByNo(em, input, text);
      const closed = this.closed(order);
      if (closed) throw closed;
      if (order.status === 'packed')
        return answerOk(
          input,
          t(`order ${text} is packed, tracking ${order.trackingNo}`, `订单 ${text} 已打包，运单 ${order.trackingNo}`),
          t('hand it to the carrier', '请交给承运商'),
          {
            fulfilmentNo: text,
            logisticsNo: order.trackingNo,
            alreadyPacked: true,
          },
        );
      if (order.status !== 'picked') {
        const left = (await this.orders.lines(em, order.id)).reduce((s, l) => s + l.qty - l.picked, 0);
        throw new Refusal(
          t(`order ${text} is not fully picked: ${left} unit(s) still to pick`, `订单 ${text} 未拣完：还差 ${left} 件`),
          t('finish picking first', '请先完成拣货'),
        );
      }
      session.packing = text;
      return answerOk(
        input,
        t(`order ${text}: pack it`, `订单 ${text}：请打包`),
        t("scan the carrier's label", '请扫描承运商面单'),
        {
          fulfilmentNo: text,
          // the parcel on the bench until its carrier label names it
          logisticsNo: text,
          orderNo: order.orderNo,
          carrier: order.carrier,
        },
      );
    }
    const fulfilmentNo = typeof session.packing === 'string' ? session.packing : null;
    if (!fulfilmentNo)
      throw new Refusal(t('scan the order first', '请先扫描订单号'), t('scan the order number', '请扫描订单号'));
    if (!TRACKING_NO.test(text))
      throw new Refusal(
        t(`${text} is not a carrier tracking number`, `${text} 不是承运商运单号`),
        t("scan the carrier's label", '请扫描承运商面单'),
      );
    const order = await this.orderByNo(em, input, fulfilmentNo);
    const closed = this.closed(order);
    if (closed) throw closed;
    if (!mayMove(order.status, 'packed'))
      throw new Refusal(
        t(
          `order ${fulfilmentNo} is ${order.status}, not ready to pack`,
          `订单 ${fulfilmentNo} 状态为 ${order.status}，不能打包`,
        ),
        t('scan the order number', '请扫描订单号'),
      );
    const [taken] = await em.execute<Array<{ fulfilmentNo: string }>>(
      `select fulfilment_no as "fulfilmentNo" from seller_order where tracking_no = ? and coalesce(carrier, '') = coalesce(?::text, '') and id <> ?`,
      [text, order.carrier, order.id],
    );
    if (taken)
      throw new Refusal(
        t(
          `tracking number ${text} is on order ${taken.fulfilmentNo} already`,
          `运单号 ${text} 已用于订单 ${taken.fulfilmentNo}`,
        ),
        t('use a new carrier label', '请使用新的承运商面单'),
      );
    const sscc = await this.labels.nextSscc(em);
    await this.orders.move(em, order, 'packed', actor, `tracking ${text}`, { trackingNo: text, sscc });
    const [parcel] = await em.execute<Array<{ shipTo: ShipTo; warehouseName: string }>>(
      `select o.ship_to as "shipTo", w.name as "warehouseName" from seller_order o join warehouse w on w.code = o.warehouse_code
        where o.id = ?`,
      [order.id],
    );
    await this.trace.record(em, [
      {
        objectKind: 'parcel',
        objectId: order.fulfilmentNo,
        bizStep: 'packing',
        disposition: 'in_progress',
        readPoint: input.stationId,
        actor,
        documents: { orderNo: order.orderNo, logisticsNo: text },
      },
    ]);
    delete session.packing;
    after.push(() => this.changed(order));
    // the warehouse's parcel label on the station's printer, once the pack is committed
    after.push(() => {
      void this.labels.print(
        input.stationId,
        {
          sscc,
          fulfilmentNo,
          orderNo: order.orderNo,
          trackingNo: text,
          carrier: order.carrier,
          shipTo: parcel.shipTo,
          warehouseName: parcel.warehouseName,
          timeZone: order.timeZone,
        },
        actor,
      );
    });
    return answerOk(
      input,
      t(`order ${fulfilmentNo} packed, tracking ${text}`, `订单 ${fulfilmentNo} 已打包，运单 ${text}`),
      t('hand it to the carrier', '请交给承运商'),
      {
        fulfilmentNo,
        orderNo: order.orderNo,
        logisticsNo: text,
        sscc,
        alreadyPacked: false,
      },
    );
  }

  private async ship(em: Sql, input: ScanInput, code: ScannedCode, actor: string, after: AfterCommit) {
    const text = code.kind === 'plain' ? code.text : code.kind === 'sscc' ? code.sscc : null;
    if (!text) throw new Refusal(t('not a parcel', '不是包裹'), t("scan the parcel's carrier label", '请扫描包裹面单'));
    // the carrier's label, the warehouse's parcel label (its SSCC) or the order's number
    const order = FULFILMENT_NO.test(text)
      ? await this.orderByNo(em, input, text)
      : await this.orders.order(em, code.kind === 'sscc' ? { sscc: text } : { trackingNo: text }, true);
    if (!order || order.warehouseCode !== input.warehouseCode)
      throw new Refusal(
        t(`parcel ${text} is not known here`, `本仓库没有包裹 ${text}`),
        t("scan the parcel's carrier label", '请扫描包裹面单'),
      );
    const closed = this.closed(order);
    if (closed) throw closed;
    if (order.status !== 'packed')
      throw new Refusal(
        t(
          `order ${order.fulfilmentNo} is ${order.status}: only a packed parcel is handed over`,
          `订单 ${order.fulfilmentNo} 状态为 ${order.status}：只有已打包的包裹可交接`,
        ),
        t('pack it first', '请先打包'),
      );
    const trackingNo = String(order.trackingNo);
    const contents = await em.execute<Array<{ sku: string; batch: string; qty: number }>>(
      `select sku, batch, sum(qty)::int as qty from stock_movement
        where ledger = 'shelf' and warehouse_code = ? and location = ? and owner_code = ?
        group by sku, batch having sum(qty) > 0`,
      [order.warehouseCode, orderLocation(order.fulfilmentNo), order.ownerCode],
    );
    await this.ledger.append(
      em,
      contents.map((c) => ({
        ledger: 'shelf' as const,
        warehouseCode: order.warehouseCode,
        bookLine: null,
        ownerCode: order.ownerCode,
        sku: c.sku,
        batch: c.batch,
        location: orderLocation(order.fulfilmentNo),
        customsState: 'non-bonded' as const,
        qty: -c.qty,
        docType: 'gate-release' as const,
        docNo: trackingNo,
        logisticsNo: trackingNo,
      })),
      actor,
      'handed over to the carrier',
    );
    const allocations = await this.orders.allocations(em, order.id);
    await this.stock.post(
      em,
      allocations.map((a) => ({
        ownerCode: order.ownerCode,
        warehouseCode: order.warehouseCode,
        sku: a.sku,
        lotNo: a.lotNo,
        from: 'reserved' as const,
        to: null,
        qty: a.qty,
        event: 'order.shipped' as const,
        docType: 'order',
        docNo: order.orderNo,
        reason: `tracking ${trackingNo}`,
      })),
      actor,
    );
    const at = await this.orders.move(
      em,
      order,
      'shipped',
      actor,
      `handed over at ${input.stationId}, tracking ${trackingNo}`,
    );
    await this.trace.record(em, [
      {
        objectKind: 'parcel',
        objectId: order.fulfilmentNo,
        bizStep: 'departing',
        disposition: 'in_transit',
        readPoint: input.stationId,
        actor,
        documents: { orderNo: order.orderNo, logisticsNo: trackingNo },
        detail: { units: contents.reduce((s, c) => s + c.qty, 0) },
      },
    ]);
    after.push(() => this.changed(order));
    return answerOk(
      input,
      t(
        `order ${order.fulfilmentNo} shipped, tracking ${trackingNo}`,
        `订单 ${order.fulfilmentNo} 已发货，运单 ${trackingNo}`,
      ),
      t('scan the next parcel', '请扫描下一个包裹'),
      { fulfilmentNo: order.fulfilmentNo, orderNo: order.orderNo, logisticsNo: trackingNo, shippedAt: at },
    );
  }

  /** The work list of a warehouse: its open orders, oldest first, with what is left to pick. */
  async workList(warehouseCode: string, status?: 'reserved' | 'picking' | 'picked' | 'packed') {
    const items = await this.sql.transaction((sql) =>
      sql.execute<
        Array<{
          fulfilmentNo: string;
          orderNo: string;
          sellerCode: string;
          status: 'reserved' | 'picking' | 'picked' | 'packed';
          carrier: string | null;
          trackingNo: string | null;
          createdAt: string;
          lines: Array<{ sku: string; qty: number; picked: number }>;
        }>
      >(
        `select o.fulfilment_no as "fulfilmentNo", o.order_no as "orderNo", o.seller_code as "sellerCode", o.status,
                o.carrier, o.tracking_no as "trackingNo",
                to_char(o.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
                (select jsonb_agg(jsonb_build_object('sku', l.sku, 'qty', l.qty, 'picked', l.picked) order by l.line_no)
                   from seller_order_line l where l.order_id = o.id) as lines
           from seller_order o
          where o.warehouse_code = ? and o.status = any(?::text[])
          order by o.id limit 200`,
        [warehouseCode, pgArray(status ? [status] : ['reserved', 'picking', 'picked', 'packed'])],
      ),
    );
    return { items };
  }

  /** The bins holding the order's SKUs (of its owner), fullest first: where to walk. */
  private async binsFor(em: Sql, order: OrderRow, skus: string[]) {
    if (!skus.length) return [];
    return em.execute<Array<{ sku: string; location: string; qty: number }>>(
      `select sku, location, sum(qty)::int as qty from stock_movement
        where ledger = 'shelf' and warehouse_code = ? and owner_code = ? and sku = any(?::text[])
          and location not like 'ORDER:%' and location not like 'PARCEL:%'
        group by sku, location having sum(qty) > 0 order by sku, location limit 20`,
      [order.warehouseCode, order.ownerCode, pgArray(skus)],
    );
  }

  /** The seller hears of its order's step (after the scan's commit). */
  private changed(order: OrderRow): void {
    this.events.emit('seller.changed', {
      sellerCode: order.sellerCode,
      kind: 'order',
      ref: order.orderNo,
      warehouseCode: order.warehouseCode,
      at: new Date().toISOString(),
    });
  }
}
