/**
 * A PostgreSQL array literal for one bound parameter (`= any(?::text[])`). MikroORM expands a
 * JavaScript array bound to `?` into a comma list, which breaks array casts and empty arrays; a
 * literal string keeps it one parameter. Elements are quoted and escaped, so any text is safe.
 */
export function pgArray(values: ReadonlyArray<string | number | bigint>): string {
  return `{${values.map((v) => (typeof v === 'string' ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : String(v))).join(',')}}`;
}
