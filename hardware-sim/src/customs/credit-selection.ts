import { existsSync, readFileSync, statSync } from 'node:fs';
import { CREDIT_GRADES, type CreditGrade, type CreditTable, creditTable } from '@wms/contracts';

/**
 * What the customs simulator knows of enterprise credit (issue 13, DOMAIN.md §8): each graded
 * enterprise's grade and each grade's inspection rate. Real customs knows its own grades; the
 * simulator, a separate program, learns them in one of three ways:
 *
 * - `credit` in its options (the dev stack and tests, in-process; `setCredit` replaces it later —
 *   the dev stack does so each time the WMS's grades or rates change);
 * - `creditFile`, a JSON file `{ "grades": { "<ebcCode>": "<grade>" }, "rates": { "<grade>":
 *   { "ratePpm": 30000, "b2bRatePpm": null } } }` (`npm run sim -- customs --credit <file>`),
 *   read again whenever the file changes; a file that does not parse keeps the last good table
 *   and says why in the log;
 * - the control API: `GET /customs/credit`, `PUT /customs/credit` with the same JSON.
 *
 * Without any of them the simulator draws outcomes from its mix alone, as before.
 */
export class CreditSource {
  private table: CreditTable | null;
  private fileStamp = '';

  constructor(
    table: CreditTable | undefined,
    private readonly file: string | undefined,
    private readonly log: (line: string) => void,
  ) {
    this.table = table ? creditTable.parse(table) : null;
  }

  set(table: CreditTable | null): void {
    this.table = table ? creditTable.parse(table) : null;
  }

  /** The table in force: the file's, when there is a file and it changed since it was last read. */
  current(): CreditTable | null {
    if (!this.file || !existsSync(this.file)) return this.table;
    const stat = statSync(this.file);
    const stamp = `${stat.mtimeMs}|${stat.size}`;
    if (stamp === this.fileStamp) return this.table;
    this.fileStamp = stamp;
    try {
      this.table = creditTable.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch (error) {
      this.log(
        `customs simulator: credit file ${this.file} is not a credit table, keeping the last one (${(error as Error).message.slice(0, 300)})`,
      );
    }
    return this.table;
  }
}

/** Lists and inspected lists per grade: what the simulator decided, for tests and the control API. */
export type CreditStats = Record<CreditGrade, { lists: number; inspected: number }>;

export const emptyCreditStats = (): CreditStats =>
  Object.fromEntries(CREDIT_GRADES.map((g) => [g, { lists: 0, inspected: 0 }])) as CreditStats;
