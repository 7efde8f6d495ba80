import { Injectable, Logger } from '@nestjs/common';
import type { ZodType } from 'zod';
import { DomainEvents } from '../../../platform/events/domain-events.js';
import { type DocumentRow, TradeDocumentsRepository } from './trade-documents.repository.js';
import { type DocumentsImport, schemasFor } from './trade-documents.schemas.js';

export interface ImportError {
  kind: 'order' | 'payment' | 'waybill';
  index: number;
  key: string | null;
  code: 'INVALID' | 'DUPLICATE_IN_IMPORT' | 'ALREADY_DECLARED';
  message: string;
}

interface Item {
  kind: 'order' | 'payment' | 'waybill';
  index: number;
  row: DocumentRow;
}

const CHUNK = 500;

function keyOf(kind: Item['kind'], direction: 'import' | 'export', d: Record<string, unknown>) {
  const s = (v: unknown) => String(v ?? '');
  if (kind === 'order') return [s(d.ebpCode), s(d.orderNo)] as const;
  if (kind === 'payment') return [s(d.payCode), direction === 'import' ? s(d.payTransactionId) : s(d.payNo)] as const;
  return [s(d.logisticsCode), s(d.logisticsNo)] as const;
}

/**
 * Orders, payments and waybills arriving in bulk (or one at a time): each item is validated on
 * its own, stored by business key, and the job reports progress as chunks commit.
 */
@Injectable()
export class TradeDocumentsService {
  private readonly logger = new Logger('documents');

  constructor(
    private readonly documents: TradeDocumentsRepository,
    private readonly events: DomainEvents,
  ) {}

  async start(
    body: DocumentsImport,
    user: string | null,
  ): Promise<{ jobId: string; total: number; done: Promise<void> }> {
    const total = body.orders.length + body.payments.length + body.waybills.length;
    const jobId = await this.documents.createJob(`${body.direction}-documents`, total, user);
    const done = this.run(jobId, body).catch(async (error) => {
      this.logger.error({ msg: 'import failed', jobId, error: String(error) });
      await this.documents
        .progressJob(
          jobId,
          {
            processed: 0,
            accepted: 0,
            unchanged: 0,
            failed: 0,
            errors: [{ code: 'INTERNAL', message: `the import stopped: ${String(error)}` }],
          },
          'failed',
        )
        .catch(() => undefined);
    });
    return { jobId, total, done };
  }

  private async run(jobId: string, body: DocumentsImport): Promise<void> {
    const schemas = schemasFor(body.direction);
    const errors: ImportError[] = [];
    const items: Item[] = [];
    const parse = (kind: Item['kind'], list: unknown[], schema: ZodType) => {
      const seen = new Map<string, number>();
      list.forEach((raw, index) => {
        const parsed = schema.safeParse(raw);
        const rawKey =
          raw && typeof raw === 'object' ? keyOf(kind, body.direction, raw as Record<string, unknown>).join('|') : null;
        if (!parsed.success) {
          errors.push({
            kind,
            index,
            key: rawKey,
            code: 'INVALID',
            message: `${kind} ${index + 1}${rawKey ? ` (${rawKey})` : ''}: ${parsed.error.issues
              .map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`)
              .join('; ')}`,
          });
          return;
        }
        const doc = parsed.data as Record<string, unknown>;
        const [k1, k2] = keyOf(kind, body.direction, doc);
        const key = `${k1}|${k2}`;
        const earlier = seen.get(key);
        if (earlier !== undefined)
          errors.push({
            kind,
            index,
            key,
            code: 'DUPLICATE_IN_IMPORT',
            message: `${kind} ${index + 1} (${key}) repeats ${kind} ${earlier + 1} of this import; the first one is kept`,
          });
        else {
          seen.set(key, index);
          items.push({
            kind,
            index,
            row: {
              key,
              k1,
              k2,
              orderNo: String(doc.orderNo),
              doc,
              extra:
                kind === 'order'
                  ? {
                      ebc_code: String(doc.ebcCode),
                      buyer_id_number: (doc.buyerIdNumber as string | undefined) ?? null,
                      actural_paid: (doc.acturalPaid as string | undefined) ?? null,
                    }
                  : {},
            },
          });
        }
      });
    };
    parse('order', body.orders, schemas.order);
    parse('payment', body.payments, schemas.payment);
    parse('waybill', body.waybills, schemas.waybill);

    // Invalid items count as processed at once; valid ones as their chunk commits.
    const total = body.orders.length + body.payments.length + body.waybills.length;
    await this.report(
      jobId,
      { processed: errors.length, accepted: 0, unchanged: 0, failed: errors.length, errors },
      total,
    );
    for (const kind of ['order', 'payment', 'waybill'] as const) {
      const ofKind = items.filter((i) => i.kind === kind);
      for (let i = 0; i < ofKind.length; i += CHUNK) {
        const chunk = ofKind.slice(i, i + CHUNK);
        const outcomes = await this.documents.upsert(
          kind,
          body.direction,
          chunk.map((c) => c.row),
        );
        const chunkErrors: ImportError[] = [];
        let accepted = 0;
        let unchanged = 0;
        for (const c of chunk) {
          const outcome = outcomes.get(c.row.key);
          if (outcome === 'locked')
            chunkErrors.push({
              kind,
              index: c.index,
              key: c.row.key,
              code: 'ALREADY_DECLARED',
              message: `${kind} ${c.row.key} differs from the version already declared to customs; cancel the list (CEB623/605) before changing it`,
            });
          else if (outcome === 'unchanged') unchanged++;
          else accepted++;
        }
        await this.report(
          jobId,
          { processed: chunk.length, accepted, unchanged, failed: chunkErrors.length, errors: chunkErrors },
          total,
        );
      }
    }
    await this.documents.progressJob(jobId, { processed: 0, accepted: 0, unchanged: 0, failed: 0, errors: [] }, 'done');
    this.events.emit('import.progressed', { jobId, state: 'done', processed: total, total });
  }

  private async report(
    jobId: string,
    delta: { processed: number; accepted: number; unchanged: number; failed: number; errors: ImportError[] },
    total: number,
  ) {
    await this.documents.progressJob(jobId, delta, 'running');
    const job = (await this.documents.job(jobId)) as { processed: number } | null;
    this.events.emit('import.progressed', { jobId, state: 'running', processed: job?.processed ?? 0, total });
  }

  job(id: string) {
    return this.documents.job(id);
  }
}
