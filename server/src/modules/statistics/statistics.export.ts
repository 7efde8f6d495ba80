import type { CreditGradeTable, HoldsByAge, StatisticsRow, StatisticsTable } from '@wms/contracts';
import type { ExportColumn } from '../../platform/http/table-export.js';

/** A statistics table as a file: the columns of the table on screen, every row (no totals line, so rows re-add). */
export interface ExportTable<Row> {
  name: string;
  columns: Array<ExportColumn<Row>>;
  rows: Row[];
}

const MEASURES = [
  'lists',
  'parcels',
  'value',
  'weightGrams',
  'tax',
  'qty',
  'released',
  'releaseRate',
  'rejected',
  'rejectionRate',
  'inspected',
  'inspectionRate',
  'releaseP50Seconds',
  'releaseP90Seconds',
] as const;
/** Money and quantities (decimal text) go into XLSX as numbers so a spreadsheet sums them; CSV keeps the digits. */
const DECIMAL = new Set<string>(['value', 'tax', 'qty']);

export function summaryExport(table: StatisticsTable, format: 'csv' | 'xlsx'): ExportTable<StatisticsRow> {
  return {
    name: `statistics-by-${table.groupBy}-${table.filter.from}-${table.filter.to}`,
    columns: [
      { header: table.groupBy, value: (r) => r.key, width: 14 },
      { header: 'label', value: (r) => r.label, width: 20 },
      ...MEASURES.map(
        (m): ExportColumn<StatisticsRow> => ({
          header: m,
          value: (r) => (format === 'xlsx' && DECIMAL.has(m) ? Number(r[m]) : r[m]),
          width: Math.max(10, m.length + 2),
        }),
      ),
    ],
    rows: table.rows,
  };
}

type GradeRow = CreditGradeTable['rows'][number];
export function gradesExport(table: CreditGradeTable): ExportTable<GradeRow> {
  return {
    name: `inspection-by-credit-grade-${table.filter.from}-${table.filter.to}`,
    columns: [
      { header: 'grade', value: (r) => r.grade, width: 22 },
      { header: 'enterprises', value: (r) => r.enterprises },
      { header: 'lists', value: (r) => r.lists },
      { header: 'inspected', value: (r) => r.inspected },
      { header: 'inspectionRate', value: (r) => r.inspectionRate },
    ],
    rows: table.rows,
  };
}

type HoldRow = HoldsByAge['rows'][number];
export function holdsExport(holds: HoldsByAge): ExportTable<HoldRow> {
  return {
    name: 'holds-by-age',
    columns: [
      { header: 'band', value: (r) => r.band },
      { header: 'customs', value: (r) => r.customs },
      { header: 'weightCheck', value: (r) => r.weightCheck },
      { header: 'total', value: (r) => r.total },
    ],
    rows: holds.rows,
  };
}
