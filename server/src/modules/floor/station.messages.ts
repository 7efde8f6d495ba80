import type { Text } from './floor.messages.js';

const text =
  <P extends unknown[]>(en: (...p: P) => string, zh: (...p: P) => string) =>
  (...p: P): Text => ({ en: en(...p), zh: zh(...p) });

const kg = (grams: number) => (grams / 1000).toFixed(3);

/** What a station says, in English and Chinese (floor.messages.ts style). */
export const say = {
  noJob: text(
    () => 'no job set on this station: choose one on the station screen',
    () => '此工位未设置作业：请在工位屏幕上选择作业',
  ),
  chooseJob: text(
    () => 'choose the job on the station screen, then scan again',
    () => '请在工位屏幕上选择作业后重新扫描',
  ),
  // pack bench
  scanParcel: text(
    () => 'scan the parcel’s waybill barcode',
    () => '请扫描包裹的运单条码',
  ),
  notAParcel: text(
    () => 'this is not a waybill number: the packing bench takes parcels',
    () => '这不是运单号：打包台只处理包裹',
  ),
  packed: text(
    (no: string, units: number) => `parcel ${no} packed (${units} unit(s))`,
    (no: string, units: number) => `包裹 ${no} 已打包（${units} 件）`,
  ),
  alreadyPacked: text(
    (no: string) => `parcel ${no} is packed`,
    (no: string) => `包裹 ${no} 已打包`,
  ),
  cannotPack: text(
    (why: string) => why,
    (why: string) => `无法打包：${why}`,
  ),
  putOnScale: text(
    () => 'put it on the scale',
    () => '请放上电子秤',
  ),
  weighedLabelled: text(
    (no: string, grams: number, sscc: string) => `parcel ${no}: ${kg(grams)} kg, label ${sscc} printed`,
    (no: string, grams: number, sscc: string) => `包裹 ${no}：${kg(grams)} 千克，已打印面单 ${sscc}`,
  ),
  weighedLabelFailed: text(
    (no: string, grams: number, why: string) => `parcel ${no}: ${kg(grams)} kg, but the label did not print: ${why}`,
    (no: string, grams: number, why: string) => `包裹 ${no}：${kg(grams)} 千克，但面单未打印：${why}`,
  ),
  reprintFromScreen: text(
    () => 'fix the printer, then reprint the label from the station screen',
    () => '请排除打印机故障后在工位屏幕上补打面单',
  ),
  weightHeld: text(
    (no: string, why: string) => `parcel ${no} is held: ${why}`,
    (no: string, why: string) => `包裹 ${no} 已暂扣：${why}`,
  ),
  toReview: text(
    () => 'put the parcel on the review shelf for a supervisor',
    () => '请将包裹放到复核架，交主管处理',
  ),
  alreadyWeighed: text(
    (no: string) => `parcel ${no} was already weighed`,
    (no: string) => `包裹 ${no} 已称重`,
  ),
  weightNoted: text(
    (grams: number) => `weight ${kg(grams)} kg noted: no parcel waiting for a weight`,
    (grams: number) => `已记录重量 ${kg(grams)} 千克：没有等待称重的包裹`,
  ),
  weightNotForJob: text(
    (grams: number, job: string) => `weight ${kg(grams)} kg noted: the station’s job (${job}) does not weigh`,
    (grams: number, job: string) => `已记录重量 ${kg(grams)} 千克：本工位作业（${job}）不称重`,
  ),
  nextParcel: text(
    () => 'scan the next parcel',
    () => '请扫描下一个包裹',
  ),
  weighFailed: text(
    (why: string) => why,
    (why: string) => `称重失败：${why}`,
  ),
  // gate
  gatePassed: text(
    (no: string, pass: string) => `parcel ${no} passed the gate (${pass})`,
    (no: string, pass: string) => `包裹 ${no} 已过卡口（${pass}）`,
  ),
  gateUnitWithTrip: text(
    () => 'bags and pallets leave with their vehicle trip: depart the trip at the weighbridge',
    () => '袋和托盘随车次出区：请在地磅处办理车次出区',
  ),
  gateRefusedNext: text(
    () => 'keep the parcel inside and take it where the reason says',
    () => '包裹不得出区，请按原因处理',
  ),
};
