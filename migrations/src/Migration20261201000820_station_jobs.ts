import { Migration } from '@mikro-orm/migrations';

/**
 * Stations live on the server (issue 11): a station's current job, its warehouse, the operator who
 * set it, the job's context (delivery, stock-take, trip) and, when packing, the parcel on the
 * bench. Every scan or weight a station device sent gets one outcome row, keyed by its event id:
 * the answer the floor gave. An event with no outcome since its station's job was set is work not
 * yet done (the server stopped before it acted), which the start-up sweep applies. One server
 * instance at a time works a station (a short claim it renews), so two never weigh one parcel.
 */
export class Migration20261201000820StationJobs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table station_job (
        station_id text primary key references station (station_id),
        job text not null check (job in ('receive', 'putaway', 'pick', 'pack', 'load', 'gate', 'inspection', 'returns', 'stocktake')),
        warehouse_code text not null references warehouse (code),
        operator text not null,
        delivery_no text,
        stocktake_no text,
        trip_no text,
        current_parcel text,
        -- the server instance applying the station's events now, and until when its claim holds:
        -- with several instances, one station's events are applied by one of them at a time
        worked_by text,
        worked_until timestamptz,
        set_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table station_event_outcome (
        -- a device event's id, or the scan id of a code typed on the station screen
        event_id uuid primary key,
        station_id text not null references station (station_id),
        kind text not null check (kind in ('scan', 'weight')),
        job text,
        outcome text not null check (outcome in ('ok', 'refused', 'held', 'noted')),
        answer jsonb not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql(
      'create index station_event_outcome_station_idx on station_event_outcome (station_id, created_at desc, event_id)',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists station_event_outcome');
    this.addSql('drop table if exists station_job');
  }
}
