/**
 * The customs audit trail (issue 13, "责任可究"): every request a customs officer makes, reads
 * included, is logged with who, what, when and how it ended. Pure rules of what is written.
 */

export type AuditOutcome = 'ok' | 'refused' | 'failed';

/** Who is audited: a user holding the customs role (the floor's requests are never touched). */
export const isAudited = (user: { roles?: readonly string[] } | undefined): boolean =>
  Boolean(user?.roles?.includes('customs'));

export function auditOutcome(status: number): AuditOutcome {
  if (status < 400) return 'ok';
  return status < 500 ? 'refused' : 'failed';
}

/** The route as the OpenAPI document names it: `/api/customs/holds/:logisticsNo` → `/api/customs/holds/{logisticsNo}`. */
export const routeTemplate = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

const SECRET_KEY = /password|secret|token|authorization/i;
export const AUDIT_BODY_MAX = 4000;

/**
 * Text PostgreSQL can store: a NUL or a lone surrogate (a hostile request carries them) becomes
 * U+FFFD, so the entry of even such a request is written, never lost.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is exactly what PostgreSQL text cannot store
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export function storable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (depth > 16 || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => storable(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k), storable(v, depth + 1)]));
}

/** Removes secrets from what is kept of a request body. */
function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v, depth + 1)]),
  );
}

/**
 * What is kept of a request body: nothing for reads, the JSON of an action (its reason, its
 * result) without secrets, at most 4,000 characters; an upload by its name, type and size.
 */
export function auditBody(
  method: string,
  body: unknown,
  file?: { originalname?: string; mimetype?: string; size?: number },
): Record<string, unknown> | null {
  if (method === 'GET' || method === 'HEAD') return null;
  const upload = file
    ? { file: { name: file.originalname ?? null, type: file.mimetype ?? null, bytes: file.size ?? null } }
    : {};
  if (body === undefined || body === null || (typeof body === 'object' && !Object.keys(body).length))
    return file ? upload : null;
  const kept = redact(body);
  const text = JSON.stringify(kept);
  if (text.length > AUDIT_BODY_MAX) return { truncated: true, preview: text.slice(0, AUDIT_BODY_MAX), ...upload };
  return typeof kept === 'object' && !Array.isArray(kept)
    ? { ...(kept as object), ...upload }
    : { value: kept, ...upload };
}
