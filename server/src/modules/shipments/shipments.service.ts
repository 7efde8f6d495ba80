import { Inject, Injectable } from '@nestjs/common';
import {
  type ShipmentCreate,
  type ShipmentDetail,
  type ShipmentListQuery,
  type ShipmentStatusInput,
  type ShipmentSummary,
  siteTime,
} from '@wms/contracts';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import { type Sql, SqlRunner, TENANT_SQL } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { LedgerRepository } from '../inventory/ledger.repository.js';
import { allocateFifo, exportDepartureMovements, type PlacedLine } from '../inventory/ledger-rules.js';
import { ReceivingService } from '../receiving/receiving.service.js';
import { SellerStockRepository } from '../sellers/stock/seller-stock.repository.js';
import { StorageRepository } from '../storage/storage.repository.js';
import { type TraceEvent, TraceRepository } from '../trace/trace.repository.js';
import { AsnReceiptService, type ShipmentChange } from './asn-receipt.service.js';
import { buildCartonLabelZpl } from './carton-label.js';
import { renderLabelsPng } from './carton-label.render.js';
import { ExportDeclarationService } from './export-declaration.service.js';
import {
  bondedShortfalls,
  cartonSscc,
  fenOfPrice,
  fenText,
  GENERAL_DECLARATION_LIMIT_FEN,
  isReleased,
  lineResult,
  needsGeneralDeclaration,
  repeatedSsccs,
  shortfallMessage,
  ssccRefusal,
  transitionRefusal,
} from './shipment.rules.js';
import { type LineRow, type ShipmentRow, ShipmentsRepository } from './shipments.repository.js';
import type { DeclareInput } from './shipments.schemas.js';

/** Another tenant's shipment and none at all answer alike (issue 12). */
const notFound = (shipmentNo: string) => new AppError('NOT_FOUND', `shipment ${shipmentNo} not found.`);

const iso = (d: Date | string) => new Date(d).toISOString();

export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/**
 * A seller's inbound shipments (ASN) to overseas warehouses (issue 12, DOMAIN.md §3 9810, §10):
 * booking and reading in the seller's tenant transaction (row-level security), the centre's steps
 * (declare for export, depart, arrive, close) on the centre's connection.
 */
@Injectable()
export class ShipmentsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TENANT_SQL) private readonly tenant: SqlRunner,
    private readonly centre: SqlRunner,
    private readonly shipments: ShipmentsRepository,
    private readonly stock: SellerStockRepository,
    private readonly receipt: AsnReceiptService,
    private readonly receiving: ReceivingService,
    private readonly exports: ExportDeclarationService,
    private readonly docNumbers: DocNumbers,
    private readonly storage: StorageRepository,
    private readonly ledger: LedgerRepository,
    private readonly trace: TraceRepository,
    private readonly events: DomainEvents,
  ) {}

  private sellerOf(user: AuthenticatedUser): string {
    if (!user.sellerCode)
      throw new AppError('FORBIDDEN', 'This user acts for no seller: ask the centre to link it to its seller.');
    return user.sellerCode;
  }

  // ---------------------------------------------------------------- the seller's side

  /** Books an ASN: its cartons (SSCC given or generated) and lines; its units go 'inbound'. */
  async create(user: AuthenticatedUser, body: ShipmentCreate & { ownerCode?: string }): Promise<ShipmentDetail> {
    const sellerCode = this.sellerOf(user);
    const given = body.cartons.map((c) => c.sscc);
    const repeated = repeatedSsccs(given);
    if (repeated.length)
      throw new AppError('VALIDATION_FAILED', `cartons: SSCC ${repeated.join(', ')} is given to more than one carton`);
    for (const s of given) {
      const why = s ? ssccRefusal(s) : null;
      if (why) throw new AppError('VALIDATION_FAILED', `cartons: ${why}`);
    }
    const result = await this.tenant.forTenant(sellerCode, async (sql) => {
      const mine = await this.shipments.sellerWarehouses(sql);
      const target = await this.shipments.warehouse(sql, body.warehouseCode);
      // another seller's warehouse and none at all answer alike
      if (!target?.used)
        throw new AppError(
          'NOT_FOUND',
          `warehouse ${body.warehouseCode} is not among the warehouses you use (${mine.join(', ') || 'none'}).`,
        );
      if (target.kind !== 'overseas')
        throw new AppError(
          'VALIDATION_FAILED',
          `warehouseCode: ${body.warehouseCode} is a ${target.kind}, not an overseas warehouse: an ASN goes to an overseas warehouse`,
        );
      const origin = await this.shipments.warehouse(sql, body.originWarehouseCode);
      if (!origin || (origin.kind !== 'bonded-centre' && origin.kind !== 'consolidation'))
        throw new AppError(
          'VALIDATION_FAILED',
          `originWarehouseCode: ${body.originWarehouseCode} is ${origin ? `a ${origin.kind}` : 'not a warehouse'}; goods leave under 9810 from the bonded centre or a consolidation warehouse`,
        );
      const owners = await this.shipments.ownerCodes(sql);
      const skus = [...new Set(body.cartons.flatMap((c) => c.lines.map((l) => l.sku)))];
      const goods = await this.shipments.goods(sql, owners, skus);
      let ownerCode = body.ownerCode;
      if (ownerCode && !owners.includes(ownerCode))
        throw new AppError('NOT_FOUND', `No such owner among yours (${owners.join(', ') || 'none'}).`);
      if (!ownerCode) {
        const holding = owners.filter((o) => skus.every((s) => goods.some((g) => g.owner_code === o && g.sku === s)));
        ownerCode = holding.length === 1 ? holding[0] : owners.length === 1 ? owners[0] : undefined;
        if (!ownerCode && holding.length > 1)
          throw new AppError('VALIDATION_FAILED', `ownerCode: these SKUs are held by ${holding.join(', ')}: name one`);
      }
      const ofOwner = new Map(goods.filter((g) => g.owner_code === ownerCode).map((g) => [g.sku, g]));
      const unknown = skus.filter((s) => !ofOwner.has(s));
      if (!ownerCode || unknown.length)
        throw new AppError(
          'VALIDATION_FAILED',
          `cartons: SKU ${unknown.join(', ') || skus.join(', ')} is not one of your SKUs${ownerCode ? ` (owner ${ownerCode})` : ''}: add it first (PUT /api/seller/goods/{sku})`,
        );
      const shipmentNo = body.shipmentNo ?? (await this.docNumbers.next(sql, 'AS'));
      const serials = await this.shipments.nextSsccSerial(sql, given.filter((s) => !s).length);
      let next = 0;
      const cartons = body.cartons.map((c) => ({
        sscc: c.sscc ?? cartonSscc(this.config.FLOOR_GS1_COMPANY_PREFIX, serials[next++]),
        lines: c.lines.map((l) => ({ sku: l.sku, qty: l.qty, batch: l.batch ?? '', expiry: l.expiry ?? null })),
      }));
      let valueFen = 0n;
      for (const c of cartons)
        for (const l of c.lines) valueFen += fenOfPrice(ofOwner.get(l.sku)?.declared_price ?? '0') * BigInt(l.qty);
      try {
        await this.shipments.insert(sql, {
          shipmentNo,
          sellerCode,
          ownerCode,
          warehouseCode: body.warehouseCode,
          originWarehouseCode: body.originWarehouseCode,
          carrier: body.carrier ?? null,
          eta: body.eta ?? null,
          declaredValueCny: fenText(valueFen),
          generalDeclaration: needsGeneralDeclaration(valueFen, GENERAL_DECLARATION_LIMIT_FEN),
          actor: user.username,
          cartons,
        });
      } catch (error) {
        const e = error as { code?: string; constraint?: string };
        if (e.code === '23505' && e.constraint === 'seller_shipment_shipment_no_key')
          throw new AppError('CONFLICT', `shipment ${shipmentNo} already exists: choose another shipmentNo`);
        if (e.code === '23505' && e.constraint === 'seller_shipment_carton_sscc_key')
          throw new AppError(
            'CONFLICT',
            'an SSCC given is already on another carton: an SSCC names one carton, ever (leave sscc out to have one given)',
          );
        throw error;
      }
      // booked: the units are the seller's, on the way, by shipment (lot = the shipment)
      const bySku = new Map<string, number>();
      for (const c of cartons) for (const l of c.lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.qty);
      await this.stock.post(
        sql,
        [...bySku].map(([sku, qty]) => ({
          ownerCode: ownerCode as string,
          warehouseCode: body.warehouseCode,
          sku,
          lotNo: shipmentNo,
          from: null,
          to: 'inbound' as const,
          qty,
          event: 'shipment.booked' as const,
          docType: 'shipment',
          docNo: shipmentNo,
        })),
        user.username,
      );
      return { shipmentNo, detail: await this.detailIn(sql, shipmentNo), skus: [...bySku.keys()] };
    });
    this.receipt.announce([
      {
        sellerCode,
        shipmentNo: result.shipmentNo,
        warehouseCode: body.warehouseCode,
        skus: result.skus,
        detail: { status: 'booked' },
      },
    ]);
    return result.detail;
  }

  list(user: AuthenticatedUser, q: ShipmentListQuery): Promise<{ items: ShipmentSummary[] }> {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => ({
      items: (await this.shipments.list(sql, q)).map((r) => ({
        ...this.summaryOf(r),
        cartons: r.cartons,
        expected: r.expected,
        received: r.received,
        damaged: r.damaged,
        over: r.over,
        short: r.short,
        customsStatus: r.customs_status,
      })),
    }));
  }

  detail(user: AuthenticatedUser, shipmentNo: string): Promise<ShipmentDetail> {
    return this.tenant.forTenant(this.sellerOf(user), (sql) => this.detailIn(sql, shipmentNo));
  }

  /** The shipment for the centre's staff (any seller). */
  staffDetail(shipmentNo: string): Promise<ShipmentDetail> {
    return this.centre.transaction((sql) => this.detailIn(sql, shipmentNo));
  }

  private summaryOf(s: ShipmentRow) {
    return {
      shipmentNo: s.shipment_no,
      warehouseCode: s.warehouse_code,
      originWarehouseCode: s.origin_warehouse_code,
      ownerCode: s.owner_code,
      status: s.status,
      carrier: s.carrier,
      eta: s.eta,
      copNo: s.cop_no,
      createdAt: iso(s.created_at),
      updatedAt: iso(s.updated_at),
    };
  }

  private async detailIn(sql: Sql, shipmentNo: string): Promise<ShipmentDetail> {
    const s = await this.shipments.shipment(sql, shipmentNo);
    if (!s) throw notFound(shipmentNo);
    const zone = s.time_zone;
    const [cartons, lines, history, damages, list] = [
      await this.shipments.cartons(sql, s.id),
      await this.shipments.lines(sql, s.id),
      await this.shipments.history(sql, s.id),
      await this.shipments.damages(sql, s.id),
      s.cop_no ? await this.shipments.exportList(sql, s.cop_no) : null,
    ];
    const view = (l: LineRow) => ({
      lineNo: l.line_no,
      sscc: l.carton_sscc,
      sku: l.sku,
      batch: l.batch,
      expiry: l.expiry,
      expected: l.qty,
      received: l.received,
      over: l.over,
      damaged: l.damaged,
      ...lineResult({ expected: l.qty, received: l.received, over: l.over, damaged: l.damaged, short: l.short }),
    });
    const sum = (f: (l: LineRow) => number) => lines.reduce((n, l) => n + f(l), 0);
    return {
      ...this.summaryOf(s),
      timeZone: zone,
      cartons: cartons.length,
      expected: sum((l) => l.qty),
      received: sum((l) => l.received),
      damaged: sum((l) => l.damaged),
      over: sum((l) => l.over),
      short: sum((l) => l.short ?? 0),
      customsStatus: list?.customs_status ?? null,
      declaredValueCny: s.declared_value_cny,
      generalDeclaration: s.general_declaration,
      cartonsDetail: cartons.map((c) => ({
        cartonNo: c.carton_no,
        sscc: c.sscc,
        arrivedAt: c.arrived_at ? iso(c.arrived_at) : null,
        arrivedAtLocal: c.arrived_at ? siteTime(c.arrived_at, zone) : null,
        lines: lines.filter((l) => l.carton_id === c.id).map(view),
      })),
      lines: lines.map(view),
      history: history.map((h) => ({
        status: h.status,
        at: iso(h.at),
        atLocal: siteTime(h.at, zone),
        actor: h.actor,
        note: h.note,
      })),
      damages: damages.map((d) => ({
        id: d.id,
        sscc: d.sscc,
        sku: d.sku,
        qty: d.qty,
        recordedAt: iso(d.recorded_at),
        hasPhoto: d.has_photo,
        photoUrl: d.has_photo
          ? `/api/seller/shipments/${encodeURIComponent(s.shipment_no)}/damages/${d.id}/photo`
          : null,
      })),
      customs: list
        ? {
            copNo: list.cop_no,
            invtNo: list.invt_no,
            tradeMode: list.trade_mode,
            state: list.state,
            customsStatus: list.customs_status,
            customsStatusInfo: list.customs_status_info,
            released: isReleased(list.customs_status),
            problems: Array.isArray(list.problems)
              ? list.problems.map((p) => ({ code: String(p.code), message: String(p.message) }))
              : null,
          }
        : null,
    };
  }

  /** The photo of a damage, for the seller (its own shipments only). */
  photo(user: AuthenticatedUser, shipmentNo: string, damageId: string) {
    return this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const s = await this.shipments.shipment(sql, shipmentNo);
      if (!s) throw notFound(shipmentNo);
      const p = await this.shipments.photo(sql, s.id, damageId);
      if (!p) throw new AppError('NOT_FOUND', `damage ${damageId} not found on shipment ${shipmentNo}.`);
      if (!p.photo || !p.photo_type) throw new AppError('NOT_FOUND', `damage ${damageId} has no photo yet.`);
      return { photo: Buffer.from(p.photo), type: p.photo_type };
    });
  }

  /** The box labels of the seller's cartons (one per carton, or the one asked for): ZPL, or a PNG of them. */
  async labels(
    user: AuthenticatedUser,
    shipmentNo: string,
    q: { format: 'zpl' | 'png'; sscc?: string },
  ): Promise<{ type: string; body: string | Buffer }> {
    const zpls = await this.tenant.forTenant(this.sellerOf(user), async (sql) => {
      const s = await this.shipments.shipment(sql, shipmentNo);
      if (!s) throw notFound(shipmentNo);
      const cartons = await this.shipments.cartons(sql, s.id);
      const lines = await this.shipments.lines(sql, s.id);
      const chosen = q.sscc ? cartons.filter((c) => c.sscc === q.sscc) : cartons;
      if (!chosen.length) throw new AppError('NOT_FOUND', `carton ${q.sscc} not found on shipment ${shipmentNo}.`);
      return chosen.map((c) =>
        buildCartonLabelZpl({
          sscc: c.sscc,
          shipmentNo: s.shipment_no,
          cartonNo: c.carton_no,
          cartons: cartons.length,
          warehouseCode: s.warehouse_code,
          originWarehouseCode: s.origin_warehouse_code,
          ownerCode: s.owner_code,
          contents: lines
            .filter((l) => l.carton_id === c.id)
            .map((l) => ({ sku: l.sku, qty: l.qty, ...(l.batch ? { batch: l.batch } : {}) })),
        }),
      );
    });
    if (q.format === 'png') return { type: 'image/png', body: await renderLabelsPng(zpls) };
    return { type: 'text/plain; charset=utf-8', body: `${zpls.join('\n')}\n` };
  }

  // ---------------------------------------------------------------- the centre's side

  /** A photo of a damage recorded at the overseas warehouse (staff): JPEG or PNG, size-limited. */
  async attachPhoto(shipmentNo: string, damageId: string, file: { buffer: Buffer; mimetype: string } | undefined) {
    if (!file) throw new AppError('VALIDATION_FAILED', 'photo: send the picture as multipart field "photo"');
    if (!(PHOTO_TYPES as readonly string[]).includes(file.mimetype))
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `photo: ${file.mimetype} is not taken; send a JPEG or PNG`);
    if (!looksLike(file.buffer, file.mimetype))
      throw new AppError('VALIDATION_FAILED', `photo: the file is not a ${file.mimetype} picture`);
    const change = await this.centre.transaction(async (sql) => {
      const s = await this.shipments.shipment(sql, shipmentNo);
      if (!s) throw notFound(shipmentNo);
      if (!(await this.shipments.attachPhoto(sql, s.id, damageId, file.buffer, file.mimetype)))
        throw new AppError('NOT_FOUND', `damage ${damageId} not found on shipment ${shipmentNo}.`);
      return { sellerCode: s.seller_code, shipmentNo, warehouseCode: s.warehouse_code, detail: { photo: damageId } };
    });
    this.receipt.announce([change]);
    return { shipmentNo, damageId, bytes: file.buffer.length, type: file.mimetype };
  }

  /** Declares the shipment for export under 9810 through the customs core, tied to the ASN. */
  async declare(shipmentNo: string, actor: string, carrier: DeclareInput) {
    const s = await this.centre.transaction((sql) => this.shipments.shipment(sql, shipmentNo));
    if (!s) throw notFound(shipmentNo);
    if (s.status !== 'booked')
      throw new AppError(
        'CONFLICT',
        `shipment ${shipmentNo} is ${s.status}: only a booked shipment is declared for export`,
      );
    await this.checkBondedCover(s);
    const outcome = await this.exports.declare(s, actor, carrier);
    await this.centre.transaction((sql) => this.shipments.setDeclared(sql, s.id, outcome.copNo));
    this.receipt.announce([
      { sellerCode: s.seller_code, shipmentNo, warehouseCode: s.warehouse_code, detail: { copNo: outcome.copNo } },
    ]);
    return { ...(await this.staffDetail(shipmentNo)), declaration: outcome };
  }

  /**
   * A tracking step by centre staff or the carrier (shipment.rules.ts decides which may follow
   * which). 'arrived' opens the receipt at the overseas warehouse's dock; 'received' closes it
   * (receiving's close: shortfall written off, goods at the dock for put-away).
   */
  async setStatus(shipmentNo: string, input: ShipmentStatusInput, actor: string): Promise<ShipmentDetail> {
    if (input.status === 'received') {
      const s = await this.centre.transaction((sql) => this.shipments.shipment(sql, shipmentNo));
      if (!s) throw notFound(shipmentNo);
      const refusal = transitionRefusal({
        shipmentNo,
        from: s.status,
        to: 'received',
        copNo: s.cop_no,
        customsStatus: null,
      });
      if (refusal) throw new AppError('CONFLICT', refusal);
      await this.receiving.closeDelivery(shipmentNo, actor);
      return this.staffDetail(shipmentNo);
    }
    const changes: ShipmentChange[] = [];
    const left: Array<{ sellerCode: string; warehouseCode: string; skus: string[] }> = [];
    await this.centre.transaction(async (sql) => {
      const s = await this.shipments.shipment(sql, shipmentNo, true);
      if (!s) throw notFound(shipmentNo);
      const list = s.cop_no ? await this.shipments.exportList(sql, s.cop_no) : null;
      const refusal = transitionRefusal({
        shipmentNo,
        from: s.status,
        to: input.status,
        copNo: s.cop_no,
        customsStatus: list?.customs_status ?? null,
      });
      if (refusal) throw new AppError(input.status === 'departed' ? 'CUSTOMS_STATE' : 'CONFLICT', refusal);
      if (input.status === 'departed') left.push(await this.leaveOrigin(sql, s, list?.invt_no ?? null, actor));
      if (input.status === 'arrived') await this.openReceipt(sql, s, actor);
      await this.shipments.setStatus(sql, s.id, input.status, actor, input.note ?? null);
      changes.push({
        sellerCode: s.seller_code,
        shipmentNo,
        warehouseCode: s.warehouse_code,
        detail: { status: input.status },
      });
    });
    this.receipt.announce(changes);
    // the seller's stock at the origin changed (its bonded bucket, after the commit)
    for (const gone of left)
      this.events.emit('seller.changed', {
        sellerCode: gone.sellerCode,
        kind: 'stock',
        ref: shipmentNo,
        warehouseCode: gone.warehouseCode,
        skus: gone.skus,
        detail: { departed: shipmentNo },
        at: new Date().toISOString(),
      });
    return this.staffDetail(shipmentNo);
  }

  /** The ASN's units by SKU, in the order of its lines. */
  private async unitsBySku(sql: Sql, shipmentId: string): Promise<Map<string, number>> {
    const bySku = new Map<string, number>();
    for (const l of await this.shipments.lines(sql, shipmentId)) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.qty);
    return bySku;
  }

  /**
   * Before a 9810 export from the bonded centre is declared: the seller's bonded stock there must
   * cover every SKU of the ASN (its book line, bonded and on the shelves, not promised to another
   * list); a shortfall refuses the whole declaration with each SKU, wanted and available.
   */
  private async checkBondedCover(s: ShipmentRow): Promise<void> {
    // declared already: its own list holds the units, and declaring again answers 'already-declared'
    if (s.cop_no) return;
    const shortfalls = await this.centre.transaction(async (sql) => {
      const origin = await this.shipments.warehouse(sql, s.origin_warehouse_code);
      if (origin?.kind !== 'bonded-centre') return [];
      const wanted = await this.unitsBySku(sql, s.id);
      const cover = await this.ledger.bookCover(sql, origin.code, s.owner_code, [...wanted.keys()]);
      return bondedShortfalls(
        wanted,
        new Map(cover.map((c) => [c.sku, { ...c, putrecSeqno: c.bookLine?.putrecSeqno ?? null }])),
      );
    });
    if (shortfalls.length)
      throw new AppError('CONFLICT', shortfallMessage(s.shipment_no, s.origin_warehouse_code, shortfalls), {
        shortfalls,
      });
  }

  /**
   * The shipment departs: its units leave the origin in the caller's transaction (DOMAIN.md §6,
   * book equals shelf). Out of the storage shelves that hold them, oldest first, never below
   * zero; from the bonded centre also off their book lines (bonded -> written-off) under the
   * export list's invtNo. A trace event per SKU. Refused, with nothing moved, when the shelves or
   * the book no longer hold the units.
   */
  private async leaveOrigin(sql: Sql, s: ShipmentRow, invtNo: string | null, actor: string) {
    const origin = await this.shipments.warehouse(sql, s.origin_warehouse_code);
    if (!origin) throw new AppError('CONFLICT', `shipment ${s.shipment_no}: origin ${s.origin_warehouse_code} is gone`);
    const bonded = origin.kind === 'bonded-centre';
    const docNo = invtNo ?? s.cop_no ?? s.shipment_no;
    const wanted = await this.unitsBySku(sql, s.id);
    const skus = [...wanted.keys()];
    await this.ledger.lockItems(
      sql,
      origin.code,
      skus.map((sku) => ({ ownerCode: s.owner_code, sku })),
    );
    const cover = bonded
      ? new Map((await this.ledger.bookCover(sql, origin.code, s.owner_code, skus)).map((c) => [c.sku, c]))
      : null;
    const picks: PlacedLine[] = [];
    const problems: string[] = [];
    const events: TraceEvent[] = [];
    for (const [sku, qty] of wanted) {
      const onBook = cover?.get(sku);
      const bookLine = onBook?.bookLine ?? null;
      if (bonded && !bookLine) {
        problems.push(`${sku}: no line in the account book of ${origin.code}`);
        continue;
      }
      if (onBook && onBook.bonded < qty)
        problems.push(
          `${sku}: the book holds ${onBook.bonded} bonded of the ${qty} shipped (book line ${bookLine?.putrecSeqno})`,
        );
      const taken = allocateFifo(
        await this.ledger.storageBalances(sql, origin.code, { ownerCode: s.owner_code, sku, bookLine }),
        qty,
      );
      if (!taken.ok) {
        problems.push(`${sku}: the shelves of ${origin.code} hold ${taken.available} of the ${qty} shipped`);
        continue;
      }
      picks.push(...taken.picks.map((p) => ({ ...p, bookLine, ownerCode: s.owner_code, sku })));
      events.push({
        objectKind: bookLine ? 'book-line' : 'stock',
        objectId: bookLine ? `${bookLine.emsNo}/${bookLine.putrecSeqno}` : s.shipment_no,
        bizStep: 'departing',
        disposition: 'in_transit',
        actor,
        documents: { invtNo, copNo: s.cop_no, logisticsNo: s.shipment_no, orderNo: s.shipment_no },
        detail: {
          tradeMode: '9810',
          ownerCode: s.owner_code,
          sku,
          units: qty,
          from: origin.code,
          to: s.warehouse_code,
          writtenOff: Boolean(bookLine),
          picks: taken.picks,
        },
      });
    }
    if (problems.length)
      throw new AppError(
        'CONFLICT',
        `shipment ${s.shipment_no} cannot depart from ${origin.code}: ${problems.join('; ')}. Nothing left: find the goods (stock-take) or report the difference to customs`,
        { problems },
      );
    await this.ledger.append(
      sql,
      exportDepartureMovements(origin.code, docNo, s.shipment_no, picks),
      actor,
      `9810 export to ${s.warehouse_code}`,
    );
    await this.trace.record(sql, events);
    return { sellerCode: s.seller_code, warehouseCode: origin.code, skus };
  }

  /** The receipt at the overseas warehouse: receiving's expected delivery, numbered as the shipment. */
  private async openReceipt(sql: Sql, s: ShipmentRow, actor: string) {
    const dock = await this.storage.dockLocation(sql, s.warehouse_code);
    if (!dock)
      throw new AppError(
        'VALIDATION_FAILED',
        `warehouse ${s.warehouse_code} has no dock location to receive at: add one (purpose dock) first`,
      );
    const lines = await this.shipments.lines(sql, s.id);
    const bySku = new Map<string, number>();
    for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.qty);
    await this.receiving.openExpected(sql, {
      warehouseCode: s.warehouse_code,
      deliveryNo: s.shipment_no,
      ownerCode: s.owner_code,
      dockLocation: dock,
      // batch and expiry are the seller's word: the overseas count takes what the labels say
      lines: [...bySku].map(([sku, qty]) => ({ sku, qty })),
      actor,
    });
  }
}

/** The first bytes of a JPEG (FF D8 FF) or a PNG (89 50 4E 47 0D 0A 1A 0A). */
function looksLike(buffer: Buffer, type: string): boolean {
  if (type === 'image/jpeg') return buffer.length > 3 && buffer[0] === 0xff && buffer[1] === 0xd8 && buffer[2] === 0xff;
  return (
    buffer.length > 8 && buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  );
}
