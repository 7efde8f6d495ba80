import { SITE_TIME_ZONE, siteTime } from '../../platform/time/site-time.js';

/**
 * A parcel past the gate is closed to every floor operation (issue 11): a station scan, a weighing,
 * a label print or reprint, packing and loading all answer "already shipped at <local time>,
 * trip <no>" instead of acting on goods that are no longer here. (Only the returns desk takes a
 * shipped parcel, when customs approved its return: that is the way back in, DOMAIN.md §4 CEB625.)
 */

export interface ShipmentFacts {
  logisticsNo: string;
  gatePassedAt: Date | string | null;
  gatePassNo: string | null;
}

/** Why nothing more may be done to a parcel that left, or null while it is inside. */
export function shippedRefusal(
  parcel: ShipmentFacts,
  tripNo: string | null,
  timeZone = SITE_TIME_ZONE,
): { en: string; zh: string } | null {
  if (!parcel.gatePassedAt) return null;
  const at = siteTime(parcel.gatePassedAt, timeZone);
  const how = tripNo ? `trip ${tripNo}` : `on its own, gate pass ${parcel.gatePassNo ?? '—'}`;
  const howZh = tripNo ? `车次 ${tripNo}` : `单独出区，核放单 ${parcel.gatePassNo ?? '—'}`;
  return {
    en: `parcel ${parcel.logisticsNo} already shipped at ${at}, ${how}: nothing more is done to it here; set it aside and tell the supervisor`,
    zh: `包裹 ${parcel.logisticsNo} 已于 ${at} 出区，${howZh}：不能再作业，请放到一边并告知主管`,
  };
}
