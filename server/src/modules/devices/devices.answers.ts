import { z } from 'zod';
import { isoTime, itemsOf } from '../../platform/http/answer-fields.js';

/** What the device routes answer, for the OpenAPI document; the fuzzer checks real answers. */

export const stationsListed = itemsOf(
  z.object({
    stationId: z.string().meta({ example: 'ST01' }),
    name: z.string(),
    devices: z.array(
      z.object({
        deviceId: z.string().meta({ example: 'ST01-SCALE' }),
        kind: z.enum(['scanner', 'scale', 'printer', 'sensor']),
        agentId: z.string(),
        name: z.string(),
        agentPresence: z
          .object({ state: z.enum(['unknown', 'online', 'offline']), at: isoTime.nullable() })
          .describe("The agent's last presence message"),
      }),
    ),
  }),
  'The stations, by id, each with its active devices',
);

/** A device command and what became of it. */
export const commandRecord = z.object({
  commandId: z.uuid(),
  deviceId: z.string(),
  type: z.string().meta({ example: 'read-weight' }),
  jobId: z.string().nullable().describe('Print jobs: the same job id prints once'),
  reprintOf: z.string().nullable(),
  status: z.enum(['sent', 'done', 'failed', 'timeout']),
  reason: z.string().nullable().describe('Why it failed or timed out'),
  result: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("The device's answer (a weight, the printer's status), by command")
    .meta({ example: { grossGrams: 1250, stable: true } }),
  requestedBy: z.string().nullable(),
  requestedAt: isoTime,
  answeredAt: isoTime.nullable(),
});

const issued = {
  username: z.string().describe('The broker username to connect with').meta({ example: 'agent/agent-01' }),
  clientId: z.string().describe('The only client id the broker accepts for it').meta({ example: 'agent-agent-01' }),
  secret: z.string().describe('Shown only in this answer: only its hash is kept'),
};
export const agentSecretIssued = z.object({ agentId: z.string(), ...issued });
export const agentSecretRevoked = z.object({ agentId: z.string(), revoked: z.literal(true) });
export const handheldSecretIssued = z.object({ deviceId: z.string(), agentId: z.string(), ...issued });
export const handheldSecretRevoked = z.object({ deviceId: z.string(), revoked: z.literal(true) });
