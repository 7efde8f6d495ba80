import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevStackSummary, loginAs, startDevStack } from '../support/dev-stack.js';
import type { Proc } from '../support/processes.js';
import { query, waitFor } from '../support/services.js';

// The simulated MT-SICS scale on a real pty, read by the real agent: stable weights become weight
// events once per placement; commands go server -> agent -> scale and come back with an answer.

const dataDir = mkdtempSync(join(tmpdir(), 'wms-scale-'));
chmodSync(dataDir, 0o755);
let stack: Proc;
let s: DevStackSummary;
let token: string;

const sim = (path: string, body: unknown) =>
  fetch(new URL(path, s.simControlUrl), { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
const command = (deviceId: string, body: unknown) =>
  fetch(new URL(`/api/devices/${deviceId}/commands`, s.uiUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

/** The last scale events of the demo's own start (it weighs the risk demo's parcel at ST01): these tests' events come after. */
let lastWeightId = 0;
let lastScaleSeq = 0;

beforeAll(async () => {
  const started = await startDevStack(dataDir);
  stack = started.proc;
  s = started.summary;
  token = await loginAs(s, 'staff');
  const [w] = await query<{ id: string | null }>(s.databaseUrl, 'select max(id) as id from weight_event');
  const [st] = await query<{ seq: string | null }>(
    s.databaseUrl,
    "select max(seq) as seq from device_status_event where device_id = 'ST01-SCALE'",
  );
  lastWeightId = Number(w?.id ?? 0);
  lastScaleSeq = Number(st?.seq ?? 0);
});

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('scale on a serial line', () => {
  it('records one stable weight per placement, after the motion', async () => {
    await sim('/stations/ST01/scale/place', { grams: 1250, settleMs: 600 });
    await waitFor(
      'the weight event',
      async () =>
        (await query(s.databaseUrl, 'select 1 from weight_event where gross_grams = 1250 and id > $1', [lastWeightId]))
          .length === 1,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 1000)); // the load stays: no second weighing
    const weights = await query<{ gross_grams: number; protocol: string; raw: Buffer }>(
      s.databaseUrl,
      'select gross_grams, protocol, raw from weight_event where id > $1 order by id',
      [lastWeightId],
    );
    expect(weights).toHaveLength(1);
    expect(weights[0]).toMatchObject({ gross_grams: 1250, protocol: 'mt-sics' });
    expect(weights[0].raw.toString()).toMatch(/^S S\s+1\.250 kg$/);
    const statuses = await query<{ status: string }>(
      s.databaseUrl,
      "select status from device_status_event where device_id = 'ST01-SCALE' and seq > $1 order by seq",
      [lastScaleSeq],
    );
    expect(statuses.map((r) => r.status)).toEqual(['motion', 'ok']);

    await sim('/stations/ST01/scale/remove', {});
    await new Promise((r) => setTimeout(r, 800));
    await sim('/stations/ST01/scale/place', { grams: 1250, settleMs: 0 });
    await waitFor(
      'the second placement',
      async () => (await query(s.databaseUrl, 'select 1 from weight_event')).length === 2,
      20_000,
    );
  });

  it('reports an overloaded and a silent scale as status changes, never as weights', async () => {
    await sim('/stations/ST01/scale/fault', { fault: 'overload' });
    await waitFor(
      'overload status',
      async () =>
        (await query(s.databaseUrl, "select 1 from device_status_event where status = 'overload'")).length === 1,
      20_000,
    );
    await sim('/stations/ST01/scale/fault', { fault: 'silent' });
    await waitFor(
      'no-reply status',
      async () =>
        (await query(s.databaseUrl, "select 1 from device_status_event where status = 'no-reply'")).length === 1,
      20_000,
    );
    await sim('/stations/ST01/scale/fault', { fault: 'clear' });
    await waitFor(
      'back to ok',
      async () => {
        const [last] = await query<{ status: string }>(
          s.databaseUrl,
          "select status from device_status_event where device_id = 'ST01-SCALE' order by seq desc limit 1",
        );
        return last?.status === 'ok';
      },
      20_000,
    );
    expect((await query(s.databaseUrl, 'select 1 from weight_event where id > $1', [lastWeightId])).length).toBe(2);
  });

  it('answers commands through the agent: read the weight, tare, and a clear refusal', async () => {
    await sim('/stations/ST01/scale/place', { grams: 2040, settleMs: 0 });
    const read = await command('ST01-SCALE', { type: 'read-weight' });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ type: 'read-weight', status: 'done', result: { grossGrams: 2040 } });
    const tare = await (await command('ST01-SCALE', { type: 'tare' })).json();
    expect(tare).toMatchObject({ status: 'done', result: { tareGrams: 2040 } });
    const wrongKind = await command('ST01-SCANNER', { type: 'tare' });
    expect(wrongKind.status).toBe(400);
    expect((await wrongKind.json()).message).toBe('Device ST01-SCANNER is a scanner; "tare" needs a scale.');
    await sim('/stations/ST01/scale/fault', { fault: 'silent' });
    const silent = await (await command('ST01-SCALE', { type: 'read-weight' })).json();
    expect(silent).toMatchObject({ status: 'failed', reason: expect.stringContaining('did not answer') });
    await sim('/stations/ST01/scale/fault', { fault: 'clear' });
    const logged = await query<{ type: string; status: string; requested_by: string }>(
      s.databaseUrl,
      'select type, status, requested_by from device_command order by requested_at',
    );
    expect(logged.map((r) => `${r.type}:${r.status}`)).toEqual(['read-weight:done', 'tare:done', 'read-weight:failed']);
    expect(logged[0].requested_by).toBe('staff');
  });
});

describe('ZPL printer on TCP 9100', () => {
  const label = (text: string) => `^XA^FO50,50^A0N,40,40^FD${text}^FS^BY2^FO50,120^BCN,80,Y,N,N^FD${text}^FS^XZ`;
  const labels = async () =>
    (await (await fetch(new URL('/stations/ST01/printer/labels', s.simControlUrl))).json()).labels as Array<{
      zpl: string;
      jobId: string;
    }>;
  const fault = (fault: string, on = true) => sim('/stations/ST01/printer/fault', { fault, on });

  it('prints a job once, however often it is sent; a reprint is a new recorded job', async () => {
    const first = await (
      await command('ST01-PRINTER', { type: 'print', jobId: 'PARCEL-1', zpl: label('PARCEL-1') })
    ).json();
    expect(first).toMatchObject({ type: 'print', status: 'done', jobId: 'PARCEL-1' });
    const again = await (
      await command('ST01-PRINTER', { type: 'print', jobId: 'PARCEL-1', zpl: label('PARCEL-1') })
    ).json();
    expect(again.commandId).toBe(first.commandId); // the first outcome, not a second print
    await waitFor('the label at the printer', async () => (await labels()).length === 1, 10_000);
    const printed = await labels();
    expect(printed[0].jobId).toBe('PARCEL-1');
    expect(printed[0].zpl).toContain('^FDPARCEL-1^FS');

    const reprint = await (
      await command('ST01-PRINTER', { type: 'print', reprintOf: 'PARCEL-1', zpl: label('PARCEL-1') })
    ).json();
    expect(reprint).toMatchObject({ status: 'done', reprintOf: 'PARCEL-1' });
    await waitFor('the reprint', async () => (await labels()).length === 2, 10_000);
    const jobs = await query<{ job_id: string; reprint_of: string | null }>(
      s.databaseUrl,
      "select job_id, reprint_of from device_command where type = 'print' order by requested_at",
    );
    expect(jobs).toEqual([
      { job_id: 'PARCEL-1', reprint_of: null },
      { job_id: expect.any(String), reprint_of: 'PARCEL-1' },
    ]);
  });

  it('refuses to print with the head open or a silent printer, saying why, and records the fault', async () => {
    await fault('headOpen');
    const refused = await (
      await command('ST01-PRINTER', { type: 'print', jobId: 'PARCEL-2', zpl: label('PARCEL-2') })
    ).json();
    expect(refused).toMatchObject({
      status: 'failed',
      reason: 'printer ST01-PRINTER cannot print: print head open: close the head',
    });
    await fault('clear');
    const retried = await (
      await command('ST01-PRINTER', { type: 'print', jobId: 'PARCEL-2-RETRY', zpl: label('PARCEL-2') })
    ).json();
    expect(retried.status).toBe('done');
    await fault('noReply');
    const silent = await (await command('ST01-PRINTER', { type: 'printer-status' })).json();
    expect(silent).toMatchObject({ status: 'failed', reason: expect.stringContaining('does not answer') });
    await fault('clear');
    const status = await (await command('ST01-PRINTER', { type: 'printer-status' })).json();
    expect(status).toMatchObject({ status: 'done', result: { ready: true, headOpen: false, paperOut: false } });
  });

  it('prints a logo as a ^GF graphic', async () => {
    const { PNG } = await import('pngjs');
    const png = new PNG({ width: 16, height: 16 });
    png.data.fill(0);
    for (let i = 3; i < png.data.length; i += 4) png.data[i] = 255;
    const pngBase64 = PNG.sync.write(png).toString('base64');
    const done = await (
      await command('ST01-PRINTER', {
        type: 'print',
        jobId: 'LOGO-1',
        zpl: label('LOGO'),
        logo: { pngBase64, x: 10, y: 10 },
      })
    ).json();
    expect(done.status).toBe('done');
    await waitFor('the logo label', async () => (await labels()).some((l) => l.jobId === 'LOGO-1'), 10_000);
    expect((await labels()).find((l) => l.jobId === 'LOGO-1')!.zpl).toMatch(/\^FO10,10\^GFA,\d+,\d+,\d+,:Z64:/);
  });
});

describe('scanner faults on the wire', () => {
  it('keeps a garbled frame as a device status with its bytes, and the good reads around it as scans', async () => {
    const raw = Buffer.concat([
      Buffer.from('GOOD-A\r\n'),
      Buffer.from([0x47, 0x00, 0xff, 0x13, 0x0d, 0x0a]),
      Buffer.from('GOOD-B\r\n'),
    ]);
    await sim('/stations/ST01/scanner/raw', { base64: raw.toString('base64'), splitEveryByte: true });
    await waitFor(
      'the good reads',
      async () =>
        (await query(s.databaseUrl, "select 1 from scan_event where code in ('GOOD-A', 'GOOD-B')")).length === 2,
      20_000,
    );
    const garbled = await query<{ detail: string }>(
      s.databaseUrl,
      "select detail from device_status_event where device_id = 'ST01-SCANNER' and status = 'garbled'",
    );
    expect(garbled).toHaveLength(1);
    expect(garbled[0].detail).toContain('4700ff13');
  });

  it('an unplugged scanner: the agent sees it go, reopens the port when it is back, and reads again', async () => {
    await sim('/stations/ST01/scanner/unplug', {});
    await waitFor(
      'the agent to notice the unplug',
      () => /device ST01-SCANNER disconnected/.test(stack.output()),
      15_000,
    );
    const refused = await fetch(new URL('/stations/ST01/scanner/scan', s.simControlUrl), {
      method: 'POST',
      body: JSON.stringify({ code: 'WHILE-UNPLUGGED' }),
    });
    expect(refused.status).toBe(409);
    const connectedBefore = stack.output().match(/device ST01-SCANNER connected/g)?.length ?? 0;
    await sim('/stations/ST01/scanner/replug', {});
    await waitFor(
      'the agent to reopen the port',
      () => (stack.output().match(/device ST01-SCANNER connected/g)?.length ?? 0) > connectedBefore,
      20_000,
    );
    await sim('/stations/ST01/scanner/scan', { code: 'AFTER-REPLUG' });
    await waitFor(
      'the read after replug',
      async () => (await query(s.databaseUrl, "select 1 from scan_event where code = 'AFTER-REPLUG'")).length === 1,
      20_000,
    );
  });

  it('takes a burst of 100,000 reads: every one stored once, in order', async () => {
    await sim('/stations/ST01/scanner/burst', { count: 100_000, prefix: 'BURST-' });
    await waitFor(
      '100k scans in PostgreSQL',
      async () => {
        const [{ n }] = await query<{ n: string }>(
          s.databaseUrl,
          "select count(*) as n from scan_event where code like 'BURST-%'",
        );
        return Number(n) >= 100_000;
      },
      180_000,
      500,
    );
    const [check] = await query<{ n: string; distinct: string; ordered: boolean }>(
      s.databaseUrl,
      `select count(*) as n, count(distinct code) as distinct,
              bool_and(code > coalesce(prev, '')) as ordered
       from (select code, lag(code) over (order by seq) as prev from scan_event where code like 'BURST-%') t`,
    );
    expect({ n: Number(check.n), distinct: Number(check.distinct), ordered: check.ordered }).toEqual({
      n: 100_000,
      distinct: 100_000,
      ordered: true,
    });
  }, 240_000);
});

describe('MQTT handheld', () => {
  it('joins the same path: queued in the agent outbox, resends recognised, stored once', async () => {
    const ack = await sim('/stations/ST01/handheld/scan', { code: 'HH-PARCEL-1', extraCopies: 2 });
    expect(ack).toMatchObject({ status: 'queued', sentCopies: 3 });
    await waitFor(
      'the handheld scan',
      async () => (await query(s.databaseUrl, "select 1 from scan_event where code = 'HH-PARCEL-1'")).length === 1,
      20_000,
    );
    await new Promise((r) => setTimeout(r, 500));
    const rows = await query<{ device_id: string; station_id: string }>(
      s.databaseUrl,
      "select device_id, station_id from scan_event where code = 'HH-PARCEL-1'",
    );
    expect(rows).toEqual([{ device_id: 'ST01-HANDHELD', station_id: 'ST01' }]);
  });
});
