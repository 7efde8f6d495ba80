import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modbusCrc16 } from '../../edge-agent/src/drivers/sensor/modbus-rtu.codec.js';
import { type DevStackSummary, loginAs, startDevStack } from '../support/dev-stack.js';
import type { Proc } from '../support/processes.js';
import { query, waitFor } from '../support/services.js';

// The cold chain end to end (issue 13): the simulator's cold room on a real pty answers Modbus RTU,
// the real edge agent polls it and sends its readings through the outbox over MQTT, the server
// stores them, and an excursion beyond 2–8 °C for longer than the site allows is a trace event
// and a warning the officer reads. The demo (`npm start`) scripts one excursion at the start;
// `npm run sim -- temperature ST01 <°C> --for <ms>` (the control API) runs another.

const dataDir = mkdtempSync(join(tmpdir(), 'wms-cold-'));
chmodSync(dataDir, 0o755);
let stack: Proc;
let s: DevStackSummary;
let officer: string;

type Warning = {
  id: string;
  rule: string;
  subjectId: string;
  logisticsNo: string | null;
  reason: string;
  evidence: Record<string, unknown>;
};
const warnings = async (rule: string) => {
  const res = await fetch(new URL(`/api/customs/warnings?rule=${rule}`, s.uiUrl), {
    headers: { authorization: `Bearer ${officer}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Warning[] }).items;
};

beforeAll(async () => {
  const started = await startDevStack(dataDir);
  stack = started.proc;
  s = started.summary;
  officer = await loginAs(s, 'customs');
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cold chain: simulator probe -> edge agent -> MQTT -> warning', () => {
  it('turns the demo’s scripted excursion into a recorded event and a warning', async () => {
    const [w] = await waitFor(
      'the cold-chain warning of the scripted excursion',
      async () => {
        const found = await warnings('cold-chain');
        return found.length ? found : null;
      },
      90_000,
      1000,
    );
    expect(w.evidence).toMatchObject({ deviceId: 'ST01-PROBE', zoneCode: 'COLD', peakDeciC: 120, breach: true });
    expect(w.reason).toContain('12.0 °C');
    // the readings came off the wire: Modbus RTU replies with a good CRC, as the agent read them
    const readings = await query<{ deci_celsius: number; raw: Buffer; protocol: string }>(
      s.databaseUrl,
      `select deci_celsius, raw, protocol from temperature_reading where device_id = 'ST01-PROBE' order by occurred_at`,
    );
    expect(readings.map((r) => r.deci_celsius)).toContain(120);
    // 4 °C before the excursion, 12 °C in it
    const before = readings.findIndex((r) => r.deci_celsius === 40);
    expect(before).toBeGreaterThanOrEqual(0);
    expect(before).toBeLessThan(readings.findIndex((r) => r.deci_celsius === 120));
    for (const r of readings) {
      expect(r.protocol).toBe('modbus-rtu');
      const crc = modbusCrc16(r.raw.subarray(0, r.raw.length - 2));
      expect([r.raw[r.raw.length - 2], r.raw[r.raw.length - 1]]).toEqual([crc & 0xff, crc >> 8]);
      expect((((r.raw[3] << 8) | r.raw[4]) << 16) >> 16).toBe(r.deci_celsius);
    }
    const traced = await query(
      s.databaseUrl,
      `select 1 from trace_event where object_kind = 'stock' and object_id = 'BC01/COLD' and disposition = 'temperature_excursion'`,
    );
    expect(traced).toHaveLength(1);
  });

  it('warns again for an excursion scripted through the simulator’s control API', async () => {
    // once the room is back in its range (an excursion right after another would be the same one)
    await waitFor(
      'the scripted excursion to end',
      async () => (await warnings('cold-chain')).some((w) => w.evidence.endedAt),
      90_000,
      1000,
    );
    const res = await fetch(new URL('/stations/ST01/sensor/temperature', s.simControlUrl), {
      method: 'POST',
      body: JSON.stringify({ celsius: -1.5, forMs: 30_000 }),
    });
    expect(res.status).toBe(200);
    const found = await waitFor(
      'a second cold-chain warning',
      async () => {
        const all = await warnings('cold-chain');
        return all.find((w) => w.evidence.peakDeciC === -15) ?? null;
      },
      90_000,
      1000,
    );
    expect(found.reason).toContain('-1.5 °C');
  });

  it('gives the risk page a warning of each kind the demo trips', async () => {
    for (const [rule, parcel] of [
      ['weight-deviation', 'DEMORK00000002'],
      ['low-value', 'DEMORK00000001'],
      ['special-goods', 'DEMORK00000013'],
    ] as const)
      expect(
        (await warnings(rule)).map((w) => w.logisticsNo),
        rule,
      ).toContain(parcel);
    for (const rule of ['shared-consignee', 'shared-payer', 'buyer-limit'])
      expect((await warnings(rule)).length, rule).toBeGreaterThan(0);
  });
});
