import { Inject, Injectable } from '@nestjs/common';
import { unitDraw } from '@wms/contracts/draw';
import { APP_CONFIG, type AppConfig } from '../../platform/config/app-config.js';
import type { Sql } from '../../platform/database/sql.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import type { ListRow } from '../customs/declarations/customs.repository.js';
import { ParcelsRepository } from '../parcels/parcels.repository.js';
import { TraceRepository } from '../trace/trace.repository.js';
import { CreditRepository } from './credit.repository.js';
import { PRESELECTION_HOLDER, type Preselection, preselect, preselectionKey } from './credit.rules.js';

/**
 * The WMS's own pre-selection for inspection (issue 13): when a parcel is packed, a list whose
 * draw falls below its enterprise's rate (the same table and rule as customs, credit.rules.ts) is
 * held by `credit-selection`, so the floor takes it to the inspection area (the inspection scan
 * takes held parcels, the gate refuses them) and the customs officer lifts the hold after the
 * inspection. On with CREDIT_PRESELECTION=on.
 */
@Injectable()
export class CreditPreselectionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly credit: CreditRepository,
    private readonly parcels: ParcelsRepository,
    private readonly trace: TraceRepository,
    private readonly events: DomainEvents,
  ) {}

  /** In the packing transaction: holds the parcel when it is pre-selected; null when not (or already held). */
  async atPacking(sql: Sql, list: ListRow, actor: string, readPoint: string | null): Promise<Preselection | null> {
    if (this.config.CREDIT_PRESELECTION !== 'on' || list.hold_reason) return null;
    const table = await this.credit.tableFor(sql, list.ebc_code);
    const draw = unitDraw(this.config.CREDIT_PRESELECTION_SEED, preselectionKey(list.cop_no));
    const picked = preselect({ copNo: list.cop_no, ebcCode: list.ebc_code, tradeMode: list.trade_mode }, table, draw);
    if (!picked) return null;
    await this.parcels.holdBy(sql, list.id, picked.reason, PRESELECTION_HOLDER);
    await this.trace.record(sql, [
      {
        objectKind: 'parcel',
        objectId: list.logistics_no,
        bizStep: 'holding',
        disposition: 'held',
        readPoint,
        actor,
        documents: { copNo: list.cop_no, invtNo: list.invt_no },
        detail: {
          reason: picked.reason,
          preselection: { grade: picked.grade, ratePpm: picked.ratePpm, b2b: picked.b2b },
        },
      },
    ]);
    return picked;
  }

  /** After the commit: the hold is a hold like any other (the same events; the console's hold pages reload). */
  announce(logisticsNo: string, picked: Preselection): void {
    this.parcels.holdChanged(logisticsNo, true, picked.reason, PRESELECTION_HOLDER);
    this.events.emit('customs.changed', {
      kind: 'hold',
      ref: logisticsNo,
      summary: `Hold placed on ${logisticsNo}: ${picked.reason}`,
      at: new Date().toISOString(),
    });
  }
}
