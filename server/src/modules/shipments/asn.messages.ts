import type { Text } from '../floor/floor.messages.js';

const text =
  <P extends unknown[]>(en: (...p: P) => string, zh: (...p: P) => string) =>
  (...p: P): Text => ({ en: en(...p), zh: zh(...p) });

/** What the overseas warehouse's floor hears when it receives against a seller's ASN (en and zh). */
export const sayAsn = {
  carton: text(
    (sscc: string, no: number, shipmentNo: string, contents: string) =>
      `carton ${no} (${sscc}) of shipment ${shipmentNo} arrived: ${contents}`,
    (sscc: string, no: number, shipmentNo: string, contents: string) =>
      `货件 ${shipmentNo} 第 ${no} 箱 (${sscc}) 已到：${contents}`,
  ),
  scanItems: text(
    () => 'scan the goods in it, one by one (scan DAMAGED before a damaged one)',
    () => '请逐件扫描箱内商品（破损件先扫 DAMAGED）',
  ),
  notACarton: text(
    (sscc: string, shipmentNo: string) => `SSCC ${sscc} is not a carton of shipment ${shipmentNo}`,
    (sscc: string, shipmentNo: string) => `SSCC ${sscc} 不是货件 ${shipmentNo} 的箱子`,
  ),
  checkLabel: text(
    () => 'check the box label and the shipment chosen; set the carton aside for the supervisor',
    () => '请核对箱标和所选货件；把箱子交给主管',
  ),
  damagedNext: text(
    () => 'the next item is counted as damaged',
    () => '下一件记为破损',
  ),
  scanDamaged: text(
    () => 'scan the damaged item',
    () => '请扫描破损商品',
  ),
  damagedRecorded: text(
    (qty: number, sku: string) => `${qty} × ${sku} damaged: recorded, a photo can be added to it`,
    (qty: number, sku: string) => `${qty} 件 ${sku} 破损：已记录，可补拍照片`,
  ),
  notReceivable: text(
    (shipmentNo: string, status: string) => `shipment ${shipmentNo} is ${status}: it is not being received`,
    (shipmentNo: string, status: string) => `货件 ${shipmentNo} 状态为 ${status}：不在收货中`,
  ),
  markArrived: text(
    () => 'mark the shipment arrived first (or choose the one at the dock)',
    () => '请先将货件标记为已到（或选择在月台的货件）',
  ),
};

/** The code a worker scans before a damaged item (a printed command barcode at the station). */
export const DAMAGED_COMMAND = /^(DAMAGED|DMG|破损)$/i;
