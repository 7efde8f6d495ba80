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
      return { status, body: { code: 'VALIDATION_FAILED', message: 'The request body is too large.' } };
    return { status, body: { code: status >= 500 ? 'INTERNAL' : 'VALIDATION_FAILED', message: text } };
  }
  // PostgreSQL constraint errors are the caller's data, not a server fault (SQLSTATE codes).
  const db = exception as { code?: string; sqlState?: string; detail?: string; message?: string };
  const sqlState = typeof db?.sqlState === 'string' ? db.sqlState : typeof db?.code === 'string' ? db.code : '';
  if (sqlState === '23503')
    return {
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: `Refers to something that does not exist yet: ${db.detail ?? db.message}`,
      },
    };
  if (sqlState === '23505')
    return { status: 409, body: { code: 'CONFLICT', message: `Already exists: ${db.detail ?? db.message}` } };
  if (sqlState === '23514' || sqlState === '22P02')
    return { status: 400, body: { code: 'VALIDATION_FAILED', message: `Invalid value: ${db.message}` } };
  const parserError = exception as { type?: string; status?: number; message?: string };
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
