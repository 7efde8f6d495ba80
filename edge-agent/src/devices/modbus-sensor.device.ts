import { randomUUID } from 'node:crypto';
import type { AgentConfig, SensorDeviceConfig } from '../config/agent-config.js';
import {
  type ModbusReply,
  ModbusReplyDecoder,
  PROBE_FAULT,
  readRegisters,
  signed16,
} from '../drivers/sensor/modbus-rtu.codec.js';
import {
  type ProbeReading,
  type TemperatureReport,
  TemperatureReporter,
} from '../drivers/sensor/temperature-reporter.js';
import type { NewEdgeEvent } from '../queue/outbox.js';
import { SerialLink } from '../transport/serial-port.js';
import type { DeviceSink } from './serial-scanner.device.js';

const EXCEPTIONS: Record<number, string> = {
  1: 'illegal function: set functionCode to what the transmitter answers (3 or 4)',
  2: 'illegal data address: check temperatureRegister / humidityRegister against the transmitter manual',
  3: 'illegal data value',
  4: 'slave device failure: the probe reports a fault',
  6: 'slave device busy',
};

/**
 * A cold-chain temperature probe on RS-485 (Modbus RTU): polled every `pollIntervalMs`, one
 * request at a time; replies go through the temperature reporter, so the outbox gets a reading
 * when it moved or at the heartbeat, and a device status when the probe stops answering, answers
 * garbage or reports a broken probe.
 */
export class ModbusSensorDevice {
  readonly deviceId: string;
  private readonly link: SerialLink;
  private readonly reporter: TemperatureReporter;
  private readonly decoder: ModbusReplyDecoder;
  private readonly first: number;
  private readonly count: number;
  private waiting: ((reply: ModbusReply | null) => void) | null = null;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly device: SensorDeviceConfig,
    private readonly agent: Pick<AgentConfig, 'agentId' | 'reconnectMaxMs'>,
    private readonly sink: DeviceSink,
  ) {
    this.deviceId = device.deviceId;
    this.reporter = new TemperatureReporter({ deltaDeciC: device.deltaDeciC, intervalMs: device.reportIntervalMs });
    this.decoder = new ModbusReplyDecoder({ address: device.slaveAddress, fn: device.functionCode });
    const registers = [
      device.temperatureRegister,
      ...(device.humidityRegister === null ? [] : [device.humidityRegister]),
    ];
    this.first = Math.min(...registers);
    this.count = Math.max(...registers) - this.first + 1;
    this.link = new SerialLink(device.serial, agent.reconnectMaxMs);
    this.link.on('open', () => sink.presence('connected', device.serial.path));
    this.link.on('down', (reason) => sink.presence('disconnected', reason));
    this.link.on('data', (chunk) => {
      for (const reply of this.decoder.push(chunk)) {
        if (reply.kind === 'noise')
          this.report({ kind: 'garbled', detail: `${reply.skipped} byte(s) of line noise`, atMs: Date.now() });
        else this.waiting?.(reply);
      }
    });
  }

  start(): void {
    this.stopped = false;
    this.link.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.waiting?.(null);
    await this.link.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      if (this.link.isOpen) this.report(await this.poll());
      this.schedule();
    }, this.device.pollIntervalMs);
  }

  private async poll(): Promise<ProbeReading> {
    for (const noise of this.decoder.reset())
      if (noise.kind === 'noise') this.sink.warn('bytes before the request were dropped', { bytes: noise.skipped });
    const reply = await new Promise<ModbusReply | null>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        resolve(null);
      }, this.device.replyTimeoutMs);
      this.waiting = (r) => {
        clearTimeout(timer);
        this.waiting = null;
        resolve(r);
      };
      this.link
        .write(readRegisters(this.device.slaveAddress, this.first, this.count, this.device.functionCode))
        .catch(() => this.waiting?.(null));
    });
    return probeReading(reply, this.device, this.first, this.device.replyTimeoutMs, Date.now());
  }

  private report(reading: ProbeReading): void {
    const events = this.reporter.next(reading).map((r) => this.toEvent(r));
    if (events.length) this.sink.record(events);
  }

  private toEvent(report: TemperatureReport): NewEdgeEvent {
    const base = {
      eventId: randomUUID(),
      agentId: this.agent.agentId,
      deviceId: this.deviceId,
      stationId: this.device.stationId,
      occurredAt: new Date().toISOString(),
    };
    if (report.kind === 'temperature')
      return {
        ...base,
        type: 'temperature',
        deciCelsius: report.deciCelsius,
        humidityDeciPct: report.humidityDeciPct,
        raw: Buffer.from(report.raw).toString('base64'),
        protocol: 'modbus-rtu',
      };
    return {
      ...base,
      type: 'device-status',
      status: report.status,
      ...(report.detail ? { detail: report.detail } : {}),
    };
  }
}

/** A poll's reply as a probe reading (pure): the registers named in the settings, or why there is none. */
export function probeReading(
  reply: ModbusReply | null,
  device: Pick<SensorDeviceConfig, 'temperatureRegister' | 'humidityRegister'>,
  first: number,
  timeoutMs: number,
  atMs: number,
): ProbeReading {
  if (!reply) return { kind: 'no-reply', detail: `no answer within ${timeoutMs} ms`, atMs };
  if (reply.kind === 'exception')
    return { kind: 'fault', detail: `exception ${reply.code}: ${EXCEPTIONS[reply.code] ?? 'unknown'}`, atMs };
  if (reply.kind !== 'registers') return { kind: 'garbled', atMs };
  const temperature = reply.registers[device.temperatureRegister - first];
  if (temperature === undefined)
    return { kind: 'garbled', detail: `the reply has ${reply.registers.length} register(s), too few`, atMs };
  if (PROBE_FAULT.has(temperature)) return { kind: 'fault', detail: 'the probe is broken or unplugged', atMs };
  const humidity = device.humidityRegister === null ? undefined : reply.registers[device.humidityRegister - first];
  return {
    kind: 'reading',
    deciCelsius: signed16(temperature),
    humidityDeciPct: humidity === undefined || PROBE_FAULT.has(humidity) ? null : Math.max(0, Math.min(1000, humidity)),
    raw: reply.raw,
    atMs,
  };
}
