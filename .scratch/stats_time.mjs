import pg from 'pg';
import { APPLY_CHANGES_SQL } from '/work/wt/stats/server/dist/modules/statistics/statistics-rollup.repository.js';

const c = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:5432/${process.argv[2]}` });
await c.connect();
await c.query("set app.scope='centre'");
let n = 0;
const text = APPLY_CHANGES_SQL.replace(/\?/g, () => `$${++n}`);
const from = Number(process.argv[3] ?? 1),
  count = Number(process.argv[4] ?? 2000);
const ids = `{${Array.from({ length: count }, (_, i) => from + i).join(',')}}`;
for (const mode of (process.argv[5] ?? 'plain').split(',')) {
  await c.query('begin');
  await c.query('set local jit = off');
  if (mode === 'nosort') await c.query('set local enable_sort = off');
  if (mode === 'wipe') await c.query('delete from statistics_list_fact where list_id = any($1::bigint[])', [ids]);
  const t0 = performance.now();
  await c.query(text, [ids]);
  console.log(mode, (performance.now() - t0).toFixed(0), 'ms');
  await c.query('rollback');
}
await c.end();
