import { z } from 'zod';
import { entityId } from './edge-events.js';

const commandBase = {
  /** Correlation id: the reply carries it back. */
  commandId: z.uuid(),
  deviceId: entityId,
  /** The agent refuses a command that arrives after this (ISO time): a stale print must not come out. */
  expiresAt: z.iso.datetime({ offset: true }),
};

/**
 * Commands the server sends to a device through its agent. A print carries a job id: the agent
 * prints each job once, whatever is resent or reconnected; a reprint is a new job, recorded.
 */
export const deviceCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...commandBase,
    type: z.literal('print'),
    jobId: z.string().min(1).max(64),
    zpl: z.string().min(5).max(1_000_000),
  }),
  z.strictObject({ ...commandBase, type: z.literal('printer-status') }),
  z.strictObject({ ...commandBase, type: z.literal('read-weight') }),
  z.strictObject({ ...commandBase, type: z.literal('tare') }),
  z.strictObject({ ...commandBase, type: z.literal('zero') }),
]);
export type DeviceCommand = z.infer<typeof deviceCommandSchema>;
export type DeviceCommandType = DeviceCommand['type'];

export const commandReplySchema = z.strictObject({
  commandId: z.string(),
  deviceId: z.string(),
  status: z.enum(['done', 'failed']),
  /** Why it failed, in words a person can act on ("printer head open: close the head and reprint"). */
  reason: z.string().optional(),
  /** Command-specific result (e.g. stable weight in grams, printer status flags). */
  result: z.record(z.string(), z.unknown()).optional(),
  at: z.iso.datetime({ offset: true }),
});
export type CommandReply = z.infer<typeof commandReplySchema>;
