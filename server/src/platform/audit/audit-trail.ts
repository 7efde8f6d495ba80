import type { NextFunction, Request, Response } from 'express';
import type { AuthenticatedUser } from '../auth/roles.js';
import type { AuditRepository } from './audit.repository.js';
import { auditBody, auditOutcome, isAudited, routeTemplate, storable } from './audit.rules.js';

type AuditedRequest = Request & {
  user?: AuthenticatedUser;
  file?: { originalname?: string; mimetype?: string; size?: number };
};

/**
 * The audit trail as Express middleware: it waits for the answer to be sent and, when the caller
 * was a customs user (the guard has named the user by then), appends who, route, params, query,
 * status and outcome. A request refused by the guard or a pipe is logged too (its outcome says
 * so). For everyone else it costs one listener and one role check: the floor's hot path is untouched.
 */
export function auditTrail(audit: AuditRepository) {
  return (req: AuditedRequest, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.on('finish', () => {
      if (!isAudited(req.user)) return;
      const user = req.user as AuthenticatedUser;
      const path = (req.originalUrl ?? req.url).split('?')[0];
      const expressRoute = (req.route as { path?: unknown } | undefined)?.path;
      const text = (v: string) => storable(v) as string;
      audit.append({
        userId: user.id ?? null,
        username: user.username,
        displayName: user.displayName ?? null,
        method: req.method,
        route: text(typeof expressRoute === 'string' ? routeTemplate(expressRoute) : path),
        path: text(path),
        params: storable({ ...(req.params ?? {}) }) as Record<string, unknown>,
        query: storable({ ...((req.query as Record<string, unknown>) ?? {}) }) as Record<string, unknown>,
        body: storable(auditBody(req.method, req.body, req.file)) as Record<string, unknown> | null,
        status: res.statusCode,
        outcome: auditOutcome(res.statusCode),
        errorCode: typeof res.locals.errorCode === 'string' ? res.locals.errorCode : null,
        durationMs: Math.round(performance.now() - started),
      });
    });
    next();
  };
}
