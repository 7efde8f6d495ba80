import { Migration } from '@mikro-orm/migrations';

/** Stable weights from scales and device state changes, both ingested through the outbox path. */
export class Migration20261125000300WeightsAndDeviceStatus extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table weight_event (
        id bigserial primary key,
        event_id uuid not null unique references ingested_event (event_id),
        agent_id text not null,
        device_id text not null references device (device_id),
        station_id text not null references station (station_id),
        seq bigint not null,
        gross_grams integer not null,
        tare_grams integer not null,
        net_grams integer not null,
        protocol text not null,
        raw bytea not null,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now()
      )`);
    this.addSql('create index weight_event_station_idx on weight_event (station_id, recorded_at desc, id desc)');
    this.addSql(`
      create table device_status_event (
        id bigserial primary key,
        event_id uuid not null unique references ingested_event (event_id),
        agent_id text not null,
        device_id text not null references device (device_id),
        station_id text not null,
        seq bigint not null,
        status text not null,
        detail text,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now()
      )`);
    this.addSql('create index device_status_event_device_idx on device_status_event (device_id, occurred_at desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists device_status_event');
    this.addSql('drop table if exists weight_event');
  }
}
