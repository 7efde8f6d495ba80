import { Inject, Injectable, Logger } from '@nestjs/common';
import { buildSscc, type ShipTo } from '@wms/contracts';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import { type Sql, SqlRunner } from '../../platform/database/sql.js';
import { DeviceCommandsService } from '../devices/device-commands.service.js';
import { buildParcelLabelZpl } from '../labels/parcel-label.js';

export interface OrderLabel {
  sscc: string;
  fulfilmentNo: string;
  orderNo: string;
  trackingNo: string;
  carrier: string | null;
  shipTo: ShipTo;
  warehouseName: string;
  timeZone: string | null;
}

/**
 * The packed order's own parcel label (the bonded centre's parcel label, reused): the parcel's
 * SSCC as GS1-128, the carrier's tracking number and the consignee, on the packing station's
 * printer, once (the job id is the SSCC's: the edge agent prints a job at most once). The carrier's
 * own label is already on the parcel: this one is the warehouse's handling label.
 */
@Injectable()
export class OrderLabelsService {
  private readonly logger = new Logger('order-labels');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commands: DeviceCommandsService,
    private readonly sql: SqlRunner,
  ) {}

  /** A new SSCC for a parcel, in the caller's transaction (the centre's SSCC serials). */
  async nextSscc(sql: Sql): Promise<string> {
    const [{ serial }] = await sql.execute<Array<{ serial: string }>>(
      `select nextval('sscc_serial_seq')::text as serial`,
    );
    return buildSscc({
      extensionDigit: 0,
      companyPrefix: this.config.FLOOR_GS1_COMPANY_PREFIX,
      serial: BigInt(serial),
    });
  }

  zpl(label: OrderLabel): string {
    const to = label.shipTo;
    return buildParcelLabelZpl(
      {
        jobId: `OLBL-${label.sscc}`,
        sscc: label.sscc,
        logisticsNo: label.trackingNo,
        ...(label.carrier ? { logisticsCode: label.carrier } : {}),
        orderNo: label.fulfilmentNo,
        consignee: to.name,
        consigneeAddress: [to.line1, to.line2, `${to.postcode} ${to.city}`, to.country].filter(Boolean).join(', '),
        warehouseName: label.warehouseName,
        printedAt: new Date(),
      },
      { cjkFont: this.config.LABEL_CJK_FONT, timeZone: label.timeZone ?? undefined },
    );
  }

  /** Prints it on the station's printer, if it has one; a failure is logged (the label can be fetched again). */
  async print(stationId: string, label: OrderLabel, actor: string): Promise<void> {
    const [printer] = await this.sql.transaction((sql) =>
      sql.execute<Array<{ device_id: string }>>(
        `select device_id from device where station_id = ? and kind = 'printer' and active order by device_id limit 1`,
        [stationId],
      ),
    );
    if (!printer) return;
    try {
      await this.commands.send(
        printer.device_id,
        { type: 'print', jobId: `OLBL-${label.sscc}`, zpl: this.zpl(label) },
        actor,
      );
    } catch (error) {
      this.logger.warn({ msg: 'order label not printed', fulfilmentNo: label.fulfilmentNo, error: String(error) });
    }
  }
}
