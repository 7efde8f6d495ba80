/**
 * What the floor hears and reads, in English and Chinese. Every answer to a scan carries both, so
 * a handheld shows the worker's language whatever its settings, and an API client gets English.
 */
export interface Text {
  en: string;
  zh: string;
}

const text =
  <P extends unknown[]>(en: (...p: P) => string, zh: (...p: P) => string) =>
  (...p: P): Text => ({
    en: en(...p),
    zh: zh(...p),
  });

const batchEn = (batch: string | null | undefined) => (batch ? ` batch ${batch}` : '');
const batchZh = (batch: string | null | undefined) => (batch ? ` 批次 ${batch}` : '');

export const say = {
  // any operation
  unreadable: text(
    (reason: string) => reason,
    (reason: string) => `无法识别的条码：${reason}`,
  ),
  scanAgain: text(
    () => 'scan again, or type the code',
    () => '请重新扫描，或手工输入条码',
  ),
  unknownBarcode: text(
    (code: string) => `unknown barcode ${code}`,
    (code: string) => `未知条码 ${code}`,
  ),
  // receive
  noDelivery: text(
    () => 'no delivery chosen',
    () => '未选择到货单',
  ),
  chooseDelivery: text(
    () => 'choose the delivery you are receiving, then scan',
    () => '请先选择正在收货的到货单，再扫描',
  ),
  deliveryUnknown: text(
    (no: string) => `delivery ${no} is not expected`,
    (no: string) => `到货单 ${no} 不在预约中`,
  ),
  checkPaperwork: text(
    () => 'check the delivery number on the paperwork',
    () => '请核对单据上的到货单号',
  ),
  deliveryOtherWarehouse: text(
    (no: string, wh: string) => `delivery ${no} is for warehouse ${wh}`,
    (no: string, wh: string) => `到货单 ${no} 属于仓库 ${wh}`,
  ),
  chooseDeliveryHere: text(
    () => 'choose a delivery of this warehouse',
    () => '请选择本仓库的到货单',
  ),
  deliveryNotOpen: text(
    (no: string, status: string) => `delivery ${no} is ${status}: counting is over`,
    (no: string, status: string) => `到货单 ${no} 已${status === 'closed' ? '关闭' : '挂起'}：清点已结束`,
  ),
  chooseOpenDelivery: text(
    () => 'choose an open delivery',
    () => '请选择未结束的到货单',
  ),
  pallet: text(
    (sscc: string) => `pallet ${sscc}`,
    (sscc: string) => `托盘 ${sscc}`,
  ),
  scanCartons: text(
    () => 'scan the cartons or goods on it',
    () => '请扫描托盘上的箱或商品',
  ),
  notGoodsOf: text(
    (code: string, owner: string) => `unknown barcode ${code}: not goods of ${owner}`,
    (code: string, owner: string) => `未知条码 ${code}：不是货主 ${owner} 的商品`,
  ),
  setAsideNext: text(
    () => 'set it aside for the supervisor and scan the next item',
    () => '请放到一边交给主管，继续扫描下一件',
  ),
  unexpected: text(
    (sku: string, no: string) => `${sku} is not on delivery ${no}: counted as unexpected, it will be held`,
    (sku: string, no: string) => `${sku} 不在到货单 ${no} 上：已记为计划外货物，将被扣留`,
  ),
  toQuarantine: text(
    () => 'put it on the quarantine pallet and scan the next item',
    () => '请放到隔离托盘上，继续扫描下一件',
  ),
  damaged: text(
    (qty: number, sku: string) => `${qty} × ${sku} damaged: recorded`,
    (qty: number, sku: string) => `${qty} 件 ${sku} 破损：已记录`,
  ),
  toDamaged: text(
    () => 'put it on the damaged pallet and scan the next item',
    () => '请放到破损托盘上，继续扫描下一件',
  ),
  over: text(
    (sku: string, counted: number, expected: number) =>
      `${sku}: ${counted} counted, ${expected} expected — over by ${counted - expected}`,
    (sku: string, counted: number, expected: number) =>
      `${sku}：已点 ${counted}，应到 ${expected}，多到 ${counted - expected}`,
  ),
  batchMismatch: text(
    (batch: string, expected: string) =>
      `batch ${batch || '(none)'} is not the expected ${expected || '(none)'}: counted as a difference`,
    (batch: string, expected: string) => `批次 ${batch || '（无）'} 不是应到批次 ${expected || '（无）'}：已记为差异`,
  ),
  expiryMismatch: text(
    (expiry: string, expected: string) => `expiry ${expiry} is not the expected ${expected}: counted as a difference`,
    (expiry: string, expected: string) => `有效期 ${expiry} 不是应到的 ${expected}：已记为差异`,
  ),
  counted: text(
    (sku: string, counted: number, expected: number) => `${sku}: ${counted} of ${expected}`,
    (sku: string, counted: number, expected: number) => `${sku}：${counted} / ${expected}`,
  ),
  scanNextItem: text(
    () => 'scan the next item',
    () => '请扫描下一件',
  ),
  // put-away
  location: text(
    (code: string) => `location ${code}`,
    (code: string) => `库位 ${code}`,
  ),
  scanGoodsForHere: text(
    () => 'scan the goods to put here',
    () => '请扫描要放入此库位的商品',
  ),
  neitherLocationNorGoods: text(
    (code: string, wh: string) => `unknown barcode ${code}: neither a location of ${wh} nor goods`,
    (code: string, wh: string) => `未知条码 ${code}：既不是 ${wh} 的库位，也不是商品`,
  ),
  scanLocationOrGoods: text(
    () => 'scan a location or goods',
    () => '请扫描库位或商品',
  ),
  nothingWaiting: text(
    (sku: string, batch: string | null) => `no ${sku}${batchEn(batch)} is waiting at a dock to be put away`,
    (sku: string, batch: string | null) => `月台上没有待上架的 ${sku}${batchZh(batch)}`,
  ),
  scanFromDock: text(
    () => 'scan goods from the dock',
    () => '请扫描月台上的商品',
  ),
  takenFrom: text(
    (qty: number, sku: string, batch: string, from: string) => `${qty} × ${sku}${batchEn(batch)} from ${from}`,
    (qty: number, sku: string, batch: string, from: string) => `${qty} 件 ${sku}${batchZh(batch)}，来自 ${from}`,
  ),
  putItIn: text(
    (suggestion: string) => `put it in ${suggestion} and scan the location`,
    (suggestion: string) => `请放入 ${suggestion} 并扫描库位`,
  ),
  scanWhereYouPut: text(
    () => 'scan the location you put it in',
    () => '请扫描放入的库位',
  ),
  notStorage: text(
    (code: string, purpose: string) =>
      `location ${code} is a ${purpose} location, not storage: scan a storage location`,
    (code: string, purpose: string) =>
      `库位 ${code} 是${purpose === 'dock' ? '月台' : purpose === 'pack' ? '打包' : '暂存'}位，不是存储位：请扫描存储库位`,
  ),
  inspectionArea: text(
    (code: string) =>
      `location ${code} is in the inspection area: it takes only parcels customs selected (500) or held, not stock`,
    (code: string) => `库位 ${code} 在查验区：只接收海关布控查验（500）或扣留的包裹，不放库存`,
  ),
  returnsArea: text(
    (code: string) => `location ${code} is in the returns area: returned goods come in through the returns flow`,
    (code: string) => `库位 ${code} 在退货区：退货商品须走退货流程入库`,
  ),
  bondedIntoFree: text(
    (sku: string, code: string) =>
      `bonded goods (${sku}) cannot go into the non-bonded zone (${code}): choose a bonded location`,
    (sku: string, code: string) => `保税货物（${sku}）不能放入非保税区（${code}）：请选择保税库位`,
  ),
  freeIntoBonded: text(
    (sku: string, code: string) => `${sku} is not bonded stock: it may not be mixed into the bonded zone (${code})`,
    (sku: string, code: string) => `${sku} 不是保税库存：不得混放入保税区（${code}）`,
  ),
  scanRightZone: text(
    () => 'scan a location of the right zone',
    () => '请扫描正确库区的库位',
  ),
  moreThanWaiting: text(
    (qty: number, sku: string, batch: string, waiting: number, from: string) =>
      `${qty} × ${sku}${batchEn(batch)} asked, only ${waiting} waiting at ${from}`,
    (qty: number, sku: string, batch: string, waiting: number, from: string) =>
      `要上架 ${qty} 件 ${sku}${batchZh(batch)}，${from} 只有 ${waiting} 件待上架`,
  ),
  fewerOrCount: text(
    () => 'enter at most what is waiting, or count again',
    () => '请输入不超过待上架的数量，或重新清点',
  ),
  onlyLeft: text(
    (qty: string, sku: string, from: string) => `only ${qty} × ${sku} left at ${from}`,
    (qty: string, sku: string, from: string) => `${from} 只剩 ${qty} 件 ${sku}`,
  ),
  scanGoodsAgain: text(
    () => 'scan the goods again',
    () => '请重新扫描商品',
  ),
  putIn: text(
    (qty: number, sku: string, to: string) => `${qty} × ${sku} put in ${to}`,
    (qty: number, sku: string, to: string) => `${qty} 件 ${sku} 已放入 ${to}`,
  ),
  scanNextGoodsOrLocation: text(
    () => 'scan the next goods or location',
    () => '请扫描下一件商品或库位',
  ),
  // pick
  nothingToPick: text(
    (bin: string) => `nothing to pick at ${bin}`,
    (bin: string) => `${bin} 没有拣货任务`,
  ),
  nextBin: text(
    () => 'go to the next bin on your list',
    () => '请去拣货单上的下一个库位',
  ),
  binTasks: text(
    (bin: string, tasks: Array<{ left: number; sku: string }>) =>
      `bin ${bin}: pick ${tasks.map((o) => `${o.left} × ${o.sku}`).join(', ')}`,
    (bin: string, tasks: Array<{ left: number; sku: string }>) =>
      `库位 ${bin}：拣 ${tasks.map((o) => `${o.left} 件 ${o.sku}`).join('，')}`,
  ),
  scanEachItem: text(
    () => 'scan each item as you take it',
    () => '每取一件扫描一次',
  ),
  binFirst: text(
    () => 'scan the bin first',
    () => '请先扫描库位',
  ),
  scanTheBin: text(
    () => 'scan the bin you are picking from',
    () => '请扫描你正在拣货的库位',
  ),
  notFromThisBin: text(
    (sku: string, bin: string) => `${sku} is not to be picked from ${bin}`,
    (sku: string, bin: string) => `${sku} 不应从 ${bin} 拣取`,
  ),
  putBack: text(
    () => 'put it back and scan the item on your list',
    () => '请放回，扫描拣货单上的商品',
  ),
  binEmpty: text(
    (bin: string, sku: string) => `bin ${bin} is empty of ${sku}: report a short pick`,
    (bin: string, sku: string) => `库位 ${bin} 已没有 ${sku}：请报告缺拣`,
  ),
  reportShort: text(
    () => 'report the short pick to the supervisor',
    () => '请向主管报告缺拣',
  ),
  intoParcel: text(
    (qty: number, sku: string, parcel: string) => `${qty} × ${sku} into parcel ${parcel}`,
    (qty: number, sku: string, parcel: string) => `${qty} 件 ${sku} 已放入包裹 ${parcel}`,
  ),
  moreForParcel: text(
    (left: number) => `${left} more for this parcel: scan the next item`,
    (left: number) => `此包裹还差 ${left} 件：请扫描下一件`,
  ),
  parcelComplete: text(
    (parcel: string) => `parcel ${parcel} is complete: take it to packing`,
    (parcel: string) => `包裹 ${parcel} 已拣齐：请送到打包台`,
  ),
  // stock-take
  noStocktake: text(
    () => 'no stock-take chosen',
    () => '未选择盘点单',
  ),
  chooseStocktake: text(
    () => 'choose the stock-take you are counting',
    () => '请选择正在进行的盘点单',
  ),
  stocktakeUnknown: text(
    (no: string) => `stock-take ${no} is not known here`,
    (no: string) => `本仓库没有盘点单 ${no}`,
  ),
  stocktakeClosed: text(
    (no: string) => `stock-take ${no} is closed`,
    (no: string) => `盘点单 ${no} 已关闭`,
  ),
  chooseOpenStocktake: text(
    () => 'choose an open stock-take',
    () => '请选择未关闭的盘点单',
  ),
  counting: text(
    (loc: string) => `counting ${loc}`,
    (loc: string) => `正在盘点 ${loc}`,
  ),
  scanEveryItem: text(
    () => 'scan every item in it, one by one',
    () => '请逐件扫描库位内所有商品',
  ),
  notInStocktake: text(
    (loc: string, no: string) => `location ${loc} is not part of stock-take ${no}`,
    (loc: string, no: string) => `库位 ${loc} 不在盘点单 ${no} 中`,
  ),
  scanLocationOfCount: text(
    () => 'scan a location of this count',
    () => '请扫描本次盘点的库位',
  ),
  locationFirst: text(
    () => 'scan the location first',
    () => '请先扫描库位',
  ),
  scanCountedLocation: text(
    () => 'scan the location you are counting',
    () => '请扫描正在盘点的库位',
  ),
  tellSupervisor: text(
    () => 'set it aside and tell the supervisor',
    () => '请放到一边并告知主管',
  ),
  countedIn: text(
    (qty: number, sku: string, loc: string) => `${qty} × ${sku} counted in ${loc}`,
    (qty: number, sku: string, loc: string) => `${loc} 已盘 ${qty} 件 ${sku}`,
  ),
  scanNextOrLocation: text(
    () => 'scan the next item, or the next location',
    () => '请扫描下一件商品，或下一个库位',
  ),
  // load
  unit: text(
    (kind: string, sscc: string, parcels: number) => `${kind} ${sscc}: ${parcels} parcel(s)`,
    (kind: string, sscc: string, parcels: number) => `${kind === 'pallet' ? '托盘' : '袋'} ${sscc}：${parcels} 个包裹`,
  ),
  unitLoaded: text(
    (sscc: string, trip: string) => `${sscc} loaded on vehicle trip ${trip}`,
    (sscc: string, trip: string) => `${sscc} 已装上车次 ${trip}`,
  ),
  unitOnOtherTrip: text(
    (sscc: string, trip: string) => `${sscc} is already on vehicle trip ${trip}`,
    (sscc: string, trip: string) => `${sscc} 已装在车次 ${trip} 上`,
  ),
  unitDeparted: text(
    (sscc: string) => `${sscc} has already left`,
    (sscc: string) => `${sscc} 已离场`,
  ),
  unitUnknown: text(
    (sscc: string) => `${sscc} is not a bag or pallet of this warehouse`,
    (sscc: string) => `${sscc} 不是本仓库的袋或托盘`,
  ),
  tripNotLoading: text(
    (trip: string) => `vehicle trip ${trip} is not loading`,
    (trip: string) => `车次 ${trip} 不在装车中`,
  ),
  scanParcelsInto: text(
    () => 'scan the parcels going into it',
    () => '请扫描装入的包裹',
  ),
  scanNextUnit: text(
    () => 'scan the next bag or pallet',
    () => '请扫描下一个袋或托盘',
  ),
  unitFirst: text(
    () => 'scan the bag or pallet first',
    () => '请先扫描袋或托盘',
  ),
  scanUnitLabel: text(
    () => 'scan the SSCC label of the bag or pallet you are filling',
    () => '请扫描正在装的袋或托盘的 SSCC 标签',
  ),
  cannotLoad: text(
    (reason: string) => `cannot be loaded: ${reason}`,
    (reason: string) => `不能装车：${reason}`,
  ),
  setAsideParcel: text(
    () => 'set the parcel aside as the reason says',
    () => '请按原因把包裹放到指定区域',
  ),
  parcelIntoUnit: text(
    (parcel: string, sscc: string, count: number) => `parcel ${parcel} into ${sscc} (${count} in it)`,
    (parcel: string, sscc: string, count: number) => `包裹 ${parcel} 已装入 ${sscc}（共 ${count} 个）`,
  ),
  parcelInOtherUnit: text(
    (parcel: string, sscc: string) => `parcel ${parcel} is already in ${sscc}`,
    (parcel: string, sscc: string) => `包裹 ${parcel} 已在 ${sscc} 中`,
  ),
  scanNextParcel: text(
    () => 'scan the next parcel',
    () => '请扫描下一个包裹',
  ),
  parcelUnknown: text(
    (parcel: string) => `parcel ${parcel} is unknown: no declared list names it`,
    (parcel: string) => `包裹 ${parcel} 未知：没有申报清单`,
  ),
  toExceptions: text(
    () => 'take it to the exceptions desk',
    () => '请送到异常处理台',
  ),
  // returns
  returnUnknown: text(
    (parcel: string) => `no customs return (CEB625) is declared for parcel ${parcel}`,
    (parcel: string) => `包裹 ${parcel} 没有申报退货单（CEB625）`,
  ),
  keepInReturns: text(
    () => 'keep it in the returns area and tell the supervisor',
    () => '请放在退货区并告知主管',
  ),
  returnNotApproved: text(
    (returnNo: string, status: string) => `return ${returnNo} is not approved by customs yet (status ${status})`,
    (returnNo: string, status: string) => `退货单 ${returnNo} 海关尚未审核通过（状态 ${status}）`,
  ),
  waitForCustoms: text(
    () => 'keep it in the returns area until customs approves (CEB626 399 or 800)',
    () => '请放在退货区，等待海关审核通过（CEB626 399 或 800）',
  ),
  returnReceived: text(
    (returnNo: string) => `return ${returnNo} already received`,
    (returnNo: string) => `退货单 ${returnNo} 已入库`,
  ),
  returnParcel: text(
    (parcel: string, returnNo: string, units: number) =>
      `returned parcel ${parcel} (${returnNo}, ${units} unit(s)) approved`,
    (parcel: string, returnNo: string, units: number) => `退货包裹 ${parcel}（${returnNo}，${units} 件）已获批`,
  ),
  scanRestockLocation: text(
    () => 'inspect it, then scan a bonded or returns location to restock, or a quarantine location',
    () => '请查验后扫描保税区或退货区库位上架，或扫描隔离区库位',
  ),
  scanParcelFirst: text(
    () => 'scan the returned parcel first',
    () => '请先扫描退货包裹',
  ),
  restocked: text(
    (units: number, location: string, returnNo: string) =>
      `${units} unit(s) back in ${location} under return ${returnNo}`,
    (units: number, location: string, returnNo: string) => `${units} 件已按退货单 ${returnNo} 放回 ${location}`,
  ),
  scanNextReturn: text(
    () => 'scan the next returned parcel',
    () => '请扫描下一个退货包裹',
  ),
  // inspection
  inspectionArrived: text(
    (parcel: string) => `parcel ${parcel} is in the inspection area: customs is told`,
    (parcel: string) => `包裹 ${parcel} 已到查验区：已通知海关`,
  ),
  waitForInspection: text(
    () => 'leave it for the customs officer; it moves on when customs releases or detains it',
    () => '请交给海关关员，海关放行或扣留后再处理',
  ),
  notForInspection: text(
    (parcel: string, status: string) => `parcel ${parcel} is not selected for inspection (customs status ${status})`,
    (parcel: string, status: string) => `包裹 ${parcel} 未被布控查验（海关状态 ${status}）`,
  ),
  backToFlow: text(
    () => 'take it back to packing or the gate',
    () => '请送回打包台或卡口',
  ),
};
