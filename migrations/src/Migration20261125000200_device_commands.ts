import { Migration } from '@mikro-orm/migrations';

/** Commands sent to devices through their agents (print, tare, …), with who asked and how it ended. */
export class Migration20261125000200DeviceCommands extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table device_command (
        command_id uuid primary key,
        device_id text not null references device (device_id),
        agent_id text not null,
        type text not null,
        -- print jobs: one job id is printed once; a reprint is a new job pointing at the original
        job_id text,
        reprint_of text,
        payload jsonb not null,
        requested_by text,
        status text not null default 'sent' check (status in ('sent', 'done', 'failed', 'timeout')),
        reason text,
        result jsonb,
        requested_at timestamptz not null default now(),
        answered_at timestamptz
      )`);
    this.addSql(
      'create unique index device_command_job_idx on device_command (device_id, job_id) where job_id is not null',
    );
    this.addSql('create index device_command_device_idx on device_command (device_id, requested_at desc)');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists device_command');
  }
}
