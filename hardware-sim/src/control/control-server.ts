import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type CreditTable, creditTable } from '@wms/contracts';
import { z } from 'zod';
import type { MqttHandheld } from '../devices/mqtt-handheld.emulator.js';
import { decodeLabel } from '../devices/zpl-barcodes.js';
import type { SimPrinter, SimScale, SimScanner, SimSensor } from '../simulator.js';

const scanBody = z.strictObject({
  code: z.string().min(1).max(4096),
  aimPrefix: z
    .string()
    .regex(/^\][A-Za-z][0-9A-Za-z]$/, 'an AIM identifier such as ]C1')
    .optional(),
  terminator: z.enum(['CR', 'CRLF']).optional(),
  splitEveryByte: z.boolean().optional(),
});
const burstBody = z.strictObject({
  count: z.number().int().min(1).max(1_000_000),
  prefix: z.string().min(1).max(40).default('BURST-'),
});
const handheldBody = z.strictObject({
  code: z.string().min(1).max(4096),
  extraCopies: z.number().int().min(0).max(10).default(0),
});
const rawBody = z.strictObject({ base64: z.base64().min(1), splitEveryByte: z.boolean().optional() });
const placeBody = z.strictObject({
  grams: z.number().int().min(-1_000_000).max(10_000_000),
  settleMs: z.number().int().min(0).max(60_000).optional(),
});
const faultBody = z.strictObject({ fault: z.enum(['overload', 'underload', 'silent', 'bad-checksum', 'clear']) });
const printerFaultBody = z.strictObject({
  fault: z.enum(['paperOut', 'headOpen', 'ribbonOut', 'paused', 'noReply', 'clear']),
  on: z.boolean().default(true),
});

const temperatureBody = z.strictObject({
  celsius: z.number().min(-60).max(60),
  /** With forMs: an excursion that ends by itself; without: a new set point. */
  forMs: z.number().int().min(1).max(86_400_000).optional(),
  afterMs: z.number().int().min(0).max(86_400_000).optional(),
});
const sensorFaultBody = z.strictObject({ fault: z.enum(['silent', 'bad-crc', 'probe-open', 'clear']) });

const concludeBody = z.strictObject({ decision: z.enum(['release', 'detain']) });

/** What the control API may ask of a customs authority simulator running beside it. */
export interface CustomsDesk {
  conclude(key: string, decision: 'release' | 'detain'): boolean;
  knownLists(): Array<{ copNo: string; logisticsNo: string; invtNo: string; status: number }>;
  /** The credit grades and rates inspection follows (issue 13); null: the mix alone. */
  creditTable?(): CreditTable | null;
  setCredit?(table: CreditTable | null): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The simulator's control API on loopback, used by `npm run sim -- …` and by tests:
 * GET /devices, POST /stations/:id/scanner/{scan,raw,unplug,replug}; with a customs authority
 * beside it, GET /customs/lists and POST /customs/lists/:key/conclude {decision: release|detain}
 * (customs ends an inspection), GET /customs/credit and PUT /customs/credit {grades, rates} (the
 * credit grades and rates its inspections follow, credit-selection.ts).
 */
export async function startControlServer(options: {
  port: number;
  host: string;
  scanners: Map<string, SimScanner>;
  scales: Map<string, SimScale>;
  printers: Map<string, SimPrinter>;
  handhelds: Map<string, MqttHandheld>;
  sensors?: Map<string, SimSensor>;
  customs?: CustomsDesk;
}): Promise<{ url: string; close(): Promise<void> }> {
  const { scanners, scales, printers, handhelds, customs } = options;
  const sensors = options.sensors ?? new Map<string, SimSensor>();
  const parse = <T>(schema: z.ZodType<T>, body: unknown, what: string): T => {
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new HttpError(
        400,
        `bad ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
      );
    return parsed.data;
  };
  const scannerAt = (stationId: string) => {
    const scanner = scanners.get(stationId);
    if (!scanner)
      throw new HttpError(
        404,
        `no scanner at station ${stationId}; stations: ${[...scanners.keys()].join(', ') || 'none'}`,
      );
    return scanner;
  };

  async function handle(request: IncomingMessage): Promise<unknown> {
    const url = new URL(request.url ?? '/', 'http://sim');
    if (request.method === 'GET' && url.pathname === '/devices') {
      return [...scanners.values(), ...scales.values(), ...printers.values(), ...sensors.values()].map((s) => ({
        stationId: s.stationId,
        kind: s.kind,
        deviceId: s.deviceId,
        agentPath: s.agentPath,
        injectPath: s.injectPath,
        agentLink: s.agentLink ?? null,
        injectLink: s.injectLink ?? null,
        tcpPort: s.tcpPort ?? null,
        ...(s.kind === 'printer' ? { faults: s.emulator.faults, printed: s.emulator.labels().length } : {}),
        plugged: s.plugged,
        ...(s.kind === 'scale' ? { protocol: s.protocol } : {}),
        ...(s.kind === 'sensor' ? { celsius: s.celsius() } : {}),
      }));
    }
    const sensorMatch = /^\/stations\/([^/]+)\/sensor\/(temperature|fault|unplug|replug)$/.exec(url.pathname);
    if (sensorMatch && request.method === 'POST') {
      const stationId = decodeURIComponent(sensorMatch[1]);
      const sensor = sensors.get(stationId);
      if (!sensor)
        throw new HttpError(
          404,
          `no temperature sensor at station ${stationId}; stations with sensors: ${[...sensors.keys()].join(', ') || 'none'}`,
        );
      const body = await readJson(request);
      switch (sensorMatch[2]) {
        case 'temperature': {
          const { celsius, forMs, afterMs } = parse(temperatureBody, body, 'temperature');
          if (forMs) sensor.excursion(celsius, forMs, afterMs);
          else sensor.set(celsius);
          return { ok: true, celsius, ...(forMs ? { forMs } : {}) };
        }
        case 'fault':
          sensor.fault(parse(sensorFaultBody, body, 'sensor fault').fault);
          return { ok: true };
        case 'unplug':
          await sensor.unplug();
          return { ok: true, plugged: false };
        default:
          await sensor.replug();
          return { ok: true, plugged: true };
      }
    }
    const customsMatch = /^\/customs\/lists(?:\/([^/]+)\/conclude)?$/.exec(url.pathname);
    if (customsMatch) {
      if (!customs) throw new HttpError(404, 'no customs authority simulator runs beside this simulator');
      if (!customsMatch[1] && request.method === 'GET') return { lists: customs.knownLists() };
      if (customsMatch[1] && request.method === 'POST') {
        const key = decodeURIComponent(customsMatch[1]);
        const { decision } = parse(concludeBody, await readJson(request), 'inspection decision');
        if (!customs.conclude(key, decision))
          throw new HttpError(409, `${key} is not a list under customs inspection (500) here`);
        return { ok: true, key, decision, status: decision === 'release' ? 800 : 501 };
      }
    }
    if (url.pathname === '/customs/credit') {
      if (!customs?.creditTable || !customs.setCredit)
        throw new HttpError(404, 'no customs authority simulator runs beside this simulator');
      if (request.method === 'PUT') customs.setCredit(parse(creditTable, await readJson(request), 'credit table'));
      if (request.method === 'GET' || request.method === 'PUT') return { credit: customs.creditTable() };
    }
    const handheldMatch = /^\/stations\/([^/]+)\/handheld\/scan$/.exec(url.pathname);
    if (handheldMatch && request.method === 'POST') {
      const stationId = decodeURIComponent(handheldMatch[1]);
      const handheld = handhelds.get(stationId);
      if (!handheld)
        throw new HttpError(
          404,
          `no handheld at station ${stationId}; stations with handhelds: ${[...handhelds.keys()].join(', ') || 'none'}`,
        );
      const { code, extraCopies } = parse(handheldBody, await readJson(request), 'handheld scan');
      return handheld.scan(code, { extraCopies });
    }
    const printerMatch = /^\/stations\/([^/]+)\/printer\/(labels|fault)$/.exec(url.pathname);
    if (printerMatch) {
      const stationId = decodeURIComponent(printerMatch[1]);
      const printer = printers.get(stationId);
      if (!printer)
        throw new HttpError(
          404,
          `no printer at station ${stationId}; stations with printers: ${[...printers.keys()].join(', ') || 'none'}`,
        );
      if (printerMatch[2] === 'labels' && request.method === 'GET')
        return {
          labels: printer.emulator.labels().map((label) => ({ ...label, ...decodeLabel(label.zpl) })),
          duplicatesRefused: printer.emulator.duplicatesRefused,
        };
      if (printerMatch[2] === 'fault' && request.method === 'POST') {
        const { fault, on } = parse(printerFaultBody, await readJson(request), 'printer fault');
        printer.emulator.setFault(fault, on);
        return { ok: true, faults: printer.emulator.faults };
      }
    }
    const scaleMatch = /^\/stations\/([^/]+)\/scale\/(place|remove|fault|unplug|replug)$/.exec(url.pathname);
    if (scaleMatch && request.method === 'POST') {
      const stationId = decodeURIComponent(scaleMatch[1]);
      const scale = scales.get(stationId);
      if (!scale)
        throw new HttpError(
          404,
          `no scale at station ${stationId}; stations with scales: ${[...scales.keys()].join(', ') || 'none'}`,
        );
      const body = await readJson(request);
      switch (scaleMatch[2]) {
        case 'place': {
          const { grams, settleMs } = parse(placeBody, body, 'load');
          scale.place(grams, settleMs);
          return { ok: true, grams };
        }
        case 'remove':
          scale.remove();
          return { ok: true, grams: 0 };
        case 'fault':
          scale.fault(parse(faultBody, body, 'fault').fault);
          return { ok: true };
        case 'unplug':
          await scale.unplug();
          return { ok: true, plugged: false };
        default:
          await scale.replug();
          return { ok: true, plugged: true };
      }
    }
    const match = /^\/stations\/([^/]+)\/scanner\/(scan|raw|burst|unplug|replug)$/.exec(url.pathname);
    if (!match || request.method !== 'POST')
      throw new HttpError(
        404,
        'try GET /devices, POST /stations/<stationId>/scanner/{scan,raw,unplug,replug} or /stations/<stationId>/scale/{place,remove,fault,unplug,replug}',
      );
    const scanner = scannerAt(decodeURIComponent(match[1]));
    const action = match[2];
    if (action === 'unplug') return scanner.unplug().then(() => ({ ok: true, plugged: false }));
    if (action === 'replug') return scanner.replug().then(() => ({ ok: true, plugged: true }));
    const body = await readJson(request);
    if (!scanner.plugged)
      throw new HttpError(409, `the scanner at station ${scanner.stationId} is unplugged: POST …/replug first`);
    if (action === 'burst') {
      // Reads back to back as fast as the wire takes them: `<prefix><n>` for n = 0..count-1.
      const { count, prefix } = parse(burstBody, body, 'burst');
      const width = String(count - 1).length;
      for (let from = 0; from < count; from += 2000) {
        const lines = Array.from(
          { length: Math.min(2000, count - from) },
          (_, i) => `${prefix}${String(from + i).padStart(width, '0')}\r\n`,
        ).join('');
        await scanner.sendRaw(new Uint8Array(Buffer.from(lines, 'ascii')));
      }
      return { ok: true, count };
    }
    if (action === 'scan') {
      const parsed = scanBody.safeParse(body);
      if (!parsed.success)
        throw new HttpError(
          400,
          `bad scan: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
        );
      await scanner.scan(parsed.data.code, parsed.data);
      return { ok: true, stationId: scanner.stationId, deviceId: scanner.deviceId, code: parsed.data.code };
    }
    const parsed = rawBody.safeParse(body);
    if (!parsed.success)
      throw new HttpError(
        400,
        `bad raw bytes: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
      );
    const bytes = new Uint8Array(Buffer.from(parsed.data.base64, 'base64'));
    await scanner.sendRaw(bytes, parsed.data);
    return { ok: true, bytes: bytes.length };
  }

  const server = createServer((request, response: ServerResponse) => {
    handle(request)
      .then((body) => send(response, 200, body))
      .catch((error: unknown) => {
        const status = error instanceof HttpError ? error.status : 500;
        send(response, status, { error: (error as Error).message });
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of request) {
    text += chunk;
    if (text.length > 1_000_000) throw new HttpError(413, 'body too large');
  }
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}
