import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCebMessage } from '../../server/dist/modules/customs/messages/ceb-reader.js';
import { buildCebMessage } from '../../server/dist/modules/customs/messages/ceb-writer.js';

/**
 * CEB621 lists written and read back with every field rule (types, code lists, mode rules), pure
 * in-process work: what checking each list against the customs code lists costs a declaration run.
 * Starts from the kept 1210 sample (server/test/fixtures/ceb) and varies the order per message.
 */
export function benchCebMessages(root, figure, n = 20_000) {
  const sample = readCebMessage(readFileSync(join(root, 'server/test/fixtures/ceb/CEB621-1210.xml'), 'utf8'));
  if (!sample.ok) throw new Error(`the CEB621 sample does not read back: ${sample.error}`);
  const xmls = [];
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const guid = `6F1C2A8E-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const head = { ...sample.head, guid, orderNo: `SO-${i}`, copNo: `LI${i}` };
    xmls.push(buildCebMessage('CEB621', { head, lines: sample.lines }, sample.envelope).xml);
  }
  const writeS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let bad = 0;
  for (const xml of xmls) if (!readCebMessage(xml).ok) bad++;
  const readS = (performance.now() - t1) / 1000;
  figure(
    'ceb621_write_checked_per_s',
    Math.round(n / writeS),
    'msg/s',
    `${n} lists, every field and code list checked`,
  );
  figure(
    'ceb621_read_back_checked_per_s',
    Math.round(n / readS),
    'msg/s',
    `parse + re-check + compare (${bad} failed)`,
  );
}
