/** What a worker reads about a bag or pallet label, in English and Chinese (as floor.messages.ts). */
export interface Text {
  en: string;
  zh: string;
}

const kindEn = (kind: 'bag' | 'pallet') => kind;
const kindZh = (kind: 'bag' | 'pallet') => (kind === 'pallet' ? '托盘' : '袋');

export const sayUnitLabel = {
  printed: (kind: 'bag' | 'pallet', sscc: string, deviceId: string): Text => ({
    en: `label of ${kindEn(kind)} ${sscc} printed on ${deviceId}: stick it on`,
    zh: `${kindZh(kind)} ${sscc} 的标签已在 ${deviceId} 打印：请贴上`,
  }),
  sent: (kind: 'bag' | 'pallet', sscc: string, deviceId: string): Text => ({
    en: `label of ${kindEn(kind)} ${sscc} sent to ${deviceId}, not yet confirmed by the printer`,
    zh: `${kindZh(kind)} ${sscc} 的标签已发送到 ${deviceId}，打印机尚未确认`,
  }),
  notPrinted: (kind: 'bag' | 'pallet', sscc: string, deviceId: string, reason: string | null): Text => ({
    en: `label of ${kindEn(kind)} ${sscc} did not print on ${deviceId}${reason ? `: ${reason}` : ''}; fix the printer and reprint it`,
    zh: `${kindZh(kind)} ${sscc} 的标签未能在 ${deviceId} 打印${reason ? `：${reason}` : ''}；请处理打印机后补打`,
  }),
};
