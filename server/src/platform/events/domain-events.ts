import { EventEmitter } from 'node:events';
import { Injectable, Logger } from '@nestjs/common';
import type {
  AgentPresenceMessage,
  CustomsChange,
  DeviceStatusMessage,
  ScanRecordedMessage,
  SellerChange,
  StationAnswer,
  StationJobChanged,
  TemperatureRecordedMessage,
  WeightRecordedMessage,
} from '@wms/contracts';

/** Every domain event, named `<aggregate>.<pastVerb>` (STYLE.md), with its payload type. */
export interface DomainEventMap {
  'scan.recorded': ScanRecordedMessage;
  'weight.recorded': WeightRecordedMessage;
  /** A cold-chain probe's reading was stored (issue 13): the risk evaluator looks for excursions. */
  'temperature.recorded': TemperatureRecordedMessage;
  'device.statusChanged': DeviceStatusMessage;
  'agent.presenceChanged': AgentPresenceMessage;
  'import.progressed': { jobId: string; state: 'running' | 'done'; processed: number; total: number };
  'parcel.customsStatusChanged': {
    copNo: string;
    logisticsNo: string;
    orderNo: string;
    status: number;
    statusInfo: string | null;
    requiredAction: string;
  };
  'parcel.gatePassed': { logisticsNo: string; gatePassNo: string; at: string };
  'parcel.holdChanged': { logisticsNo: string; held: boolean; reason: string | null; by: string };
  /** Sign-in sessions ended (signed out, user disabled, refresh token reused): their sockets close. */
  'session.revoked': { userId: string; sessionIds: string[]; reason: string };
  /** A station's job was set or changed (issue 11): its room hears it. */
  'station.jobChanged': StationJobChanged;
  /** The floor acted on a station device's scan or weight, after its commit: the answer goes to the station and the device. */
  'station.answered': StationAnswer;
  /** A floor scan was done (outcome ok) and committed, whatever the operation: the stock may have moved. */
  'floor.scanned': { warehouseCode: string; operation: string; stationId: string; at: string };
  /** Ledger movements outside a scan (a bonded entry, a delivery's close) were committed. */
  'stock.moved': { warehouseCode: string; docType: string; docNo: string; at: string };
  /** A stock-take was closed against the ledger (its differences wait for customs). */
  'stocktake.closed': { warehouseCode: string; stocktakeNo: string; differences: number; at: string };
  /** A seller's shipment, order, return, stock, alert or import changed: its own sockets hear it (issue 12). */
  'seller.changed': SellerChange;
  /** An enterprise's customs credit grade or the inspection rates changed (issue 13): selectors reload them. */
  'credit.changed': { kind: 'grade' | 'rates'; enterpriseCode?: string };
  /** Something the customs officer's console shows changed (issue 13): the customs room hears it. */
  'customs.changed': CustomsChange;
  /** An RMA with an exchange has had its goods received: the replacement order is due (issue 12). */
  'return.exchangeDue': {
    sellerCode: string;
    rmaNo: string;
    warehouseCode: string;
    shipTo: Record<string, unknown>;
    lines: Array<{ sku: string; qty: number }>;
  };
}

/** In-process domain events after commit; the realtime module turns them into socket.io messages. */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter({ captureRejections: true });
  private readonly logger = new Logger('events');

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emit<K extends keyof DomainEventMap>(name: K, payload: DomainEventMap[K]): void {
    try {
      this.emitter.emit(name, payload);
    } catch (error) {
      this.logger.error({ msg: 'event listener failed', event: name, error: String(error) });
    }
  }

  on<K extends keyof DomainEventMap>(name: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    this.emitter.on(name, listener);
    return () => this.emitter.off(name, listener);
  }
}
