import { Injectable } from '@nestjs/common';
import type { Sql } from './sql.js';

/** The day part of a document number: YYYYMMDD in China Standard Time (UTC+8), as customs dates are. */
export function documentDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * Our own document numbers, one sequence for every kind: prefix + YYYYMMDD + 8-digit sequence
 * (a customs copNo is at most 20 characters). Prefixes in use: LI/LE inventory lists, CX cancels,
 * RT returns, SM summaries, WV waves, ST stock-takes, TR vehicle trips, HF release notes, GP gate
 * passes. Taken in the caller's transaction (a rolled-back number is a gap, never a duplicate).
 */
@Injectable()
export class DocNumbers {
  async next(em: Sql, prefix: string, day: string = documentDay(new Date())): Promise<string> {
    const rows = await em.execute<Array<{ n: string }>>(`select nextval('customs_doc_seq') as n`);
    return `${prefix}${day}${String(rows[0].n).padStart(8, '0')}`;
  }

  /**
   * A number, and the rows of a query the caller needs next, in one round trip (the query's rows
   * come through jsonb: numbers as numbers, timestamps as ISO text).
   */
  async nextWith<R>(
    em: Sql,
    prefix: string,
    query: { sql: string; params: unknown[] },
    day: string = documentDay(new Date()),
  ): Promise<{ docNo: string; rows: R[] }> {
    const [row] = await em.execute<Array<{ n: string; rows: R[] }>>(
      `select nextval('customs_doc_seq') as n, coalesce((select jsonb_agg(q) from (${query.sql}) q), '[]'::jsonb) as rows`,
      query.params,
    );
    return { docNo: `${prefix}${day}${String(row.n).padStart(8, '0')}`, rows: row.rows };
  }
}
