import type {
  HoldsByAge,
  StatisticsDashboard,
  StatisticsFilter,
  StatisticsGroup,
  StatisticsTable,
} from '@wms/contracts';
import { exportTable, qs, request } from '../../api.js';

/** The statistics routes (server/src/modules/statistics): reads only, every figure from the rollups. */
export const statisticsApi = {
  dashboard: (f: StatisticsFilter) => request<StatisticsDashboard>('GET', `/api/customs/statistics/dashboard${qs(f)}`),
  table: (f: StatisticsFilter, groupBy: StatisticsGroup) =>
    request<StatisticsTable>('GET', `/api/customs/statistics/table${qs({ ...f, groupBy, limit: 1000 })}`),
  holds: (f: Omit<StatisticsFilter, 'from' | 'to'>) =>
    request<HoldsByAge>('GET', `/api/customs/statistics/holds${qs(f)}`),
  export: (
    f: StatisticsFilter,
    table: 'summary' | 'grades' | 'holds',
    groupBy: StatisticsGroup,
    format: 'csv' | 'xlsx',
  ) =>
    exportTable(
      '/api/customs/statistics/export',
      { ...f, table, groupBy, limit: 5000 },
      format,
      `statistics-${table === 'summary' ? groupBy : table}-${f.from}-${f.to}`,
    ),
};
