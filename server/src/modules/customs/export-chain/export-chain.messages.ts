/**
 * The heads and lines of the three reports of the 9610 export chain (reference/ceb-fields.txt:
 * cbe arrival, cbe wayBill, cbe departure), from what the site knows. Pure: the service feeds
 * them rows, ceb-writer.ts validates and writes them.
 */
export interface Site {
  /** The customs district of the supervised site (ArrivalHead/WayBillHead.customsCode). */
  customsCode: string;
  /** The supervised site code (loctNo). */
  loctNo: string;
  /** The site operator (监管场所经营人): the warehouse's operator enterprise. */
  operatorCode: string;
  operatorName: string;
}

export interface Carrier {
  logisticsCode: string;
  logisticsName: string;
}

export interface ParcelRef {
  logisticsNo: string;
  /** The bag or pallet it travels in (totalPackageNo). */
  sscc?: string | null;
  invtNo?: string | null;
  grossGrams?: number;
}

type Fields = Record<string, string>;
const oneMessage = { msgCount: '1', msgSeqNo: '1' };

/**
 * CEB507 arrival: the parcels scanned in at the supervised site. `trafMode` is how they came
 * (4 road by default), `domesticTrafNo` the truck that brought them, `billNo` may be empty
 * before a master waybill exists (the standard allows it).
 */
export function arrivalReport(
  input: { copNo: string; site: Site; carrier: Carrier; trafMode: string; domesticTrafNo?: string; billNo?: string },
  parcels: readonly ParcelRef[],
): { head: Fields; lines: Fields[] } {
  return {
    head: {
      customsCode: input.site.customsCode,
      copNo: input.copNo,
      operatorCode: input.site.operatorCode,
      operatorName: input.site.operatorName,
      loctNo: input.site.loctNo,
      ieFlag: 'E',
      trafMode: input.trafMode,
      ...(input.billNo ? { billNo: input.billNo } : {}),
      ...(input.domesticTrafNo ? { domesticTrafNo: input.domesticTrafNo } : {}),
      logisticsCode: input.carrier.logisticsCode,
      logisticsName: input.carrier.logisticsName,
      ...oneMessage,
    },
    lines: parcels.map((p, i) => ({
      gnum: String(i + 1),
      logisticsNo: p.logisticsNo,
      ...(p.sscc ? { totalPackageNo: p.sscc } : {}),
    })),
  };
}

export interface Voyage {
  /** Transport mode of the departure (5 air, 2 sea, 4 road, ...). */
  trafMode: string;
  /** The flight, vessel or vehicle (trafName). */
  trafName: string;
  voyageNo?: string;
  /** The master waybill / bill of lading grouping the parcels. */
  billNo: string;
}

/** Kilograms with at most 3 decimals, from grams (weights are integer grams, STYLE.md). */
export const kg = (grams: number) => (Math.round(grams) / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';

/** CEB607 master/sub waybill list: the master waybill and, per parcel, its bag, waybill and list. */
export function masterWaybill(
  input: {
    copNo: string;
    site: Site;
    carrier: Carrier;
    agent: { code: string; name: string };
    voyage: Voyage;
    plate?: string;
  },
  parcels: readonly ParcelRef[],
): { head: Fields; lines: Fields[] } {
  const grams = parcels.reduce((s, p) => s + (p.grossGrams ?? 0), 0);
  return {
    head: {
      customsCode: input.site.customsCode,
      copNo: input.copNo,
      agentCode: input.agent.code,
      agentName: input.agent.name,
      loctNo: input.site.loctNo,
      trafMode: input.voyage.trafMode,
      trafName: input.voyage.trafName,
      ...(input.voyage.voyageNo ? { voyageNo: input.voyage.voyageNo } : {}),
      billNo: input.voyage.billNo,
      ...(input.plate ? { domesticTrafNo: input.plate } : {}),
      grossWeight: kg(grams),
      logisticsCode: input.carrier.logisticsCode,
      logisticsName: input.carrier.logisticsName,
      ...oneMessage,
    },
    lines: parcels.map((p, i) => ({
      gnum: String(i + 1),
      totalPackageNo: p.sscc ?? '',
      logisticsNo: p.logisticsNo,
      invtNo: p.invtNo ?? '',
    })),
  };
}

/** CEB509 departure: the parcels of the master waybill left on this flight or vehicle. */
export function departureReport(
  input: { copNo: string; customsCode: string; carrier: Carrier; voyage: Voyage; leaveTime: string },
  parcels: readonly ParcelRef[],
): { head: Fields; lines: Fields[] } {
  return {
    head: {
      customsCode: input.customsCode,
      copNo: input.copNo,
      logisticsCode: input.carrier.logisticsCode,
      logisticsName: input.carrier.logisticsName,
      trafMode: input.voyage.trafMode,
      trafName: input.voyage.trafName,
      ...(input.voyage.voyageNo ? { voyageNo: input.voyage.voyageNo } : {}),
      billNo: input.voyage.billNo,
      leaveTime: input.leaveTime,
      ...oneMessage,
    },
    lines: parcels.map((p, i) => ({
      gnum: String(i + 1),
      ...(p.sscc ? { totalPackageNo: p.sscc } : {}),
      logisticsNo: p.logisticsNo,
    })),
  };
}
