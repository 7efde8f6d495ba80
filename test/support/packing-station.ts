import { randomUUID } from 'node:crypto';
import { deviceCommandSchema, topics } from '@wms/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { inject } from 'vitest';
import type { ServerApp } from '../../server/src/app.factory.js';
import { DevicesService } from '../../server/src/modules/devices/devices.service.js';
import { query, waitFor } from './services.js';

/**
 * A packing station on the real broker, as its edge agent would run it: a scale whose stable
 * weights are published as agent events, and a label printer that answers the server's print
 * commands (done, or failed with a reason when told to). What a test needs to weigh and label a
 * parcel the way the floor does, without a browser or the hardware simulator.
 */
export interface PackingStation {
  stationId: string;
  agentId: string;
  /** Puts a weight on the scale: the server has recorded it when this returns. */
  weigh(grossGrams: number): Promise<void>;
  /** The print jobs the printer received, in order. */
  printed: Array<{ jobId: string; zpl: string }>;
  /** The next print fails with this reason (the printer's own words). */
  failNextPrint(reason: string): void;
  close(): Promise<void>;
}

export async function packingStation(server: ServerApp, databaseUrl: string, name: string): Promise<PackingStation> {
  const suffix = randomUUID().slice(0, 8);
  const agentId = `agent-${name}-${suffix}`;
  const stationId = `${name}-${suffix}`;
  const scaleId = `SCL-${suffix}`;
  const printerId = `PRN-${suffix}`;
  await server.app.get(DevicesService).registerAgent({
    agentId,
    name: `${name} agent`,
    secret: 'agent-secret',
    stations: [{ stationId, name: `${name} station` }],
    devices: [
      { deviceId: scaleId, stationId, kind: 'scale', name: 'station scale' },
      { deviceId: printerId, stationId, kind: 'printer', name: 'label printer' },
    ],
  });
  const agent: MqttClient = await mqtt.connectAsync(inject('mqttUrl'), {
    clientId: agentId,
    protocolVersion: inject('mqttProtocolVersion'),
    clean: true,
  });
  const printed: PackingStation['printed'] = [];
  let failure: string | null = null;
  agent.on('message', (_topic, payload) => {
    const command = deviceCommandSchema.safeParse(JSON.parse(payload.toString('utf8')));
    if (!command.success || command.data.type !== 'print') return;
    const reason = failure;
    failure = null;
    if (!reason) printed.push({ jobId: command.data.jobId, zpl: command.data.zpl });
    void agent.publishAsync(
      topics.agentCommandReplies(agentId),
      JSON.stringify({
        commandId: command.data.commandId,
        deviceId: command.data.deviceId,
        status: reason ? 'failed' : 'done',
        ...(reason ? { reason } : {}),
        at: new Date().toISOString(),
      }),
      { qos: 1 },
    );
  });
  await agent.subscribeAsync(topics.agentCommands(agentId), { qos: 1 });

  return {
    stationId,
    agentId,
    printed,
    failNextPrint: (reason) => {
      failure = reason;
    },
    async weigh(grossGrams) {
      const eventId = randomUUID();
      await agent.publishAsync(
        topics.agentEvents(agentId),
        JSON.stringify({
          agentId,
          sentAt: new Date().toISOString(),
          events: [
            {
              type: 'weight',
              eventId,
              agentId,
              deviceId: scaleId,
              stationId,
              seq: Date.now(),
              occurredAt: new Date().toISOString(),
              grossGrams,
              tareGrams: 0,
              netGrams: grossGrams,
              raw: Buffer.from(`S S ${grossGrams} g`).toString('base64'),
              protocol: 'mt-sics',
            },
          ],
        }),
        { qos: 1 },
      );
      await waitFor(
        'the weight to be recorded',
        async () =>
          (await query(databaseUrl, 'select 1 from weight_event where event_id = $1', [eventId])).length === 1,
      );
    },
    close: () => agent.endAsync(),
  };
}
