import Ajv, { type ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * The documented answers of the OpenAPI document as validators: what a route really answers is
 * checked against the schema `/api/docs` shows for it, so the docs cannot drift from the code.
 *
 * The document is OpenAPI 3.0, whose schema dialect is draft-04 (boolean `exclusiveMinimum`) plus
 * `nullable`, `example` and named schemas under `#/components/schemas`: hence ajv's draft-04 build,
 * `example` as an annotation, and the components handed over as `definitions`.
 */
export interface AnswerCheck {
  /** The ajv errors of one answer (`instancePath message`), empty when it matches. */
  errors(method: string, path: string, status: number, body: unknown): string[];
  /** Whether the route documents a JSON schema for that status. */
  documented(method: string, path: string, status: number): boolean;
  /** The document's path template a concrete path belongs to (`/api/floor/trips/{no}`), if any. */
  templateOf(path: string): string | undefined;
}

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;
/** As much of an OpenAPI 3.0 document as the check reads. */
export interface AnswerDocument {
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown> };
}

/** OpenAPI 3.0 spellings ajv's draft-04 does not read, turned into their JSON Schema form. */
function toDraft04(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toDraft04);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] =
      key === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/definitions/') : toDraft04(v);
  // `nullable` only widens a `type`; without one the value may be anything but the listed alternatives
  if (out.nullable === true && out.type === undefined) {
    delete out.nullable;
    for (const key of ['anyOf', 'oneOf'] as const)
      if (Array.isArray(out[key])) out[key] = [...(out[key] as unknown[]), { type: 'null' }];
  }
  return out;
}

export function answerCheck(doc: AnswerDocument): AnswerCheck {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
  addFormats(ajv);
  ajv.addKeyword('example');
  const definitions = toDraft04(doc.components?.schemas ?? {}) as Record<string, unknown>;
  const compiled = new Map<string, ValidateFunction | undefined>();
  const schemaOf = (method: string, path: string, status: number) => {
    const responses = (doc.paths[path]?.[method.toLowerCase()] as { responses?: Responses } | undefined)?.responses;
    return responses?.[String(status)]?.content?.['application/json']?.schema;
  };
  const validator = (method: string, path: string, status: number) => {
    const key = `${method} ${path} ${status}`;
    if (!compiled.has(key)) {
      const schema = schemaOf(method, path, status);
      compiled.set(key, schema ? ajv.compile({ ...(toDraft04(schema) as object), definitions }) : undefined);
    }
    return compiled.get(key);
  };
  // static segments before parameters: /api/customs/parcels is not /api/customs/parcels/{logisticsNo}
  const templates = Object.keys(doc.paths)
    .map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
      params: (template.match(/\{/g) ?? []).length,
    }))
    .sort((a, b) => a.params - b.params);
  return {
    templateOf: (path) => templates.find((t) => t.pattern.test(path.split('?')[0]))?.template,
    documented: (method, path, status) => !!schemaOf(method, path, status),
    errors(method, path, status, body) {
      const validate = validator(method, path, status);
      if (!validate) return [`no JSON schema documented for ${status}`];
      if (validate(body)) return [];
      return (validate.errors ?? []).map(
        (e) =>
          `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? `: ${e.params.additionalProperty}` : ''}`,
      );
    },
  };
}
