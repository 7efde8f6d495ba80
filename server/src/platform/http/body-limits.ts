import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { AppError } from './app-error.js';
import { toHttpError } from './error.filter.js';

/** What every JSON body may weigh unless its route is a bulk import: a scan, a form, a command. */
export const DEFAULT_JSON_LIMIT_BYTES = 256 * 1024;

export interface BulkBodyRoute {
  method: 'POST' | 'PUT' | 'PATCH';
  path: RegExp;
  limitBytes: number;
  /** Why this route needs more than the default, for the reader of this table. */
  why: string;
}

const MB = 1024 * 1024;

/**
 * The routes that take large bodies, and only for a signed-in caller: anyone else gets the default
 * limit, so an anonymous 40 MB body is refused from its Content-Length before a byte is parsed.
 */
export const bulkBodyRoutes: readonly BulkBodyRoute[] = [
  {
    method: 'POST',
    path: /^\/api\/master-data\/?$/,
    limitBytes: 50 * MB,
    why: 'master data in bulk: up to 100,000 goods and 200,000 book lines',
  },
  {
    method: 'POST',
    path: /^\/api\/customs\/documents\/?$/,
    limitBytes: 50 * MB,
    why: 'orders, payments and waybills: up to 20,000 of each',
  },
  {
    method: 'POST',
    path: /^\/api\/customs\/declarations\/?$/,
    limitBytes: 4 * MB,
    why: 'up to 20,000 order references',
  },
  { method: 'POST', path: /^\/api\/bonded\/entries\/?$/, limitBytes: 4 * MB, why: 'up to 10,000 entry lines' },
  { method: 'POST', path: /^\/api\/floor\/deliveries\/?$/, limitBytes: 2 * MB, why: 'up to 5,000 delivery lines' },
  { method: 'POST', path: /^\/api\/floor\/stocktakes\/?$/, limitBytes: 2 * MB, why: 'up to 10,000 locations' },
  { method: 'POST', path: /^\/api\/seller\/orders\/bulk\/?$/, limitBytes: 4 * MB, why: 'up to 1,000 orders' },
  { method: 'POST', path: /^\/api\/seller\/goods\/bulk\/?$/, limitBytes: 4 * MB, why: 'up to 1,000 SKUs' },
  {
    method: 'POST',
    path: /^\/api\/seller\/orders\/imports\/?$/,
    limitBytes: 21 * MB,
    why: 'an order import file of up to 20 MB (multipart)',
  },
  {
    method: 'POST',
    path: /^\/api\/shipments\/[^/]+\/damages\/[^/]+\/photo\/?$/,
    limitBytes: 6 * MB,
    why: 'a damage photo (JPEG or PNG, at most 5 MB, multipart)',
  },
  {
    method: 'POST',
    path: /^\/api\/returns\/[^/]+\/photos\/?$/,
    limitBytes: 6 * MB,
    why: 'a photo of returned goods (JPEG or PNG, at most 5 MB, multipart)',
  },
  {
    method: 'POST',
    path: /^\/api\/devices\/[^/]+\/commands\/?$/,
    limitBytes: 4 * MB,
    why: 'a label of up to 1 MB of ZPL with a 2 MB base64 logo',
  },
];

export interface BodyLimitOptions {
  defaultLimitBytes?: number;
  routes?: readonly BulkBodyRoute[];
  /** Resolves when the bearer token is valid; only then does a bulk route get its large limit. */
  verifyToken(token: string): Promise<unknown>;
  /** Resolves when a seller API key (`wmsk_…`, as bearer or X-Api-Key) is valid: the seller bulk routes take keys. */
  verifyApiKey?(key: string): Promise<unknown>;
}

/**
 * JSON body parsing with a limit per route, in place of Nest's single global parser (which runs
 * before routing and guards, so one limit would apply to every route and every caller).
 */
export function jsonBodyWithLimits(options: BodyLimitOptions): RequestHandler {
  const defaultLimit = options.defaultLimitBytes ?? DEFAULT_JSON_LIMIT_BYTES;
  const routes = options.routes ?? bulkBodyRoutes;
  const parsers = new Map<number, RequestHandler>();
  const parserFor = (limit: number) => {
    let parser = parsers.get(limit);
    if (!parser) {
      parser = express.json({ limit });
      parsers.set(limit, parser);
    }
    return parser;
  };
  const tooLarge = (limit: number) =>
    new AppError(
      'PAYLOAD_TOO_LARGE',
      `The request body is larger than this route takes (${Math.round(limit / 1024)} kB); only the bulk imports take more, from a signed-in caller.`,
    );
  const refuse = (res: Response, error: unknown) => {
    const { status, body } = toHttpError(error);
    // the rest of an oversized body is not read: close the connection rather than drain it
    if (status === 413) res.setHeader('connection', 'close');
    res.status(status).json(body);
  };

  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const declared = Number(req.headers['content-length'] ?? Number.NaN);
      let limit = defaultLimit;
      const bulk = routes.find((r) => r.method === req.method && r.path.test(req.path));
      if (bulk && !(declared <= defaultLimit)) {
        const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        const keyHeader = req.headers['x-api-key'];
        const apiKey = typeof keyHeader === 'string' ? keyHeader.trim() : bearer?.startsWith('wmsk_') ? bearer : null;
        const check = apiKey ? options.verifyApiKey?.(apiKey) : bearer ? options.verifyToken(bearer) : undefined;
        const signedIn = check
          ? await check.then(
              () => true,
              () => false,
            )
          : false;
        if (signedIn) limit = bulk.limitBytes;
      }
      if (declared > limit) return refuse(res, tooLarge(limit));
      parserFor(limit)(req, res, (error?: unknown) =>
        error
          ? refuse(res, (error as { type?: string }).type === 'entity.too.large' ? tooLarge(limit) : error)
          : next(),
      );
    })().catch(next);
  };
}
