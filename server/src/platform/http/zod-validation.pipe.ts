import { type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { AppError } from './app-error.js';

/** Parses a request part through a schema: unknown fields and wrong types are refused, item by item. */
export class ZodValidationPipe<T extends z.ZodType> implements PipeTransform<unknown, z.infer<T>> {
  constructor(
    private readonly schema: T,
    private readonly what = 'request body',
  ) {}

  transform(value: unknown): z.infer<T> {
    const parsed = this.schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const problems = parsed.error.issues.map((issue) => ({
      field: issue.path.join('.') || '(root)',
      problem: issue.message,
    }));
    const summary = problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
    throw new AppError('VALIDATION_FAILED', `The ${this.what} is not valid: ${summary}`, problems);
  }
}
