import type { MikroORM } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AuditQuery } from '@wms/contracts';
import { ORM } from '../database/orm.js';
import type { AuditOutcome } from './audit.rules.js';

export interface AuditEntry {
  userId: string | null;
  username: string;
  displayName: string | null;
  method: string;
  route: string;
  path: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: Record<string, unknown> | null;
  status: number;
  outcome: AuditOutcome;
  errorCode: string | null;
  durationMs: number;
}

/**
 * `customs_audit`, append-only (migration 0955: no update, delete or truncate, by trigger and by
 * grant). Written only here, by the audit trail; read by GET /api/customs/audit.
 */
@Injectable()
export class AuditRepository {
  private readonly logger = new Logger('audit');
  /** Writes not yet committed, so a shutdown (and a test) can wait for them. */
  private readonly pending = new Set<Promise<void>>();

  constructor(@Inject(ORM) private readonly orm: MikroORM) {}

  /** Appends one entry; it never fails the request it describes, a failed write is logged. */
  append(e: AuditEntry): void {
    const write = this.orm.em
      .fork()
      .execute(
        `insert into customs_audit (user_id, username, display_name, method, route, path, params, query, body,
           status, outcome, error_code, duration_ms)
         values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?, ?, ?, ?)`,
        [
          e.userId,
          e.username,
          e.displayName,
          e.method,
          e.route,
          e.path,
          JSON.stringify(e.params),
          JSON.stringify(e.query),
          e.body === null ? null : JSON.stringify(e.body),
          e.status,
          e.outcome,
          e.errorCode,
          e.durationMs,
        ],
      )
      .then(
        () => undefined,
        (error: unknown) =>
          this.logger.error({ msg: 'audit entry not written', error: String(error), route: e.route, user: e.username }),
      );
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }

  /** Resolves once every entry appended so far is written. */
  async flushed(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  async find(q: AuditQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.username) add('username = ?', q.username);
    if (q.route) add("route ilike '%' || ? || '%'", q.route);
    if (q.method) add('method = ?', q.method);
    if (q.outcome) add('outcome = ?', q.outcome);
    if (q.from) add('at >= ?::timestamptz', q.from);
    if (q.to) add('at < ?::timestamptz', q.to);
    if (q.before) add('id < ?', q.before);
    const rows = await this.orm.em.execute<
      Array<{
        id: string;
        at: Date;
        user_id: string | null;
        username: string;
        display_name: string | null;
        method: string;
        route: string;
        path: string;
        params: Record<string, unknown>;
        query: Record<string, unknown>;
        body: Record<string, unknown> | null;
        status: number;
        outcome: AuditOutcome;
        error_code: string | null;
        duration_ms: number;
      }>
    >(`select * from customs_audit ${where.length ? `where ${where.join(' and ')}` : ''} order by id desc limit ?`, [
      ...params,
      q.limit + 1,
    ]);
    const page = rows.slice(0, q.limit);
    return {
      items: page.map((r) => ({
        id: String(r.id),
        at: r.at,
        userId: r.user_id,
        username: r.username,
        displayName: r.display_name,
        method: r.method,
        route: r.route,
        path: r.path,
        params: r.params,
        query: r.query,
        body: r.body,
        status: r.status,
        outcome: r.outcome,
        errorCode: r.error_code,
        durationMs: r.duration_ms,
      })),
      nextBefore: rows.length > q.limit ? Number(page[page.length - 1].id) : null,
    };
  }
}
