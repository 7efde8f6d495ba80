import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { SqlRunner } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AsnReceiptService } from './asn-receipt.service.js';
import { ShipmentsRepository } from './shipments.repository.js';

/** A customs receipt moved a shipment's export list (released, rejected…): its seller hears it. */
@Injectable()
export class ShipmentCustomsListener implements OnModuleInit, OnModuleDestroy {
  private off: (() => void) | null = null;

  constructor(
    private readonly events: DomainEvents,
    private readonly centre: SqlRunner,
    private readonly shipments: ShipmentsRepository,
    private readonly receipt: AsnReceiptService,
  ) {}

  onModuleInit(): void {
    this.off = this.events.on('parcel.customsStatusChanged', (change) => {
      void this.centre
        .transaction((sql) => this.shipments.shipmentsOfList(sql, change.copNo))
        .then((rows) =>
          this.receipt.announce(
            rows.map((r) => ({
              sellerCode: r.seller_code,
              shipmentNo: r.shipment_no,
              warehouseCode: r.warehouse_code,
              detail: { customsStatus: change.status, requiredAction: change.requiredAction },
            })),
          ),
        )
        .catch(() => undefined);
    });
  }

  onModuleDestroy(): void {
    this.off?.();
  }
}
