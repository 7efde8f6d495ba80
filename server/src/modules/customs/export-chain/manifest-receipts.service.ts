import { Injectable } from '@nestjs/common';
import type { CustomsChange } from '@wms/contracts';
import type { Sql as Em } from '../../../platform/database/sql.js';
import { TraceRepository } from '../../trace/trace.repository.js';
import { CustomsRepository } from '../declarations/customs.repository.js';
import type { CebReceipt } from '../messages/ceb-receipt-parser.js';
import { type ManifestKind, manifestStatus, receiptEffect } from '../rules/export-chain-status.js';
import { ExportManifestRepository } from './export-manifest.repository.js';

/** The CBV step each report is about (DOMAIN.md §7): arriving at the site, loading under the master waybill, departing. */
export const MANIFEST_BIZ_STEP: Record<ManifestKind, string> = {
  arrival: 'arriving',
  waybill: 'loading',
  departure: 'departing',
};

/**
 * Applies a receipt of the export chain (CEB508 / CEB608 / CEB510) to its report: the status is
 * recomputed from every receipt of that declaration (rules/export-chain-status.ts), so duplicates
 * and any order end the same; each parcel of the report gets the receipt in its trace.
 */
@Injectable()
export class ManifestReceiptsService {
  constructor(
    private readonly customs: CustomsRepository,
    private readonly manifests: ExportManifestRepository,
    private readonly trace: TraceRepository,
  ) {}

  async apply(
    em: Em,
    messageType: string,
    r: CebReceipt,
    record: (changed: boolean, ignoredBecause: string | null) => Promise<unknown>,
  ): Promise<CustomsChange | null> {
    const manifest = await this.manifests.byGuidForUpdate(em, r.guid);
    if (!manifest) {
      await record(false, 'no export report carries this message');
      return null;
    }
    const previous = (await this.customs.receiptsOfGuid(em, r.guid)).map((x) => ({
      returnStatus: x.return_status,
      returnTime: x.return_time,
      returnInfo: x.return_info,
    }));
    const before = manifestStatus(previous);
    const after = manifestStatus([...previous, r]);
    const effect = receiptEffect(before, after, r);
    await record(effect.changed, effect.ignoredBecause);
    if (effect.changed && after)
      await this.manifests.setStatus(em, manifest.id, { ...after, preNo: r.fields.preNo || undefined });
    const parcels = await this.manifests.parcelsOf(em, manifest.id);
    await this.trace.record(
      em,
      parcels.map((p) => ({
        objectKind: 'parcel' as const,
        objectId: p.logistics_no,
        bizStep: MANIFEST_BIZ_STEP[manifest.kind],
        disposition: effect.changed ? `customs_${r.returnStatus}` : 'receipt_without_effect',
        actor: 'customs',
        documents: {
          orderNo: p.order_no,
          invtNo: p.invt_no,
          copNo: manifest.cop_no,
          billNo: manifest.bill_no,
          sscc: p.sscc,
          guid: r.guid,
        },
        detail: {
          messageType,
          returnStatus: r.returnStatus,
          returnInfo: r.returnInfo,
          ...(effect.ignoredBecause ? { ignoredBecause: effect.ignoredBecause } : {}),
        },
      })),
    );
    if (!effect.changed) return null;
    return {
      kind: 'receipt',
      ref: manifest.cop_no,
      warehouseCode: manifest.warehouse_code,
      summary: `${messageType} ${r.returnStatus} on ${manifest.kind} ${manifest.cop_no} (${parcels.length} parcels)${r.returnInfo ? `: ${r.returnInfo}` : ''}`,
      detail: { kind: manifest.kind, status: r.returnStatus, tripNo: manifest.trip_no, billNo: manifest.bill_no },
      at: new Date().toISOString(),
    };
  }
}
