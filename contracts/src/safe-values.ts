import { z } from 'zod';

/**
 * Values every store can hold. PostgreSQL text and jsonb refuse U+0000 and lone UTF-16 surrogates
 * (JSON.parse happily yields "\ud800"), and its integer columns stop at 2^31 - 1: a value outside
 * these is refused here, field by field, instead of failing a whole transaction later.
 */

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NUL = String.fromCharCode(0);
// NUL or a lone surrogate (NUL built from its code: a literal one in a regex reads as a typo)
const UNSAFE = new RegExp(`${NUL}|${LONE_SURROGATE.source}`, 'g');

/** Why a string cannot be stored as text, or null when it can. */
export function unsafeTextReason(text: string): string | null {
  if (text.includes(NUL)) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode)';
  return null;
}

/** Text that is safe to store: no NUL, no unpaired surrogate, `min` to `max` characters. */
export const safeText = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .superRefine((value, ctx) => {
      const reason = unsafeTextReason(value);
      if (reason) ctx.addIssue({ code: 'custom', message: `text ${reason}` });
    });

export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;

/** An integer that fits a PostgreSQL `integer` column. */
export const int32 = z.number().int().min(INT32_MIN).max(INT32_MAX);

/** A `bigint` counter that JavaScript still holds exactly (<= 2^53 - 1). */
export const safeCounter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * The text form of anything for a log or a record: NUL and lone surrogates written as visible
 * `\uXXXX` escapes, so a refusal's own message can never be refused by the store.
 */
export function storableText(text: string): string {
  if (!unsafeTextReason(text)) return text;
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
