import { unsafeTextReason } from '@wms/contracts';

/**
 * What no text field may hold, whatever its schema says: PostgreSQL `text` and `jsonb` refuse NUL
 * (SQLSTATE 22021 / 22P05) and lone UTF-16 surrogates cannot be encoded as UTF-8. Checking here,
 * once per request part, turns both into a 400 that names the field instead of a 500 at the insert.
 */
export interface UnsafeInput {
  field: string;
  problem: string;
}

/** Deeper than any document this API takes (an order line is 4 levels down); deeper is an attack. */
export const MAX_INPUT_DEPTH = 32;

/** Walks strings and keys of a parsed JSON value, a query object or a path parameter, without recursion. */
export function findUnsafeInput(value: unknown, root = ''): UnsafeInput | null {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: root, depth: 0 }];
  while (stack.length) {
    const item = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof item.value === 'string') {
      const problem = unsafeTextReason(item.value);
      if (problem) return { field: item.path || '(root)', problem };
      continue;
    }
    if (item.value === null || typeof item.value !== 'object') continue;
    if (item.depth >= MAX_INPUT_DEPTH)
      return { field: item.path || '(root)', problem: `is nested more than ${MAX_INPUT_DEPTH} levels deep` };
    const entries = Array.isArray(item.value) ? item.value.entries() : Object.entries(item.value);
    for (const [key, child] of entries) {
      const path = item.path ? `${item.path}.${key}` : String(key);
      if (typeof key === 'string') {
        const keyProblem = unsafeTextReason(key);
        if (keyProblem) return { field: path, problem: `has a key that ${keyProblem}` };
      }
      stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return null;
}
