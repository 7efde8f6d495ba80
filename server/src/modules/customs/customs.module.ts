import { Module } from '@nestjs/common';
import { InventoryModule } from '../inventory/inventory.module.js';
import { GateFactsModule } from '../parcels/gate-facts.module.js';
import { CustomsActionsController } from './actions/customs-actions.controller.js';
import { CustomsActionsService } from './actions/customs-actions.service.js';
import { CustomsRepository } from './declarations/customs.repository.js';
import { DeclarationsController } from './declarations/declarations.controller.js';
import { DeclarationsService } from './declarations/declarations.service.js';
import { TradeDocumentsController } from './documents/trade-documents.controller.js';
import { TradeDocumentsRepository } from './documents/trade-documents.repository.js';
import { TradeDocumentsService } from './documents/trade-documents.service.js';
import { ExportManifestRepository } from './export-chain/export-manifest.repository.js';
import { ManifestReceiptsService } from './export-chain/manifest-receipts.service.js';
import { HoldsController } from './holds/holds.controller.js';
import { HoldsRepository } from './holds/holds.repository.js';
import { HoldsService } from './holds/holds.service.js';
import { ReceiptsService } from './receipts/receipts.service.js';
import { CustomsViewController } from './view/customs-view.controller.js';

@Module({
  imports: [InventoryModule, GateFactsModule],
  controllers: [
    TradeDocumentsController,
    DeclarationsController,
    CustomsActionsController,
    HoldsController,
    CustomsViewController,
  ],
  providers: [
    CustomsRepository,
    TradeDocumentsRepository,
    TradeDocumentsService,
    DeclarationsService,
    ReceiptsService,
    CustomsActionsService,
    HoldsRepository,
    HoldsService,
    ExportManifestRepository,
    ManifestReceiptsService,
  ],
  exports: [
    CustomsRepository,
    ReceiptsService,
    CustomsActionsService,
    HoldsService,
    DeclarationsService,
    TradeDocumentsRepository,
    ExportManifestRepository,
  ],
})
export class CustomsModule {}
