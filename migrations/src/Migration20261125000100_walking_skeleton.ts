import { Migration } from '@mikro-orm/migrations';

/**
 * Users with roles, stations, edge agents and their devices, the idempotent ingestion ledger and
 * scan events. Reviewed SQL, applied by `npm run migrate` (and by the dev start).
 */
export class Migration20261125000100WalkingSkeleton extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table app_user (
        id uuid primary key default gen_random_uuid(),
        username text not null unique,
        display_name text not null,
        password_hash text not null,
        roles text[] not null check (cardinality(roles) > 0),
        -- a seller user sees only its own tenant's data (DOMAIN.md section 1)
        seller_code text,
        active boolean not null default true,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table station (
        station_id text primary key,
        name text not null,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table edge_agent (
        agent_id text primary key,
        name text not null,
        -- scrypt hash of the agent's MQTT password; agents never log in as users
        secret_hash text not null,
        active boolean not null default true,
        presence text not null default 'unknown' check (presence in ('unknown', 'online', 'offline')),
        presence_at timestamptz,
        created_at timestamptz not null default now()
      )`);
    this.addSql(`
      create table device (
        device_id text primary key,
        agent_id text not null references edge_agent (agent_id),
        station_id text not null references station (station_id),
        kind text not null check (kind in ('scanner', 'scale', 'printer')),
        name text not null,
        active boolean not null default true,
        created_at timestamptz not null default now()
      )`);
    this.addSql('create index device_agent_idx on device (agent_id)');
    // Inbox of every event the server has committed: the unique key that makes a resent event a no-op.
    this.addSql(`
      create table ingested_event (
        event_id uuid primary key,
        event_type text not null,
        agent_id text not null,
        device_id text not null,
        seq bigint not null,
        committed_at timestamptz not null default now()
      )`);
    this.addSql('create index ingested_event_device_seq_idx on ingested_event (device_id, seq)');
    this.addSql(`
      create table scan_event (
        id bigserial primary key,
        event_id uuid not null unique references ingested_event (event_id),
        agent_id text not null,
        device_id text not null references device (device_id),
        station_id text not null references station (station_id),
        seq bigint not null,
        raw bytea not null,
        code text not null,
        symbology text,
        occurred_at timestamptz not null,
        recorded_at timestamptz not null default now()
      )`);
    this.addSql('create index scan_event_station_recorded_idx on scan_event (station_id, recorded_at desc, id desc)');
    this.addSql('create index scan_event_recorded_idx on scan_event (recorded_at desc, id desc)');
    // What could not be applied is kept with its reason, never dropped (malformed payloads included).
    this.addSql(`
      create table rejected_event (
        id bigserial primary key,
        event_id text,
        agent_id text,
        topic text not null,
        code text not null,
        message text not null,
        payload text not null,
        received_at timestamptz not null default now()
      )`);
    this.addSql('create index rejected_event_received_idx on rejected_event (received_at desc)');
  }

  override async down(): Promise<void> {
    for (const table of [
      'rejected_event',
      'scan_event',
      'ingested_event',
      'device',
      'edge_agent',
      'station',
      'app_user',
    ]) {
      this.addSql(`drop table if exists ${table}`);
    }
  }
}
