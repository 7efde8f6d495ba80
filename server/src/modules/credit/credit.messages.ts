import { CREDIT_GRADE_LABELS, type CreditGrade, percentOfPpm } from '@wms/contracts';
import type { Text } from '../floor/floor.messages.js';

/** What the floor says of a parcel pre-selected for inspection by credit grade, in English and Chinese. */
export const sayCredit = {
  preselected: (no: string, grade: CreditGrade, ratePpm: number): Text => ({
    en: `parcel ${no} is selected for inspection (credit grade ${CREDIT_GRADE_LABELS[grade].en}, rate ${percentOfPpm(ratePpm)}) and held`,
    zh: `包裹 ${no} 按企业信用等级（${CREDIT_GRADE_LABELS[grade].zh}，查验率 ${percentOfPpm(ratePpm)}）被选中查验，已暂扣`,
  }),
  toInspectionArea: (): Text => ({
    en: 'take it to the inspection area and scan it there',
    zh: '请送至查验区并在查验工位扫描',
  }),
};
