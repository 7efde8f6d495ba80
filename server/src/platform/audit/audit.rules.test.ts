import { describe, expect, it } from 'vitest';
import { AUDIT_BODY_MAX, auditBody, auditOutcome, isAudited, routeTemplate, storable } from './audit.rules.js';

describe('the customs audit trail', () => {
  it('audits customs users only', () => {
    expect(isAudited({ roles: ['customs'] })).toBe(true);
    expect(isAudited({ roles: ['supervisor', 'customs'] })).toBe(true);
    expect(isAudited({ roles: ['staff'] })).toBe(false);
    expect(isAudited(undefined)).toBe(false);
  });

  it('tells the outcome from the status', () => {
    expect([200, 201, 304, 400, 403, 404, 409, 500, 503].map(auditOutcome)).toEqual([
      'ok',
      'ok',
      'ok',
      'refused',
      'refused',
      'refused',
      'refused',
      'failed',
      'failed',
    ]);
  });

  it('names the route as the OpenAPI document does', () => {
    expect(routeTemplate('/api/customs/holds/:logisticsNo')).toBe('/api/customs/holds/{logisticsNo}');
    expect(routeTemplate('/api/customs/inspection-results/:id/photos/:photoId')).toBe(
      '/api/customs/inspection-results/{id}/photos/{photoId}',
    );
  });

  it('keeps what an action said, never a secret, never a read body', () => {
    expect(auditBody('GET', { a: 1 })).toBeNull();
    expect(auditBody('DELETE', undefined)).toBeNull();
    expect(auditBody('DELETE', { reason: 'checked' })).toEqual({ reason: 'checked' });
    expect(auditBody('POST', { refreshToken: 'abc', nested: { password: 'pw', ok: 1 } })).toEqual({
      refreshToken: '[redacted]',
      nested: { password: '[redacted]', ok: 1 },
    });
    expect(auditBody('POST', {}, { originalname: 'a.jpg', mimetype: 'image/jpeg', size: 10 })).toEqual({
      file: { name: 'a.jpg', type: 'image/jpeg', bytes: 10 },
    });
    const long = auditBody('POST', { notes: 'x'.repeat(AUDIT_BODY_MAX * 2) });
    expect(long).toMatchObject({ truncated: true });
    expect(String(long?.preview).length).toBe(AUDIT_BODY_MAX);
  });

  it('keeps a hostile request storable: NUL and lone surrogates become U+FFFD', () => {
    expect(storable({ 'a\u0000': ['x\u0000y', '\ud800'], n: 1, deep: { s: 'ok' } })).toEqual({
      'a\uFFFD': ['x\uFFFDy', '\uFFFD'],
      n: 1,
      deep: { s: 'ok' },
    });
  });
});
