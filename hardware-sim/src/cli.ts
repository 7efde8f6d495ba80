#!/usr/bin/env node
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CustomsAuthority, parseMix } from './customs/customs-authority.js';
import { SimulatorConfigError, startSimulator } from './simulator.js';

const HELP = `Hardware simulator

  npm run sim -- run --config sim.json [--state .data/sim.json]   start the devices in sim.json
  npm run sim -- scan <stationId> <code> [--aim ]C1] [--cr] [--split]
                                                    one read on that station's scanner
  npm run sim -- raw <stationId> <hex bytes>          bytes as they are, e.g. 41420d0a
  npm run sim -- burst <stationId> <count> [--prefix BURST-]   reads back to back
  npm run sim -- weigh <stationId> <grams> [--settle ms]   put a load on that station's scale
  npm run sim -- unweigh <stationId>                  take it off
  npm run sim -- scale-fault <stationId> overload|underload|silent|bad-checksum|clear
  npm run sim -- temperature <stationId> <celsius> [--for ms] [--after ms]
                                                    the cold room's set point, or with --for an excursion
  npm run sim -- sensor-fault <stationId> silent|bad-crc|probe-open|clear
  npm run sim -- labels <stationId>                   what the simulated printer printed
  npm run sim -- printer-fault <stationId> paperOut|headOpen|ribbonOut|paused|noReply|clear [--off]
  npm run sim -- devices                              the devices and their pseudo-terminals
  npm run sim -- unplug|replug <stationId>
  npm run sim -- customs-lists                        the lists the customs simulator of \`npm start\` knows
  npm run sim -- customs-conclude <parcel> release|detain   customs ends an inspection (500 -> 800 or 501)
  npm run sim -- customs-credit [--set grades.json]   the credit grades and rates its inspections follow
  npm run sim -- customs --outbox <dir> --inbox <dir> [--seed 1] [--mix release=8,inspect=1,reject=1]
                     [--credit grades.json] [--accept-ms 500] [--decision-ms 3000] [--return-approval 399|800]
                                                    a customs authority on a single-window folder pair;
                                                    mix outcomes: release, inspect, inspect-release, detain,
                                                    detain-release, release-close, reject, error,
                                                    error-release, format-error (a CEB900)

In <code>, \\x1d or <GS> stands for FNC1 (GS, 0x1D), e.g. 0104006381333931<GS>10LOT7.
The running simulator is found with --url, SIM_URL, or the state file (.data/sim.json), which
\`npm start\` writes.`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function controlUrl(args: string[]): string {
  const explicit = option(args, '--url') ?? process.env.SIM_URL;
  if (explicit) return explicit;
  const state = resolve(option(args, '--state') ?? '.data/sim.json');
  if (existsSync(state)) return JSON.parse(readFileSync(state, 'utf8')).controlUrl;
  throw new Error(
    'the simulator is not running: start it with `npm start` (or `npm run sim -- run --config sim.json`), or pass --url',
  );
}

async function call(args: string[], method: string, path: string, body?: unknown): Promise<unknown> {
  const base = controlUrl(args);
  let response: Response;
  try {
    response = await fetch(new URL(path, base), {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new Error(`cannot reach the simulator at ${base}: is it running? (npm start)`);
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error((answer as { error?: string }).error ?? `simulator answered ${response.status}`);
  return answer;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run': {
      const configPath = option(args, '--config');
      if (!configPath) throw new Error('run needs --config <file.json>');
      const simulator = await startSimulator(JSON.parse(readFileSync(configPath, 'utf8')));
      const state = resolve(option(args, '--state') ?? '.data/sim.json');
      mkdirSync(dirname(state), { recursive: true });
      writeFileSync(state, JSON.stringify({ controlUrl: simulator.controlUrl }, null, 2));
      console.log(`simulator control API: ${simulator.controlUrl}`);
      for (const s of simulator.printers.values()) {
        console.log(
          `printer ${s.deviceId} at ${s.stationId}: raw TCP port ${s.tcpPort}${s.agentLink ? `; serial ${s.agentPath}` : ''}`,
        );
      }
      for (const s of simulator.scales.values()) {
        console.log(
          `scale ${s.deviceId} (${s.protocol}) at ${s.stationId}: agent reads ${s.agentPath}${s.tcpPort ? `; raw TCP port ${s.tcpPort}` : ''}`,
        );
      }
      for (const s of simulator.sensors.values()) {
        console.log(
          `temperature sensor ${s.deviceId} at ${s.stationId}: agent reads ${s.agentPath}; now ${s.celsius()} °C`,
        );
      }
      for (const s of simulator.scanners.values()) {
        console.log(
          `scanner ${s.deviceId} at ${s.stationId}: agent reads ${s.agentPath}; write into ${s.injectPath}${s.tcpPort ? `; raw TCP port ${s.tcpPort}` : ''}`,
        );
      }
      const stop = () => void simulator.stop().finally(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
    case 'scan': {
      const [stationId, code] = args;
      if (!stationId || !code) throw new Error('usage: scan <stationId> <code>');
      const decoded = code.replace(/\\x1d|<GS>/gi, '\u001d');
      const answer = await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/scanner/scan`, {
        code: decoded,
        ...(option(args, '--aim') ? { aimPrefix: option(args, '--aim') } : {}),
        terminator: args.includes('--cr') ? 'CR' : 'CRLF',
        splitEveryByte: args.includes('--split'),
      });
      console.log(JSON.stringify(answer));
      return;
    }
    case 'raw': {
      const [stationId, hex] = args;
      if (!stationId || !hex || !/^([0-9a-f]{2})+$/i.test(hex))
        throw new Error('usage: raw <stationId> <hex bytes, e.g. 41420d0a>');
      console.log(
        JSON.stringify(
          await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/scanner/raw`, {
            base64: Buffer.from(hex, 'hex').toString('base64'),
          }),
        ),
      );
      return;
    }
    case 'burst': {
      const [stationId, count] = args;
      if (!stationId || !/^\d+$/.test(count ?? '')) throw new Error('usage: burst <stationId> <count>');
      console.log(
        JSON.stringify(
          await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/scanner/burst`, {
            count: Number(count),
            ...(option(args, '--prefix') ? { prefix: option(args, '--prefix') } : {}),
          }),
        ),
      );
      return;
    }
    case 'unplug':
    case 'replug': {
      const [stationId] = args;
      if (!stationId) throw new Error(`usage: ${command} <stationId>`);
      console.log(
        JSON.stringify(await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/scanner/${command}`)),
      );
      return;
    }
    case 'weigh': {
      const [stationId, grams] = args;
      if (!stationId || !/^-?\d+$/.test(grams ?? '')) throw new Error('usage: weigh <stationId> <grams>');
      const settle = option(args, '--settle');
      console.log(
        JSON.stringify(
          await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/scale/place`, {
            grams: Number(grams),
            ...(settle ? { settleMs: Number(settle) } : {}),
          }),
        ),
      );
      return;
    }
    case 'unweigh': {
      const [stationId] = args;
      if (!stationId) throw new Error('usage: unweigh <stationId>');
      console.log(
        JSON.stringify(await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/scale/remove`, {})),
      );
      return;
    }
    case 'scale-fault': {
      const [stationId, fault] = args;
      if (!stationId || !fault)
        throw new Error('usage: scale-fault <stationId> overload|underload|silent|bad-checksum|clear');
      console.log(
        JSON.stringify(await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/scale/fault`, { fault })),
      );
      return;
    }
    case 'temperature': {
      const [stationId, celsius] = args;
      if (!stationId || !/^-?\d+(\.\d+)?$/.test(celsius ?? ''))
        throw new Error('usage: temperature <stationId> <celsius> [--for ms] [--after ms]');
      const forMs = option(args, '--for');
      const afterMs = option(args, '--after');
      console.log(
        JSON.stringify(
          await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/sensor/temperature`, {
            celsius: Number(celsius),
            ...(forMs ? { forMs: Number(forMs) } : {}),
            ...(afterMs ? { afterMs: Number(afterMs) } : {}),
          }),
        ),
      );
      return;
    }
    case 'sensor-fault': {
      const [stationId, fault] = args;
      if (!stationId || !fault) throw new Error('usage: sensor-fault <stationId> silent|bad-crc|probe-open|clear');
      console.log(
        JSON.stringify(await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/sensor/fault`, { fault })),
      );
      return;
    }
    case 'labels': {
      const [stationId] = args;
      if (!stationId) throw new Error('usage: labels <stationId>');
      console.log(
        JSON.stringify(await call(args, 'GET', `/stations/${encodeURIComponent(stationId)}/printer/labels`), null, 2),
      );
      return;
    }
    case 'printer-fault': {
      const [stationId, fault] = args;
      if (!stationId || !fault)
        throw new Error('usage: printer-fault <stationId> paperOut|headOpen|ribbonOut|paused|noReply|clear [--off]');
      console.log(
        JSON.stringify(
          await call(args, 'POST', `/stations/${encodeURIComponent(stationId)}/printer/fault`, {
            fault,
            on: !args.includes('--off'),
          }),
        ),
      );
      return;
    }
    case 'devices':
      console.log(JSON.stringify(await call(args, 'GET', '/devices'), null, 2));
      return;
    case 'customs-lists':
      console.log(JSON.stringify(await call(args, 'GET', '/customs/lists'), null, 2));
      return;
    case 'customs-conclude': {
      const [key, decision] = args;
      if (!key || (decision !== 'release' && decision !== 'detain'))
        throw new Error('usage: customs-conclude <logisticsNo|copNo|invtNo> release|detain');
      console.log(
        JSON.stringify(await call(args, 'POST', `/customs/lists/${encodeURIComponent(key)}/conclude`, { decision })),
      );
      return;
    }
    case 'customs-credit': {
      const file = option(args, '--set');
      const body = file ? JSON.parse(readFileSync(resolve(file), 'utf8')) : undefined;
      console.log(JSON.stringify(await call(args, file ? 'PUT' : 'GET', '/customs/credit', body), null, 2));
      return;
    }
    case 'customs': {
      const outbox = option(args, '--outbox');
      const inbox = option(args, '--inbox');
      if (!outbox || !inbox) throw new Error('customs needs --outbox <dir> and --inbox <dir>');
      const mix = parseMix(option(args, '--mix') ?? 'release=8,inspect=1,reject=1');
      const returnApproval = Number(option(args, '--return-approval') ?? 399);
      if (returnApproval !== 399 && returnApproval !== 800) throw new Error('--return-approval is 399 or 800');
      const authority = new CustomsAuthority({
        returnApproval,
        outbox: resolve(outbox),
        inbox: resolve(inbox),
        seed: Number(option(args, '--seed') ?? 1),
        mix,
        delays: {
          acceptMs: Number(option(args, '--accept-ms') ?? 500),
          decisionMs: Number(option(args, '--decision-ms') ?? 3000),
        },
        log: (line) => console.log(line),
        // inspection by credit grade (issue 13): a JSON {grades, rates} file, read again when it changes
        creditFile: option(args, '--credit') ? resolve(option(args, '--credit') as string) : undefined,
      });
      authority.start();
      console.log(`customs authority: declarations from ${resolve(outbox)}, receipts into ${resolve(inbox)}`);
      const stop = () => void authority.stop().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return;
    }
    default:
      console.log(HELP);
      if (command && command !== 'help' && command !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof SimulatorConfigError ? error.message : `sim: ${error.message}`);
  process.exit(1);
});
