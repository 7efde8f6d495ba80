import { Injectable } from '@nestjs/common';
import type { StationAnswer, StationModeInput, StationState } from '@wms/contracts';
import type { AuthenticatedUser } from '../../platform/auth/roles.js';
import { DomainEvents } from '../../platform/events/domain-events.js';
import { AppError } from '../../platform/http/app-error.js';
import { MasterDataRepository, requireWarehouse } from '../masterdata/masterdata.repository.js';
import { LoadingService } from '../outbound/loading.service.js';
import { ReceivingService } from '../receiving/receiving.service.js';
import { StocktakeService } from '../storage/stocktake.service.js';
import { StationJobsRepository } from './station-jobs.repository.js';
import { StationScansListener } from './station-scans.listener.js';

/** How many of its last answers a station shows when its screen opens. */
export const LAST_ANSWERS = 20;

/** The station's job as server state (issue 11): set, shown, and every scan at the station done by it. */
@Injectable()
export class StationsService {
  constructor(
    private readonly jobs: StationJobsRepository,
    private readonly receiving: ReceivingService,
    private readonly stocktakes: StocktakeService,
    private readonly loading: LoadingService,
    private readonly masterData: MasterDataRepository,
    private readonly events: DomainEvents,
    private readonly listener: StationScansListener,
  ) {}

  async list(): Promise<StationState[]> {
    return this.jobs.stations();
  }

  async get(stationId: string): Promise<StationState & { lastAnswers: StationAnswer[] }> {
    const station = await this.jobs.station(stationId);
    if (!station) throw unknownStation(stationId);
    return { ...station, lastAnswers: await this.jobs.lastAnswers(stationId, LAST_ANSWERS) };
  }

  /**
   * Sets the station's job. Staff set a free station or their own; a supervisor changes any. The
   * job's context must be open in that warehouse: a receive needs the open delivery, a stock-take
   * the open count, a load (if it names one) the trip still loading.
   */
  async setMode(stationId: string, input: StationModeInput, user: AuthenticatedUser): Promise<StationState> {
    const current = await this.jobs.station(stationId);
    if (!current) throw unknownStation(stationId);
    if (current.operator && current.operator !== user.username && !user.roles.includes('supervisor'))
      throw new AppError(
        'FORBIDDEN',
        `station ${stationId} is run by ${current.operator} (${current.job}): ask them or a supervisor to change its job`,
      );
    await requireWarehouse(this.masterData, input.warehouseCode);
    const context = await this.context(input);
    const state = await this.jobs.setJob({
      station_id: stationId,
      job: input.job,
      warehouse_code: input.warehouseCode,
      operator: user.username,
      ...context,
    });
    this.events.emit('station.jobChanged', { ...state, changedBy: user.username });
    return state;
  }

  /** A code typed on the station screen: a scan for the station's job, like its scanner's. */
  async typed(stationId: string, scanId: string, code: string): Promise<StationAnswer> {
    if (!(await this.jobs.stationExists(stationId))) throw unknownStation(stationId);
    return this.listener.typed(stationId, scanId, code);
  }

  private async context(
    input: StationModeInput,
  ): Promise<{ delivery_no: string | null; stocktake_no: string | null; trip_no: string | null }> {
    const none = { delivery_no: null, stocktake_no: null, trip_no: null };
    const wrongJob = (field: string, job: string) =>
      new AppError('VALIDATION_FAILED', `${field} belongs to the ${job} job, not to ${input.job}: leave it out`);
    if (input.deliveryNo && input.job !== 'receive') throw wrongJob('deliveryNo', 'receive');
    if (input.stocktakeNo && input.job !== 'stocktake') throw wrongJob('stocktakeNo', 'stocktake');
    if (input.tripNo && input.job !== 'load') throw wrongJob('tripNo', 'load');
    if (input.job === 'receive') {
      if (!input.deliveryNo)
        throw new AppError('VALIDATION_FAILED', 'receive: name the delivery being received (deliveryNo)');
      const d = await this.receiving.delivery(input.deliveryNo);
      if (d.warehouseCode !== input.warehouseCode)
        throw new AppError(
          'CONFLICT',
          `delivery ${input.deliveryNo} is expected at warehouse ${d.warehouseCode}, not ${input.warehouseCode}: choose a delivery of this warehouse`,
        );
      if (d.status === 'closed')
        throw new AppError('CONFLICT', `delivery ${input.deliveryNo} is closed: nothing more is received on it`);
      return { ...none, delivery_no: input.deliveryNo };
    }
    if (input.job === 'stocktake') {
      if (!input.stocktakeNo)
        throw new AppError('VALIDATION_FAILED', 'stocktake: name the count being taken (stocktakeNo)');
      const st = await this.stocktakes.stocktake(input.stocktakeNo);
      if (st.warehouseCode !== input.warehouseCode)
        throw new AppError(
          'CONFLICT',
          `stock-take ${input.stocktakeNo} is of warehouse ${st.warehouseCode}, not ${input.warehouseCode}`,
        );
      if (st.status !== 'open') throw new AppError('CONFLICT', `stock-take ${input.stocktakeNo} is closed`);
      return { ...none, stocktake_no: input.stocktakeNo };
    }
    if (input.job === 'load' && input.tripNo) {
      const trip = await this.loading.trip(input.tripNo);
      if (trip.warehouseCode !== input.warehouseCode)
        throw new AppError(
          'CONFLICT',
          `vehicle trip ${input.tripNo} loads at warehouse ${trip.warehouseCode}, not ${input.warehouseCode}`,
        );
      if (trip.status !== 'loading')
        throw new AppError('CONFLICT', `vehicle trip ${input.tripNo} has departed: start a new trip`);
      return { ...none, trip_no: input.tripNo };
    }
    return none;
  }
}

function unknownStation(stationId: string): AppError {
  return new AppError('UNKNOWN_STATION', `station ${stationId} is not known: register it with its agent first`);
}
