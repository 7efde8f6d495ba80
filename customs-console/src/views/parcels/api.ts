import type { HoldInput, InspectionResultInput, ParcelSituation } from '@wms/contracts';
import { qs, request } from '../../api.js';

/** The parcels area's calls: situations, pages of parcels, holds and lifts, the inspection queue. */

// biome-ignore lint/suspicious/noExplicitAny: answers are shown as the server sends them
export type Loose = Record<string, any>;

export interface ParcelsPage {
  items: Loose[];
  total: number;
  offset: number;
  nextOffset: number | null;
}

export const parcelsApi = {
  situations: (warehouseCode?: string) =>
    request<{ counts: Record<ParcelSituation, number>; overdueHours: number }>(
      'GET',
      `/api/customs/parcel-situations${qs({ warehouseCode })}`,
    ),
  parcels: (filter: ParcelSituation, offset: number, limit: number, warehouseCode?: string) =>
    request<ParcelsPage>('GET', `/api/customs/parcels${qs({ filter, offset, limit, warehouseCode })}`),
  hold: (body: HoldInput) => request<Loose>('POST', '/api/customs/holds', body),
  lift: (logisticsNo: string, reason: string) =>
    request<Loose>('DELETE', `/api/customs/holds/${encodeURIComponent(logisticsNo)}`, { reason }),
  inspections: (state: 'waiting' | 'recorded' | 'all', offset: number, limit: number) =>
    request<ParcelsPage>('GET', `/api/customs/inspections${qs({ state, offset, limit })}`),
  recordInspection: (logisticsNo: string, body: InspectionResultInput) =>
    request<Loose>('POST', `/api/customs/inspections/${encodeURIComponent(logisticsNo)}/results`, body),
  addPhoto: (inspectionId: string, file: File) => {
    const form = new FormData();
    form.append('photo', file, file.name);
    return request<Loose>('POST', `/api/customs/inspection-results/${inspectionId}/photos`, form);
  },
};
