import type { InspectionRatesAnswer } from '@wms/contracts';
import { exportTable, qs, request } from '../../api.js';

/** The credit area's calls: actual against configured inspection rates (read only; grades and rates are set by the centre's admins). */
export interface RatesFilter {
  from?: string;
  to?: string;
  warehouseCode?: string;
}

const PATH = '/api/customs/inspection-rates';

export const creditApi = {
  rates: (f: RatesFilter) => request<InspectionRatesAnswer>('GET', `${PATH}${qs({ ...f })}`),
  exportRates: (f: RatesFilter, format: 'csv' | 'xlsx') =>
    exportTable(`${PATH}/export`, { ...f }, format, `inspection-rates-${f.from ?? ''}-${f.to ?? ''}`),
};
