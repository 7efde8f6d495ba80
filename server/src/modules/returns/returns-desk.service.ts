import { Injectable } from '@nestjs/common';
import type { ReturnGrade, returnPhotoStored, ScanAnswer } from '@wms/contracts';
import { DocNumbers } from '../../platform/database/doc-numbers.js';
import { type Sql, SqlRunner } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import { AppError } from '../../platform/http/app-error.js';
import { answerOk, Refusal, type Session } from '../floor/floor.answers.js';
import type { ScannedCode } from '../floor/floor.rules.js';
import type { ScanInput } from '../floor/floor.schemas.js';
import type { GoodsRow } from '../floor/scan.types.js';
import { SellerStockRepository } from '../sellers/stock/seller-stock.repository.js';
import { tell } from './returns.messages.js';
import { type ReturnRow, ReturnsRepository } from './returns.repository.js';
import {
  deskCommand,
  gradeMoves,
  gradeRefusal,
  isComplete,
  pictureType,
  receivedOf,
  returnLot,
} from './returns.rules.js';

/** Where the desk is: the RMA open, the grade the next items get, a pending choice of seller. */
interface DeskSession extends Session {
  rmaId?: string;
  rmaNo?: string;
  grade?: ReturnGrade;
  reason?: string | null;
  newReturn?: boolean;
  choose?: string;
}

/** Work to do after the scan's transaction committed (events). */
export type AfterCommit = Array<() => void>;

/**
 * The returns desk of an overseas warehouse (issue 12): the station job 'returns' (or a handheld's
 * returns scans) at a warehouse of kind 'overseas'. No customs here, unlike the bonded centre's
 * returns (receiving/returns.service.ts). Scan the RMA number (or NEW-RETURN for goods that came
 * without one), then each item; the grade (SELLABLE, UNSELLABLE, DESTROY) stays until changed.
 * Each graded item moves the seller's stock in the scan's transaction; a repeated scan id is
 * answered by the floor with its first answer and never counts twice.
 */
@Injectable()
export class ReturnsDeskService {
  constructor(
    private readonly sql: SqlRunner,
    private readonly returns: ReturnsRepository,
    private readonly stock: SellerStockRepository,
    private readonly numbers: DocNumbers,
    private readonly events: DomainEvents,
  ) {}

  /** The desk's list: the RMAs at an overseas warehouse, open ones first. */
  async list(warehouseCode: string, status: string | undefined, limit: number) {
    return this.sql.transaction(async (sql) => ({
      items: await this.returns.deskList(sql, warehouseCode, status, limit),
    }));
  }

  /**
   * A photo of a return's goods, taken at the desk (JPEG or PNG, checked by its first bytes): kept
   * with the RMA, which the seller reads it from. Two sellers' RMAs of one number: name the seller.
   */
  async attachPhoto(
    rmaNo: string,
    q: { warehouseCode: string; sellerCode?: string; sku?: string },
    file: { buffer: Buffer; mimetype: string } | undefined,
    actor: string,
  ): Promise<Answer<typeof returnPhotoStored>> {
    if (!file) throw new AppError('VALIDATION_FAILED', 'photo: send the picture as the multipart field "photo".');
    const contentType = pictureType(file.buffer);
    if (!contentType)
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'photo: not a JPEG or PNG picture; take it again as JPEG or PNG.');
    const stored = await this.sql.transaction(async (sql) => {
      const found = (await this.returns.byNumber(sql, q.warehouseCode, rmaNo)).filter(
        (r) => !q.sellerCode || r.sellerCode === q.sellerCode,
      );
      if (!found.length) throw new AppError('NOT_FOUND', `RMA ${rmaNo} not found at ${q.warehouseCode}.`);
      if (found.length > 1)
        throw new AppError(
          'CONFLICT',
          `RMA ${rmaNo} is a number of ${found.map((r) => r.sellerCode).join(' and ')}: name the sellerCode.`,
        );
      const [rma] = found;
      if (q.sku && !(await this.returns.lines(sql, rma.id)).some((l) => l.sku === q.sku))
        throw new AppError(
          'VALIDATION_FAILED',
          `sku: ${q.sku} is not on RMA ${rmaNo}; leave it out or name one of its SKUs.`,
        );
      const id = await this.returns.addPhoto(sql, {
        returnId: rma.id,
        sku: q.sku ?? null,
        bytes: file.buffer,
        contentType,
        takenBy: actor,
      });
      return { rma, id };
    });
    this.changed(stored.rma, q.sku ? [q.sku] : [], { photo: stored.id });
    return {
      id: stored.id,
      rmaNo,
      sellerCode: stored.rma.sellerCode,
      sku: q.sku ?? null,
      contentType,
      bytes: file.buffer.length,
    };
  }

  /** Whether returns at this warehouse are the overseas desk's (not the bonded centre's). */
  async handles(em: Sql, warehouseCode: string): Promise<boolean> {
    const [w] = await this.returns.warehouseKind(em, warehouseCode);
    return w?.kind === 'overseas';
  }

  async scan(
    em: Sql,
    input: ScanInput,
    code: ScannedCode,
    state: Session,
    actor: string,
    goods: GoodsRow[],
    after: AfterCommit,
  ): Promise<ScanAnswer> {
    const session = state as DeskSession;
    if (code.kind === 'sscc') throw new Refusal(tell.notGoods(), tell.scanGoods());
    if (code.kind === 'plain') {
      const command = deskCommand(code.text);
      switch (command.kind) {
        case 'grade':
          session.grade = command.grade;
          session.reason = command.reason;
          return answerOk(input, tell.gradeSet(command.grade, command.reason), tell.scanGoods(), {
            grade: command.grade,
            reason: command.reason,
          });
        case 'newReturn':
          for (const key of ['rmaId', 'rmaNo', 'choose'] as const) delete session[key];
          session.newReturn = true;
          session.grade = 'sellable';
          session.reason = null;
          return answerOk(input, tell.unannouncedReady(), tell.scanGoods(), { newReturn: true });
        case 'choose':
          session.choose = command.code;
          return answerOk(input, tell.chosen(command.code), tell.scanAgainAfterChoice(), { chosen: command.code });
        case 'done':
          return this.finish(em, input, session, actor, after);
        case 'text': {
          const opened = await this.openRma(em, input, session, command.text, actor, after);
          if (opened) return opened;
        }
      }
    }
    if (!goods.length) {
      const text = code.kind === 'gs1-goods' ? code.gtin : input.code.trim();
      throw new Refusal(tell.unknownCode(text), session.rmaId ? tell.setApart() : tell.scanRma());
    }
    const qty = (code.kind === 'gs1-goods' ? code.count : null) ?? input.qty ?? 1;
    return this.grade(em, input, session, actor, goods, qty, after);
  }

  /** The scanned text as an RMA number at this warehouse; null when it is none (it may be goods). */
  private async openRma(
    em: Sql,
    input: ScanInput,
    session: DeskSession,
    text: string,
    actor: string,
    after: AfterCommit,
  ): Promise<ScanAnswer | null> {
    const found = await this.returns.byNumber(em, input.warehouseCode, text);
    if (!found.length) return null;
    const chosen = session.choose
      ? found.filter((r) => r.sellerCode === session.choose || r.ownerCode === session.choose)
      : found;
    const open = chosen.filter((r) => r.status !== 'received');
    if (!open.length) throw new Refusal(tell.rmaReceivedBefore(text), tell.nextReturn());
    if (open.length > 1)
      throw new Refusal(
        tell.twoRmas(
          text,
          open.map((r) => r.sellerCode),
        ),
        tell.chooseSeller(),
      );
    const rma = open[0];
    const locked = await this.returns.lock(em, rma.id);
    if (!locked) return null;
    for (const key of ['newReturn', 'choose'] as const) delete session[key];
    session.rmaId = rma.id;
    session.rmaNo = rma.rmaNo;
    session.grade = 'sellable';
    session.reason = null;
    const left = locked.lines.reduce((s, l) => s + Math.max(0, l.expected - receivedOf(l)), 0);
    if (locked.rma.status === 'expected') {
      await this.returns.setStatus(em, rma.id, 'receiving');
      await this.returns.history(em, rma.id, 'receiving started', actor, { stationId: input.stationId });
      after.push(() => this.changed(rma, [], { status: 'receiving' }));
    }
    return answerOk(input, tell.rmaOpened(rma.rmaNo, rma.sellerCode, left, 'sellable'), tell.scanGoods(), {
      rmaNo: rma.rmaNo,
      sellerCode: rma.sellerCode,
      expected: locked.lines.map((l) => ({ sku: l.sku, expected: l.expected, received: receivedOf(l) })),
    });
  }

  private async grade(
    em: Sql,
    input: ScanInput,
    session: DeskSession,
    actor: string,
    goods: GoodsRow[],
    qty: number,
    after: AfterCommit,
  ): Promise<ScanAnswer> {
    const shown = goods[0].gtin ?? goods[0].sku;
    let rmaId = session.rmaId;
    let sku: string;
    if (rmaId) {
      const locked = await this.returns.lock(em, rmaId);
      const mine = goods.filter((g) => g.owner_code === locked?.rma.ownerCode);
      if (!locked || !mine.length) throw new Refusal(tell.notThisSeller(shown, session.rmaNo ?? ''), tell.setApart());
      sku = mine[0].sku;
    } else if (session.newReturn) {
      const candidates = (await this.returns.sellersOf(em, input.warehouseCode, goods)).filter(
        (c) => !session.choose || c.sellerCode === session.choose || c.ownerCode === session.choose,
      );
      if (!candidates.length) throw new Refusal(tell.noSellerHere(shown), tell.setApart());
      const owners = [...new Set(candidates.map((c) => c.ownerCode))];
      const sellers = [...new Set(candidates.map((c) => c.sellerCode))];
      if (owners.length > 1 || candidates.length > 1)
        throw new Refusal(
          // one seller with two owners of the code is told apart by the owner
          tell.twoSellers(shown, sellers.length === owners.length ? sellers : owners),
          tell.chooseSeller(),
          { candidates: candidates.map((c) => ({ sellerCode: c.sellerCode, ownerCode: c.ownerCode })) },
        );
      const [owner] = candidates;
      const rmaNo = await this.numbers.next(em, 'UR');
      rmaId = await this.returns.create(em, {
        sellerCode: owner.sellerCode,
        ownerCode: owner.ownerCode,
        rmaNo,
        warehouseCode: input.warehouseCode,
        orderNo: null,
        reason: 'returned without RMA',
        unannounced: true,
        exchange: null,
        createdBy: actor,
        lines: [],
      });
      for (const key of ['newReturn', 'choose'] as const) delete session[key];
      session.rmaId = rmaId;
      session.rmaNo = rmaNo;
      sku = owner.sku;
    } else throw new Refusal(tell.scanRmaFirst(), tell.scanRma());

    const locked = await this.returns.lock(em, rmaId);
    if (!locked) throw new Refusal(tell.scanRmaFirst(), tell.scanRma());
    const { rma } = locked;
    const line = locked.lines.find((l) => l.sku === sku);
    const refusal = gradeRefusal(rma, line, sku, qty);
    if (refusal) throw new Refusal(refusal, rma.status === 'received' ? tell.nextReturn() : tell.setApart());

    const grade = session.grade ?? 'sellable';
    const reason = session.reason ?? rma.reason;
    // a refusal is committed with the scan: the grade's writes go back to here first
    await em.execute('savepoint return_grade');
    const kept = await this.returns.recordGrade(em, {
      scanId: input.scanId,
      returnId: rma.id,
      sku,
      grade,
      qty,
      reason,
      actor,
      stationId: input.stationId,
    });
    if (!kept) throw new Refusal(tell.rmaAlreadyReceived(rma.rmaNo), tell.scanGoods()); // the floor answers repeats first
    await this.returns.countGrade(em, rma.id, rma.ownerCode, sku, grade, qty);
    await this.stock.ensureLot(em, {
      ownerCode: rma.ownerCode,
      warehouseCode: rma.warehouseCode,
      sku,
      lotNo: returnLot(rma.rmaNo),
      arrivedAt: new Date(),
    });
    try {
      for (const step of gradeMoves(grade, {
        ownerCode: rma.ownerCode,
        warehouseCode: rma.warehouseCode,
        sku,
        rmaNo: rma.rmaNo,
        qty,
        reason,
      }))
        await this.stock.post(em, step, actor);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await em.execute('rollback to savepoint return_grade');
      throw new Refusal({ en: error.message, zh: error.message }, tell.setApart());
    }
    await this.returns.history(em, rma.id, grade === 'destroy' ? 'destroyed' : 'graded', actor, {
      sku,
      qty,
      grade,
      reason,
      stationId: input.stationId,
    });
    const lines = await this.returns.lines(em, rma.id);
    const complete = isComplete(rma.unannounced, lines);
    if (rma.status === 'expected' && !complete) await this.returns.setStatus(em, rma.id, 'receiving');
    const exchangeDue = complete ? await this.receive(em, rma, actor, after) : false;
    after.push(() => {
      this.changed(rma, [sku], { status: complete ? 'received' : 'receiving', sku, grade, qty });
      this.events.emit('seller.changed', {
        sellerCode: rma.sellerCode,
        kind: 'stock',
        ref: sku,
        warehouseCode: rma.warehouseCode,
        skus: [sku],
        at: new Date().toISOString(),
      });
    });
    if (complete) {
      for (const key of ['rmaId', 'rmaNo'] as const) delete session[key];
      session.grade = 'sellable';
      session.reason = null;
    }
    const left = rma.unannounced ? null : lines.reduce((s, l) => s + Math.max(0, l.expected - receivedOf(l)), 0);
    const message = tell.graded(qty, sku, rma.rmaNo, grade, left);
    const done = complete ? tell.rmaComplete(rma.rmaNo, exchangeDue) : null;
    return answerOk(
      input,
      done ? { en: `${message.en}; ${done.en}`, zh: `${message.zh}；${done.zh}` } : message,
      complete ? tell.nextReturn() : tell.scanGoods(),
      {
        rmaNo: rma.rmaNo,
        sellerCode: rma.sellerCode,
        sku,
        grade,
        qty,
        lotNo: returnLot(rma.rmaNo),
        unannounced: rma.unannounced,
        status: complete ? 'received' : 'receiving',
        ...(exchangeDue ? { exchangeDue: true } : {}),
      },
    );
  }

  /** DONE: the open RMA is received as it stands (a return without RMA ends only so). */
  private async finish(
    em: Sql,
    input: ScanInput,
    session: DeskSession,
    actor: string,
    after: AfterCommit,
  ): Promise<ScanAnswer> {
    if (!session.rmaId) throw new Refusal(tell.nothingOpen(), tell.scanRma());
    const locked = await this.returns.lock(em, session.rmaId);
    if (!locked) throw new Refusal(tell.nothingOpen(), tell.scanRma());
    const { rma, lines } = locked;
    for (const key of ['rmaId', 'rmaNo'] as const) delete session[key];
    session.grade = 'sellable';
    session.reason = null;
    if (rma.status === 'received') throw new Refusal(tell.rmaAlreadyReceived(rma.rmaNo), tell.nextReturn());
    const exchangeDue = await this.receive(em, rma, actor, after);
    after.push(() => this.changed(rma, [], { status: 'received' }));
    return answerOk(input, tell.rmaComplete(rma.rmaNo, exchangeDue), tell.nextReturn(), {
      rmaNo: rma.rmaNo,
      sellerCode: rma.sellerCode,
      status: 'received',
      received: lines.map((l) => ({ sku: l.sku, expected: l.expected, received: receivedOf(l) })),
      ...(exchangeDue ? { exchangeDue: true } : {}),
    });
  }

  /** The RMA is received; an exchange on it becomes due (once), announced after the commit. */
  private async receive(em: Sql, rma: ReturnRow, actor: string, after: AfterCommit): Promise<boolean> {
    await this.returns.setStatus(em, rma.id, 'received');
    await this.returns.history(em, rma.id, 'received', actor, {});
    if (!rma.exchange || !(await this.returns.markExchangeDue(em, rma.id))) return false;
    await this.returns.history(em, rma.id, 'exchange due', actor, { lines: rma.exchange.lines });
    const exchange = rma.exchange;
    after.push(() =>
      this.events.emit('return.exchangeDue', {
        sellerCode: rma.sellerCode,
        rmaNo: rma.rmaNo,
        warehouseCode: rma.warehouseCode,
        shipTo: exchange.shipTo,
        lines: exchange.lines,
      }),
    );
    return true;
  }

  private changed(rma: ReturnRow, skus: string[], detail: Record<string, unknown>): void {
    this.events.emit('seller.changed', {
      sellerCode: rma.sellerCode,
      kind: 'return',
      ref: rma.rmaNo,
      warehouseCode: rma.warehouseCode,
      skus,
      detail,
      at: new Date().toISOString(),
    });
  }
}
