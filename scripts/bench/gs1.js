// Reading GS1 element strings by the whole Barcode Syntax Dictionary (issue 14 point 9): what one
// scan's GS1 reading costs on the server (pure CPU: AI lookup, every linter, the pairings).
// Run alone: BENCH_ONLY=gs1 npm run bench (or node scripts/bench.js after a build).
import { GS, parseGs1 } from '../../contracts/dist/index.js';
import { interpretCode } from '../../server/dist/modules/floor/floor.rules.js';

const SAMPLES = [
  `]C10104006381333931${'17'}281231${'10'}LOT-A${GS}3012`,
  `]C102${'04006381333931'}37${'24'}${GS}3302001234${'10'}LOT-9`,
  `]d20104006381333931${'3201'}012345${'3922'}1999${GS}8200https://example.com/p/1${GS}99INT-7`,
  `]C100106141411234567897${'02'}04006381333931${'37'}24${GS}400PO-99${GS}420200000`,
  `]C10104006381333932`, // refused: check digit
];

export async function benchGs1({ figure, percentile }) {
  const now = new Date();
  for (let i = 0; i < 2000; i++) for (const s of SAMPLES) interpretCode(s, now); // warm
  const rounds = 20_000;
  const times = [];
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    interpretCode(SAMPLES[i % SAMPLES.length], now);
    times.push(performance.now() - t);
  }
  const elapsed = performance.now() - start;
  times.sort((a, b) => a - b);
  figure('gs1_scan_read_per_s', Math.round(rounds / (elapsed / 1000)), '/s', 'interpretCode, 5 label kinds, one core');
  figure('gs1_scan_read_p99_us', Math.round(percentile(times, 99) * 1000), 'µs', 'one scan, dictionary-driven');
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) parseGs1(SAMPLES[1].slice(3), now);
  figure(
    'gs1_parse_label_us',
    Number((((performance.now() - t0) / rounds) * 1000).toFixed(1)),
    'µs',
    '(02)(37)(3302)(10)',
  );
}
