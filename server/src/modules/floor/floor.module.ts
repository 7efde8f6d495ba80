import { Module } from '@nestjs/common';
import { CustomsModule } from '../customs/customs.module.js';
import { OrdersModule } from '../orders/orders.module.js';
import { OutboundModule } from '../outbound/outbound.module.js';
import { ParcelsModule } from '../parcels/parcels.module.js';
import { ReceivingModule } from '../receiving/receiving.module.js';
import { ReturnsModule } from '../returns/returns.module.js';
import { AsnReceiptModule } from '../shipments/asn-receipt.module.js';
import { StorageModule } from '../storage/storage.module.js';
import { BoardRepository } from './board.repository.js';
import { FloorController } from './floor.controller.js';
import { ScanDispatcher } from './scan-dispatcher.js';

/** The floor: one scan route dispatched to the rooms, and the supervisor's board. */
@Module({
  imports: [
    CustomsModule,
    ReceivingModule,
    ReturnsModule,
    StorageModule,
    OutboundModule,
    ParcelsModule,
    OrdersModule,
    AsnReceiptModule,
  ],
  controllers: [FloorController],
  providers: [ScanDispatcher, BoardRepository],
  exports: [ScanDispatcher],
})
export class FloorModule {}
