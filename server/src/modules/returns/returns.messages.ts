import type { ReturnGrade } from '@wms/contracts';
import type { Text } from '../floor/floor.messages.js';

export type { Text };

/** What the returns desk of an overseas warehouse hears and reads, in English and Chinese. */
const text =
  <P extends unknown[]>(en: (...p: P) => string, zh: (...p: P) => string) =>
  (...p: P): Text => ({ en: en(...p), zh: zh(...p) });

const gradeZh: Record<ReturnGrade, string> = { sellable: '可售', unsellable: '不可售', destroy: '销毁' };
const gradeEn: Record<ReturnGrade, string> = {
  sellable: 'sellable (back to available)',
  unsellable: 'unsellable (unfulfillable)',
  destroy: 'destroyed',
};

export const tell = {
  scanRmaFirst: text(
    () => 'no return open: scan the RMA number first (or NEW-RETURN for goods that came without one)',
    () => '没有打开的退货单：请先扫描 RMA 号（无单退货请扫描 NEW-RETURN）',
  ),
  scanRma: text(
    () => 'scan the RMA number, or NEW-RETURN',
    () => '请扫描 RMA 号，或 NEW-RETURN',
  ),
  unknownCode: text(
    (code: string) => `${code} is neither an open RMA at this warehouse nor goods of its sellers`,
    (code: string) => `${code} 既不是本仓未完成的退货单，也不是本仓卖家的商品`,
  ),
  notGoods: text(
    () => 'a pallet or carton label is not a returned item: scan the item itself',
    () => '托盘或箱标签不是退货商品：请扫描商品本身',
  ),
  rmaOpened: text(
    (rma: string, seller: string, left: number, grade: ReturnGrade) =>
      `RMA ${rma} of ${seller}: ${left} unit(s) expected; grading ${gradeEn[grade]}`,
    (rma: string, seller: string, left: number, grade: ReturnGrade) =>
      `退货单 ${rma}（${seller}）：待收 ${left} 件；当前等级 ${gradeZh[grade]}`,
  ),
  unannouncedReady: text(
    () => 'return without RMA: scan the first item; its seller is found from the code',
    () => '无单退货：请扫描第一件商品，按条码确定卖家',
  ),
  scanGoods: text(
    () => 'scan each item (SELLABLE / UNSELLABLE / DESTROY changes the grade; DONE when finished)',
    () => '逐件扫描商品（扫描 SELLABLE / UNSELLABLE / DESTROY 改变等级；完成后扫描 DONE）',
  ),
  gradeSet: text(
    (grade: ReturnGrade, reason: string | null) => `grade: ${gradeEn[grade]}${reason ? ` — ${reason}` : ''}`,
    (grade: ReturnGrade, reason: string | null) => `等级：${gradeZh[grade]}${reason ? ` — ${reason}` : ''}`,
  ),
  chosen: text(
    (code: string) => `${code} chosen for the next code two sellers share`,
    (code: string) => `已选择 ${code}，用于多个卖家共用的条码`,
  ),
  scanAgainAfterChoice: text(
    () => 'scan the goods (or the RMA number) again',
    () => '请再次扫描商品（或 RMA 号）',
  ),
  twoSellers: text(
    (code: string, sellers: string[]) =>
      `${code} is used by ${sellers.join(' and ')}: scan SELLER:<code> on the desk card to choose, then scan it again`,
    (code: string, sellers: string[]) =>
      `${code} 被 ${sellers.join('、')} 共用：请扫描卡片上的 SELLER:<代码> 选择后再扫描`,
  ),
  chooseSeller: text(
    () => 'scan SELLER:<code> of the right seller',
    () => '请扫描正确卖家的 SELLER:<代码>',
  ),
  noSellerHere: text(
    (code: string) => `no seller of this warehouse has goods with the code ${code}: set the item apart for review`,
    (code: string) => `本仓没有卖家拥有条码 ${code} 的商品：请将该商品放到待查区`,
  ),
  setApart: text(
    () => 'set the item apart and scan the next one',
    () => '请将该商品放到一旁，扫描下一件',
  ),
  notOnRma: text(
    (sku: string, rma: string) => `${sku} is not on RMA ${rma}: set it apart, the seller must announce it`,
    (sku: string, rma: string) => `${sku} 不在退货单 ${rma} 上：请放到一旁，由卖家补登记`,
  ),
  notThisSeller: text(
    (code: string, rma: string) => `${code} is not goods of the seller of RMA ${rma}: set it apart`,
    (code: string, rma: string) => `${code} 不是退货单 ${rma} 卖家的商品：请放到一旁`,
  ),
  moreThanExpected: text(
    (sku: string, rma: string, expected: number, left: number) =>
      `RMA ${rma} expects ${expected} of ${sku} and ${left} remain to grade: set the extra apart`,
    (sku: string, rma: string, expected: number, left: number) =>
      `退货单 ${rma} 预计 ${sku} ${expected} 件，仅剩 ${left} 件待收：多出的请放到一旁`,
  ),
  rmaAlreadyReceived: text(
    (rma: string) => `RMA ${rma} is already received in full`,
    (rma: string) => `退货单 ${rma} 已全部收货`,
  ),
  rmaReceivedBefore: text(
    (rma: string) => `RMA ${rma} was received already: nothing more to grade on it`,
    (rma: string) => `退货单 ${rma} 已完成收货，无需再收`,
  ),
  twoRmas: text(
    (rma: string, sellers: string[]) =>
      `RMA ${rma} is a number ${sellers.join(' and ')} both use: scan SELLER:<code> to choose, then the RMA again`,
    (rma: string, sellers: string[]) =>
      `退货单号 ${rma} 被 ${sellers.join('、')} 共用：请扫描 SELLER:<代码> 选择后再扫描`,
  ),
  graded: text(
    (qty: number, sku: string, rma: string, grade: ReturnGrade, left: number | null) =>
      `${qty} × ${sku} graded ${gradeEn[grade]} on RMA ${rma}${left === null ? '' : `; ${left} unit(s) left`}`,
    (qty: number, sku: string, rma: string, grade: ReturnGrade, left: number | null) =>
      `${sku} ${qty} 件已按${gradeZh[grade]}收入退货单 ${rma}${left === null ? '' : `；剩余 ${left} 件`}`,
  ),
  rmaComplete: text(
    (rma: string, exchange: boolean) =>
      `RMA ${rma} received in full${exchange ? '; its replacement order is due' : ''}`,
    (rma: string, exchange: boolean) => `退货单 ${rma} 已全部收货${exchange ? '；换货订单待发' : ''}`,
  ),
  nextReturn: text(
    () => 'scan the next RMA number',
    () => '请扫描下一个 RMA 号',
  ),
  nothingOpen: text(
    () => 'no RMA open to finish',
    () => '没有可完成的退货单',
  ),
};
