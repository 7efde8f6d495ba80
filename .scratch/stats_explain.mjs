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
await c.query('begin');
await c.query('set local jit = off');
const r = await c.query(`explain (analyze, buffers, timing) ${text}`, [ids]);
console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
await c.query('rollback');
await c.end();
