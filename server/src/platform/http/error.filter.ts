import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, type ErrorBody } from './app-error.js';

/** The single place where failures become HTTP answers: `{ code, message, details? }`. */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return;
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = toHttpError(exception);
    if (status >= 500)
      this.logger.error({ msg: 'request failed', error: String(exception), stack: (exception as Error)?.stack });
    // the audit trail (platform/audit) keeps the code of a refused customs request
    response.locals.errorCode = body.code;
    response.status(status).json(body);
  }
}

export function toHttpError(exception: unknown): { status: number; body: ErrorBody } {
  if (exception instanceof AppError) {
    return {
      status: exception.status,
      body: { code: exception.code, message: exception.message, details: exception.details },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const raw = exception.getResponse();
    const text = typeof raw === 'string' ? raw : String((raw as { message?: unknown }).message ?? exception.message);
    // body-parser reports unreadable JSON as a 400 HttpException
    if (status === 400 && /JSON/i.test(text)) {
      return { status, body: { code: 'MALFORMED_JSON', message: `The request body is not valid JSON: ${text}` } };
    }
    if (status === 404) return { status, body: { code: 'NOT_FOUND', message: text } };
    if (status === 413)
      return { status, body: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large.' } };
    return { status, body: { code: status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED', message: text } };
  }
  const database = databaseError(exception);
  if (database) return database;
  const parserError = exception as { type?: string; status?: number; message?: string };
  if (parserError?.type === 'entity.too.large' || parserError?.status === 413)
    return {
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large for this route.' },
    };
  if (parserError?.type === 'encoding.unsupported' || parserError?.type === 'charset.unsupported')
    return {
      status: 415,
      body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `The request body cannot be read: ${parserError.message}` },
    };
  if (parserError?.type === 'request.aborted' || parserError?.type === 'request.size.invalid')
    return {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'The request body ended before its stated length.' },
    };
  const clientError = exception as { status?: unknown; expose?: unknown; message?: string };
  if (
    parserError?.type !== 'entity.parse.failed' &&
    typeof clientError?.status === 'number' &&
    clientError.status >= 400 &&
    clientError.status < 500 &&
    clientError.expose === true
  )
    return { status: clientError.status, body: { code: 'VALIDATION_FAILED', message: String(clientError.message) } };
  if (parserError?.type === 'entity.parse.failed') {
    return {
      status: 400,
      body: { code: 'MALFORMED_JSON', message: `The request body is not valid JSON: ${parserError.message}` },
    };
  }
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'Something went wrong on the server; it has been logged.' },
  };
}

/** snake_case column → the camelCase field name the API uses (`gross_grams` → `grossGrams`). */
const fieldOf = (column: string) => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The key columns and values of a pg detail such as `Key (owner_code, sku)=(X, a) already exists.` */
function keyOf(detail: string | undefined): { fields: string; values: string } | null {
  const match = /Key \((.+?)\)=\((.*)\)/.exec(detail ?? '');
  if (!match) return null;
  return { fields: match[1].split(/,\s*/).map(fieldOf).join(', '), values: match[2] };
}

/**
 * A database error that validation did not catch, as the caller's mistake (409/422) naming the
 * field, never the table or constraint (SQLSTATE classes 21, 22, 23). Anything else stays a 500.
 */
function databaseError(exception: unknown): { status: number; body: ErrorBody } | null {
  const db = exception as {
    code?: unknown;
    sqlState?: unknown;
    detail?: string;
    column?: string;
    table?: string;
    constraint?: string;
    message?: string;
  };
  if (!db || typeof db !== 'object') return null;
  const sqlState = typeof db.sqlState === 'string' ? db.sqlState : typeof db.code === 'string' ? db.code : '';
  if (!/^(21|22|23)[0-9A-Z]{3}$/.test(sqlState)) return null;
  const key = keyOf(db.detail);
  const column =
    db.column ??
    (db.constraint && db.table && db.constraint.startsWith(`${db.table}_`)
      ? db.constraint.slice(db.table.length + 1).replace(/_(check|fkey|key|not_null)$/, '')
      : undefined);
  const field = key?.fields ?? (column ? fieldOf(column) : undefined);
  const named = field ? ` (${field})` : '';
  const invalid = (message: string) => ({
    status: 422,
    body: { code: 'INVALID_VALUE', message, details: field ? [{ field, problem: message }] : undefined },
  });
  switch (sqlState) {
    case '23505':
      return {
        status: 409,
        body: {
          code: 'CONFLICT',
          message: key ? `${key.fields} ${key.values} already exists` : `This already exists${named}`,
          details: field ? [{ field, problem: 'already exists' }] : undefined,
        },
      };
    case '23503':
      // pg says "is not present in table …" for a missing reference, "is still referenced" for one in use
      return invalid(
        key
          ? /still referenced/.test(db.detail ?? '')
            ? `${key.fields} ${key.values} is still in use and cannot change`
            : `${key.fields} ${key.values} does not exist`
          : `Refers to something that does not exist${named}`,
      );
    case '23502':
      return invalid(`A value is required${named}`);
    case '23514':
      return invalid(`A value is outside what is allowed${named}`);
    case '21000':
      return invalid('The same item appears twice in this request; give each once');
    case '22001':
      return invalid(`A text is longer than its field allows${named}`);
    case '22003':
      return invalid(`A number is out of range for its field${named}`);
    case '22021':
    case '22P05':
      return invalid(`A text holds a character the database cannot store (such as NUL)${named}`);
    case '22007':
    case '22008':
      return invalid(`A date or time is not valid${named}`);
    default:
      return invalid(`A value is not valid${named}`);
  }
}
