import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ImportRowError, SellerOrderImport } from '@wms/contracts';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { SqlRunner, TENANT_SQL } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { type ImportFormat, type ImportSheet, importFormatOf, readCsv, readXlsx } from './order-import.files.js';
import { OrdersRepository } from './orders.repository.js';
import { type ImportedOrder, ordersFromRows } from './orders.rules.js';
import { OrdersService, type PlacedOrder } from './orders.service.js';

/** Row errors kept on the import (the counts say how many orders were refused in all). */
const MAX_ERRORS = 1000;
/** Orders placed per transaction: the progress moves on after each. */
const CHUNK = 500;

/**
 * Order imports from CSV or XLSX (issue 12: "per-row errors, progress for large files"). The
 * upload is read at once (an unreadable file is refused there); the orders are placed in the
 * background, chunk by chunk through the same path as the API, and the import shows how far it
 * got (processed / total rows) and each bad row with its row number, column and message.
 */
@Injectable()
export class OrderImportsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('order-imports');
  private readonly running = new Set<Promise<void>>();

  constructor(
    @Inject(TENANT_SQL) private readonly tenant: SqlRunner,
    private readonly orders: OrdersRepository,
    private readonly placing: OrdersService,
    private readonly events: DomainEvents,
    private readonly centre: SqlRunner,
  ) {}

  /**
   * An import runs in the process that took the upload: one still 'running' long after any import
   * could take was cut off by a stop of its server. It is marked failed with what it had done, so
   * the seller sees it and uploads the rest (the orders it created stay; repeats are idempotent).
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.centre.transaction((sql) =>
      sql.execute(
        `update seller_order_import set status = 'failed', finished_at = now(),
           errors = errors || jsonb_build_array(jsonb_build_object('row', 0, 'column', null, 'orderNo', null,
             'message', 'the import was cut off when its server stopped: upload the file again (orders already created answer as repeats)'))
         where status = 'running' and created_at < now() - interval '15 minutes'`,
      ),
    );
  }

  async start(user: AuthenticatedUser, file: { originalname: string; mimetype: string; buffer: Buffer } | undefined) {
    const sellerCode = this.placing.sellerOf(user);
    if (!file?.buffer?.length)
      throw new AppError('VALIDATION_FAILED', 'file: send the CSV or XLSX as the multipart field "file".');
    const format = importFormatOf(file.originalname ?? '', file.mimetype ?? '', file.buffer);
    const sheet: ImportSheet = format === 'csv' ? readCsv(file.buffer) : await readXlsx(file.buffer);
    const importId = await this.tenant.forTenant(sellerCode, (sql) =>
      this.orders.createImport(sql, {
        sellerCode,
        fileName: (file.originalname || `orders.${format}`).slice(0, 200),
        format,
        total: sheet.rows.length,
        createdBy: user.username,
      }),
    );
    const work = this.run(sellerCode, user.username, importId, sheet)
      .catch((error) => this.logger.error({ msg: 'order import failed', importId, error: String(error) }))
      .finally(() => this.running.delete(work));
    this.running.add(work);
    return { importId };
  }

  /** Waits for the imports this instance is running (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.running]);
  }

  async status(user: AuthenticatedUser, importId: string): Promise<SellerOrderImport> {
    const found = await this.tenant.forTenant(this.placing.sellerOf(user), (sql) =>
      this.orders.importOf(sql, importId),
    );
    if (!found) throw new AppError('NOT_FOUND', `Import ${importId} not found.`);
    return found;
  }

  private async run(sellerCode: string, actor: string, importId: string, sheet: ImportSheet): Promise<void> {
    const progress = { processed: 0, created: 0, existing: 0, refused: 0, errors: [] as ImportRowError[] };
    const save = async (done?: 'done' | 'failed') => {
      await this.tenant.forTenant(sellerCode, (sql) =>
        this.orders.importProgress(sql, importId, { ...progress, errors: progress.errors.slice(0, MAX_ERRORS), done }),
      );
      this.events.emit('seller.changed', {
        sellerCode,
        kind: 'import',
        ref: importId,
        detail: { processed: progress.processed, total: sheet.rows.length, status: done ?? 'running' },
        at: new Date().toISOString(),
      });
    };
    try {
      const { orders, errors } = ordersFromRows(sheet.rows);
      progress.errors.push(...sheet.headerErrors, ...errors);
      const badRows = new Set(errors.map((e) => e.row));
      progress.refused = new Set(errors.map((e) => e.orderNo ?? `row ${e.row}`)).size;
      if (sheet.headerErrors.length) {
        // a header that names no order column cannot be read row by row: nothing is placed
        progress.processed = sheet.rows.length;
        progress.refused = orders.length + progress.refused;
        await save('failed');
        return;
      }
      progress.processed = badRows.size;
      for (let i = 0; i < orders.length; i += CHUNK) {
        const part = orders.slice(i, i + CHUNK);
        const results = await this.placing.placeBatch(
          sellerCode,
          actor,
          part.map((o, index) => ({ index, body: o.order })),
          'import',
          CHUNK,
        );
        for (const [n, r] of results.entries()) this.count(progress, part[n], r);
        progress.processed += part.reduce((s, o) => s + o.rows.length, 0);
        await save();
      }
      progress.processed = sheet.rows.length;
      progress.errors.sort((a, b) => a.row - b.row);
      await save('done');
    } catch (error) {
      progress.errors.push({ row: 0, column: null, orderNo: null, message: `the import stopped: ${String(error)}` });
      await save('failed').catch(() => undefined);
      throw error;
    }
  }

  private count(
    progress: { created: number; existing: number; refused: number; errors: ImportRowError[] },
    order: ImportedOrder,
    result: PlacedOrder,
  ) {
    if (result.outcome === 'created') progress.created++;
    else if (result.outcome === 'existing') progress.existing++;
    else {
      progress.refused++;
      for (const e of result.errors) {
        if (e.shortfall?.length) {
          for (const s of e.shortfall) {
            const index = order.order.lines.findIndex((l) => l.sku === s.sku);
            progress.errors.push({
              row: order.rows[Math.max(0, index)] ?? order.rows[0],
              column: 'qty',
              orderNo: order.orderNo,
              message: `${s.sku}: wanted ${s.wanted}, available ${s.available}; nothing of order ${order.orderNo} was reserved`,
            });
          }
          continue;
        }
        const sku = /SKU (\S+) /.exec(e.message)?.[1];
        const index = sku ? order.order.lines.findIndex((l) => l.sku === sku) : -1;
        const column =
          e.code === 'NOT_FOUND' ? 'warehouseCode' : e.code === 'CONFLICT' ? 'orderNo' : sku ? 'sku' : null;
        progress.errors.push({
          row: order.rows[Math.max(0, index)] ?? order.rows[0],
          column,
          orderNo: order.orderNo,
          message: e.message,
        });
      }
    }
  }
}

export type { ImportFormat };
