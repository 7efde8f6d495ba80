import type { RiskRuleName } from '@wms/contracts';

/** What a rule concludes: one warning about one subject, with its reason and its evidence. */
export interface WarningDraft {
  rule: RiskRuleName;
  subjectKind: 'parcel' | 'buyer' | 'consignee' | 'payer' | 'sensor';
  subjectId: string;
  /** The parcel a hold would stop (null: nothing to hold, e.g. a sensor). */
  logisticsNo: string | null;
  severity: 'notice' | 'warning' | 'high';
  reason: string;
  evidence: Record<string, unknown>;
}
