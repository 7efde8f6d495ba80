import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { AppError } from './app-error.js';
import { findUnsafeInput } from './safe-input.js';

const partNames: Record<string, string> = { body: 'request body', query: 'query', param: 'path parameter' };

/** Zod's "Unrecognized key" with the keys the object does take, so the caller can fix the request. */
const withAllowedKeys: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const shape = (issue.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  const allowed = shape ? Object.keys(shape) : [];
  return `unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `"${k}"`).join(', ')}; allowed: ${allowed.join(', ') || '(none)'}`;
};

/**
 * One request part (body, query, a path parameter) through its schema: no NUL or lone surrogate in
 * any string or key, unknown fields and wrong types refused item by item with the field named.
 */
export function parseRequestPart<T extends z.ZodType>(
  schema: T | undefined,
  value: unknown,
  what: string,
  field = '',
): z.infer<T> {
  const unsafe = findUnsafeInput(value, field);
  if (unsafe)
    throw new AppError('VALIDATION_FAILED', `The ${what} is not valid: ${unsafe.field}: ${unsafe.problem}`, [
      { field: unsafe.field, problem: unsafe.problem },
    ]);
  if (!schema) return value as z.infer<T>;
  const parsed = schema.safeParse(value, { error: withAllowedKeys });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    field: [field, ...issue.path].filter((p) => p !== '').join('.') || '(root)',
    problem: issue.message,
  }));
  const summary = problems
    .slice(0, 20)
    .map((p) => `${p.field}: ${p.problem}`)
    .join('; ');
  const more = problems.length > 20 ? ` (and ${problems.length - 20} more)` : '';
  throw new AppError('VALIDATION_FAILED', `The ${what} is not valid: ${summary}${more}`, problems.slice(0, 1000));
}

/** Parses a request part through a schema given here (for parts a decorator cannot name). */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(
    private readonly schema: T,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.infer<T> {
    return parseRequestPart(this.schema, value, this.what);
  }
}

/**
 * The global pipe: every `@Body({ schema })`, `@Query({ schema })` and `@Param(name, { schema })`
 * is parsed through the schema its decorator names — the same schema @nestjs/swagger turns into
 * the OpenAPI document, so the docs and the validation cannot drift. Parts without a schema still
 * get the text check (no NUL, no lone surrogate).
 */
@Injectable()
export class SchemaValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const what =
      metadata.type === 'param' && metadata.data ? `path parameter ${metadata.data}` : partNames[metadata.type];
    const field = metadata.type === 'param' ? (metadata.data ?? '') : '';
    return parseRequestPart(metadata.schema as z.ZodType | undefined, value, what ?? 'request', field);
  }
}
