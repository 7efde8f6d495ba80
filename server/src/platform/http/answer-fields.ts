import { z } from 'zod';

/**
 * Field types of the API's answers, for the zod schemas `/api/docs` shows and the fuzzer checks
 * real answers against. They describe the JSON on the wire; where a service hands over another
 * type that JSON turns into it (a Date becomes its ISO text), the TypeScript type says so, so a
 * handler's return type can be checked against its answer schema.
 */

/** A time as JSON writes a Date: ISO 8601 in UTC. */
export const isoTime = z.iso.datetime().meta({ example: '2026-12-01T09:40:37.869Z' }) as unknown as z.ZodType<
  string | Date
>;

/**
 * A time read by plain SQL: PostgreSQL's text form (`2026-12-01 09:40:37.889197+00`), or ISO 8601
 * where the row went through a Date.
 */
export const dbTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}/, 'a timestamp')
  .meta({ example: '2026-12-01 09:40:37.889197+00' }) as unknown as z.ZodType<string | Date>;

/** A `bigint` or `numeric` value read by plain SQL: PostgreSQL hands it over as decimal text. */
export const bigintText = z
  .string()
  .regex(/^-?\d+$/)
  .describe('A whole number as text (a bigint column)')
  .meta({ example: '200' });

/** A `bigint` row id, as text. */
export const rowId = z.string().regex(/^\d+$/).describe('A row id (bigint, as text)').meta({ example: '1' });

/** A list answer: `{ items: [...] }`. */
export const itemsOf = <T extends z.ZodType>(item: T, what: string) =>
  z.object({ items: z.array(item).describe(what) });

/** Free-form JSON kept as the system wrote it (trace documents, receipt details, reports). */
export const jsonObject = z.record(z.string(), z.unknown());

/** An account book line a stock line is booked against, or null off the book. */
export const bookLineRef = z.object({
  emsNo: z.string().meta({ example: 'T5165W000001' }),
  putrecSeqno: z.number().int().meta({ example: 1 }),
});

/** What a route answers, as the TypeScript type its handler must return. */
export type Answer<S extends z.ZodType> = z.infer<S>;
