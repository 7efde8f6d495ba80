import { Inject, Injectable } from '@nestjs/common';
import { buildSscc } from '@wms/contracts';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { AppError } from '../../platform/http/app-error.js';
import { SITE_TIME_ZONE } from '../../platform/time/site-time.js';
import { CustomsRepository } from '../customs/declarations/customs.repository.js';
import { DeviceCommandsService } from '../devices/device-commands.service.js';
import { buildParcelLabelZpl, ParcelLabelError, type ParcelLabelInput } from '../labels/parcel-label.js';
import { LabelFontError } from '../labels/text-graphic.js';
import { needsPacking } from '../outbound/gate.rules.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { GateFactsRepository } from './gate-facts.repository.js';
import { ParcelsRepository } from './parcels.repository.js';

/**
 * The parcel label, printed on the station's ZPL printer through its edge agent: once. The parcel
 * gets its SSCC the first time; the first print is job `LBL-<sscc>`, which the agent prints at most
 * once however often it is sent. A reprint is an explicit action with a reason, recorded, and a
 * new job marked REPRINT n on the label.
 */
@Injectable()
export class LabelsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly customs: CustomsRepository,
    private readonly commands: DeviceCommandsService,
    private readonly trace: TraceRepository,
    private readonly gateFacts: GateFactsRepository,
    private readonly parcels: ParcelsRepository,
  ) {}

  async print(logisticsNo: string, stationId: string, actor: string, reprint?: { reason: string }) {
    const em = this.parcels.reader();
    // read only: the print record is claimed under the list's lock below
    const lists = await this.customs.listsByWaybill(logisticsNo);
    if (lists.length !== 1)
      throw new AppError(
        lists.length ? 'CONFLICT' : 'NOT_FOUND',
        `parcel ${logisticsNo} is ${lists.length ? 'ambiguous: several carriers use this number' : 'not known'}`,
      );
    const list = lists[0];
    // a parcel that left gets no label and no reprint (issue 11)
    await this.gateFacts.refuseIfShipped(null, list);
    if (!list.packed_at && needsPacking(list))
      throw new AppError('CUSTOMS_STATE', `parcel ${logisticsNo} is not packed yet: pack it, then print its label`);
    const printers = await em.execute<Array<{ device_id: string }>>(
      `select device_id from device where station_id = ? and kind = 'printer' and active order by device_id limit 1`,
      [stationId],
    );
    if (!printers.length) throw new AppError('VALIDATION_FAILED', `station ${stationId} has no label printer`);
    const deviceId = printers[0].device_id;

    // The SSCC and the print record are claimed in one short transaction; the print happens after.
    const claim = await this.parcels.transaction(async (tx) => {
      const [locked] = await tx.execute<Array<{ gate_passed_at: Date | null; gate_pass_no: string | null }>>(
        'select gate_passed_at, gate_pass_no from inventory_list where id = ? for update',
        [list.id],
      );
      // it may have left since it was read above
      await this.gateFacts.refuseIfShipped(tx, { ...list, ...locked });
      let label = (
        await tx.execute<Array<{ sscc: string }>>('select sscc from parcel_label where list_id = ?', [list.id])
      )[0];
      if (!label) {
        const [{ serial }] = await tx.execute<Array<{ serial: string }>>(`select nextval('sscc_serial_seq') as serial`);
        label = {
          sscc: buildSscc({
            extensionDigit: 0,
            companyPrefix: this.config.FLOOR_GS1_COMPANY_PREFIX,
            serial: BigInt(serial),
          }),
        };
        await tx.execute('insert into parcel_label (list_id, logistics_no, sscc) values (?, ?, ?)', [
          list.id,
          logisticsNo,
          label.sscc,
        ]);
      }
      const prints = await tx.execute<Array<{ reprint: number; job_id: string; status: string; created_at: Date }>>(
        'select reprint, job_id, status, created_at from label_print where list_id = ? order by reprint',
        [list.id],
      );
      if (prints.length && !reprint) return { sscc: label.sscc, already: prints[0] };
      const n = prints.length;
      const jobId = n === 0 ? `LBL-${label.sscc}` : `LBL-${label.sscc}-R${n}`;
      await tx.execute(
        `insert into label_print (list_id, job_id, device_id, reprint, reason, status, actor) values (?, ?, ?, ?, ?, 'sent', ?)`,
        [list.id, jobId, deviceId, n, reprint?.reason ?? null, actor],
      );
      return { sscc: label.sscc, jobId, n, firstJob: prints[0]?.job_id ?? null };
    });
    if ('already' in claim && claim.already)
      throw new AppError(
        'CONFLICT',
        `the label of parcel ${logisticsNo} was already printed (${claim.already.status}, job ${claim.already.job_id}): a reprint must be asked for, with its reason`,
        { sscc: claim.sscc, jobId: claim.already.job_id },
      );
    const { sscc, jobId, n, firstJob } = claim as { sscc: string; jobId: string; n: number; firstJob: string | null };
    const weighed = await em.execute<Array<{ gross_grams: number }>>(
      'select gross_grams from weight_check where list_id = ? order by created_at desc, id desc limit 1',
      [list.id],
    );
    const warehouse = await em.execute<Array<{ name: string }>>('select name from warehouse where code = ?', [
      list.warehouse_code,
    ]);
    let zpl: string;
    try {
      zpl = this.labelZpl({
        jobId,
        sscc,
        logisticsNo,
        logisticsCode: list.logistics_code,
        orderNo: list.order_no,
        consignee: list.head.buyerName ?? '',
        consigneeAddress: list.head.consigneeAddress ?? '',
        grossGrams: weighed[0]?.gross_grams,
        invtNo: list.invt_no,
        warehouseName: warehouse[0]?.name ?? list.warehouse_code,
        printedAt: new Date(),
        reprint: n,
      });
    } catch (error) {
      // The print was claimed: record why nothing was sent, so the claim does not look in flight.
      const reason = (error as Error).message;
      await em.execute(`update label_print set status = 'failed', status_reason = ? where job_id = ?`, [reason, jobId]);
      if (error instanceof ParcelLabelError)
        throw new AppError('INVALID_VALUE', `the label of parcel ${logisticsNo} cannot be printed: ${reason}`);
      if (error instanceof LabelFontError) throw new AppError('DEPENDENCY_DOWN', reason);
      throw error;
    }
    const record = await this.commands.send(
      deviceId,
      { type: 'print', jobId, zpl, ...(firstJob ? { reprintOf: firstJob } : {}) },
      actor,
    );
    await this.parcels.transaction(async (tx) => {
      await tx.execute('update label_print set status = ?, status_reason = ? where job_id = ?', [
        record.status,
        record.reason,
        jobId,
      ]);
      await this.trace.record(tx, [
        {
          objectKind: 'parcel',
          objectId: logisticsNo,
          bizStep: 'packing',
          disposition: n ? 'label_reprinted' : 'label_printed',
          readPoint: stationId,
          actor,
          documents: { logisticsNo, sscc, jobId },
          detail: { status: record.status, reason: record.reason, reprintReason: reprint?.reason },
        },
      ]);
    });
    return { logisticsNo, sscc, jobId, reprint: n, deviceId, status: record.status, reason: record.reason };
  }

  /** Chinese as graphics unless the site names a Chinese font its printers hold (LABEL_CJK_FONT). */
  private labelZpl(input: ParcelLabelInput): string {
    return buildParcelLabelZpl(input, { cjkFont: this.config.LABEL_CJK_FONT, timeZone: SITE_TIME_ZONE });
  }
}
