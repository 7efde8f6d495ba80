import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { CommandReply, DeviceCommand } from '@wms/contracts';
import { ORM } from '../../platform/database/orm.js';
import type { Answer } from '../../platform/http/answer-fields.js';
import type { commandRecord } from './devices.answers.js';

/** A command and what became of it: its schema is the command route's answer. */
export type CommandRecord = Answer<typeof commandRecord>;

interface Row {
  command_id: string;
  device_id: string;
  type: string;
  job_id: string | null;
  reprint_of: string | null;
  status: CommandRecord['status'];
  reason: string | null;
  result: Record<string, unknown> | null;
  requested_by: string | null;
  requested_at: Date;
  answered_at: Date | null;
}

const toRecord = (r: Row): CommandRecord => ({
  commandId: r.command_id,
  deviceId: r.device_id,
  type: r.type,
  jobId: r.job_id,
  reprintOf: r.reprint_of,
  status: r.status,
  reason: r.reason,
  result: r.result,
  requestedBy: r.requested_by,
  requestedAt: new Date(r.requested_at).toISOString(),
  answeredAt: r.answered_at ? new Date(r.answered_at).toISOString() : null,
});

@Injectable()
export class DeviceCommandsRepository {
  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** Records the command; returns null when this device already has the print job (printed once). */
  async insert(
    command: DeviceCommand,
    agentId: string,
    requestedBy: string | null,
    reprintOf: string | null,
  ): Promise<CommandRecord | null> {
    const rows = await this.orm.em.execute<Row[]>(
      `insert into device_command (command_id, device_id, agent_id, type, job_id, reprint_of, payload, requested_by)
       values (?, ?, ?, ?, ?, ?, ?::jsonb, ?)
       on conflict do nothing
       returning *`,
      [
        command.commandId,
        command.deviceId,
        agentId,
        command.type,
        command.type === 'print' ? command.jobId : null,
        reprintOf,
        JSON.stringify(command),
        requestedBy,
      ],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findJob(deviceId: string, jobId: string): Promise<CommandRecord | null> {
    const rows = await this.orm.em.execute<Row[]>('select * from device_command where device_id = ? and job_id = ?', [
      deviceId,
      jobId,
    ]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async find(commandId: string): Promise<CommandRecord | null> {
    const rows = await this.orm.em.execute<Row[]>('select * from device_command where command_id = ?', [commandId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The first answer wins; a late reply after a timeout still records what really happened. */
  async answer(reply: CommandReply): Promise<void> {
    await this.orm.em.execute(
      `update device_command set status = ?, reason = ?, result = ?::jsonb, answered_at = ?
       where command_id = ? and status in ('sent', 'timeout')`,
      [
        reply.status,
        reply.reason ?? null,
        reply.result ? JSON.stringify(reply.result) : null,
        reply.at,
        reply.commandId,
      ],
    );
  }

  async markTimeout(commandId: string, reason: string): Promise<void> {
    await this.orm.em.execute(
      "update device_command set status = 'timeout', reason = ? where command_id = ? and status = 'sent'",
      [reason, commandId],
    );
  }
}
