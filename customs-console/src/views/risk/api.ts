import type { RiskWarning } from '@wms/contracts';
import { qs, request } from '../../api.js';

/** The risk area's calls: the warnings and the one write the console makes here, a hold. */
export interface WarningsPage {
  items: RiskWarning[];
  total: number;
  open: number;
}

export const riskApi = {
  warnings: (query: { status?: string; rule?: string; limit?: number }) =>
    request<WarningsPage>('GET', `/api/customs/warnings${qs(query)}`),
  hold: (id: string, reason: string) =>
    request<{ logisticsNo: string; held: true; reason: string }>('POST', `/api/customs/warnings/${id}/hold`, {
      reason,
    }),
};
