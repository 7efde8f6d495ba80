/**
 * Ageing (issue 12): the age of a unit is the time since its lot arrived (stock_lot.arrived_at),
 * in whole days; the warehouse's band limits split ages into bands. Limits [30, 60, 90, 180]
 * make five bands: 0–29, 30–59, 60–89, 90–179 and 180+ (a limit starts its band). The same
 * counting as PostgreSQL's width_bucket(age, limits), which the repository groups by.
 */

export interface Band {
  label: string;
  fromDays: number;
  /** Exclusive; null for the last band. */
  toDays: number | null;
}

/** The bands of these limits (ascending, whole days, each > 0). */
export function bandsOf(limits: readonly number[]): Band[] {
  const starts = [0, ...limits];
  return starts.map((from, i) => {
    const to = i < limits.length ? limits[i] : null;
    return { label: to === null ? `${from}+` : `${from}–${to - 1}`, fromDays: from, toDays: to };
  });
}

/** Which band (0-based) an age in days falls in: how many limits it has reached. */
export function bandIndex(ageDays: number, limits: readonly number[]): number {
  let i = 0;
  while (i < limits.length && ageDays >= limits[i]) i++;
  return i;
}

/** Whole days from arrival to now (a lot that arrives "in the future" by clock skew is 0 days old). */
export function ageInDays(arrivedAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - arrivedAt.getTime()) / 86_400_000));
}

/** Whether a lot of this age raises its ageing alert at this warehouse. */
export const crossesAlert = (ageDays: number, alertDays: number) => ageDays >= alertDays;
