import { z } from 'zod';

/**
 * Field types of the HTTP API cut to the columns that store them (migrations/src), so a value the
 * database cannot hold is refused by the schema, with the field's name, before any SQL runs.
 */

/** An `integer` (int4) column: −2,147,483,648 … 2,147,483,647. */
export const int4 = () => z.int32();
/** A `bigint` (int8) column, as far as a JSON number carries it exactly (2^53 − 1). */
export const int8 = () => z.int();

/**
 * A `numeric(precision, scale)` column as a decimal string ("12.50"): at most precision − scale
 * digits before the point and scale after it, so PostgreSQL never answers 22003 (out of range).
 */
export function decimalText(precision: number, scale: number) {
  const whole = precision - scale;
  return z
    .string()
    .regex(
      new RegExp(`^\\d{1,${whole}}(\\.\\d{1,${scale}})?$`),
      `must be a decimal number such as "12.50", at most ${whole} digits before the point and ${scale} after`,
    )
    .meta({ example: '12.50' });
}

/**
 * A path parameter naming a document or a code: non-empty, bounded, no control characters and no
 * `..` step (document numbers such as `PO/123` or `D 1` stay usable, percent-encoded), so NUL,
 * `..%2f..%2f` or a 40 KB segment is a 400 and never reaches a query or a file name.
 */
export const codeParam = (what: string, max = 64) =>
  z
    .string()
    .min(1)
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what a segment must not hold
    .regex(/^[^\u0000-\u001f\u007f]+$/, `must be a ${what} without control characters`)
    .refine((v) => !/(^|[\\/])\.\.([\\/]|$)/.test(v), `must be a ${what}, not a path with ".."`)
    .describe(`The ${what}`);

/** A path parameter holding a `bigint` row id: digits only, within int8. */
export const idParam = (what: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,17}$/, `must be a ${what}: a positive whole number of at most 18 digits`)
    .describe(`The ${what}`)
    .meta({ example: '1' });

/** A path parameter holding an `integer` (int4) column such as a book line number. */
export const int4Param = (what: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, `must be a ${what}: a positive whole number`)
    .transform(Number)
    .pipe(z.int32())
    .describe(`The ${what}`)
    .meta({ example: '1' });

/**
 * Refuses an array in which two items share a key (one code twice in one import would otherwise
 * make PostgreSQL's `on conflict` fail on the whole batch). The message names the key and items.
 */
export function uniqueBy<T>(
  key: (item: T) => string,
  what: string,
  pathOf: (index: number) => PropertyKey[] = (index) => [index],
) {
  return (items: T[], ctx: Pick<z.RefinementCtx<unknown>, 'addIssue'>) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const k = key(item);
      const first = seen.get(k);
      if (first === undefined) seen.set(k, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: pathOf(index),
          message: `${what} "${k}" appears twice in this request (at ${pathOf(first).join('.')} and ${pathOf(index).join('.')}); give each once`,
        });
    });
  };
}

/** The path parameters of the API, one schema each, named as the routes name them. */
export const pathParams = {
  documentNo: codeParam('document number (trip, delivery, wave or stock-take)'),
  logisticsNo: codeParam('waybill number (logisticsNo)', 60).meta({ example: 'SF1234567890' }),
  copNo: codeParam('inventory list number (copNo)'),
  returnNo: codeParam('return number'),
  emsNo: codeParam('account book number (emsNo)', 30).meta({ example: 'T5165W000001' }),
  putrecSeqno: int4Param('account book line number (putrecSeqno)'),
  /** Any code: a task id that is not a number is simply not known (404), as a worker reads it. */
  pickTaskId: codeParam('pick task id', 64),
  summaryId: idParam('summary id'),
  importId: z.uuid().describe('The import job id'),
};
