import { randomUUID } from 'node:crypto';
import fc from 'fast-check';

/**
 * Requests generated from the OpenAPI document: one valid-looking request per route (from the
 * schemas' examples, defaults, enums, bounds and patterns), then mutations of it, one bad thing at
 * a time, so each mutation reaches the code behind the field it breaks.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  example?: unknown;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  minItems?: number;
  nullable?: boolean;
};

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface FuzzRequest {
  method: string;
  /** Path with parameters filled and query attached, already encoded. */
  url: string;
  /** Raw body text (so malformed JSON and deep nesting can be sent), or undefined. */
  body?: string;
  contentType?: string;
  mutation: string;
}

export interface Route {
  method: string;
  path: string;
  operation: OpenApiOperation;
}

export function routesOf(doc: OpenApiDocument): Route[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

function resolve(doc: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema {
  let current = schema ?? {};
  for (let i = 0; current.$ref && i < 10; i++)
    current = doc.components?.schemas?.[current.$ref.replace('#/components/schemas/', '')] ?? {};
  return current;
}

let counter = 0;

function sampleString(schema: JsonSchema): string {
  const min = schema.minLength ?? 1;
  const max = schema.maxLength ?? 40;
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'date-time') return new Date().toISOString();
  if (schema.format === 'byte' || schema.format === 'base64') return 'QUJD';
  if (schema.pattern) {
    try {
      const regex = new RegExp(schema.pattern);
      const [value] = fc.sample(
        fc
          .stringMatching(regex)
          .filter(
            (s) => s.length >= min && s.length <= max && !/\s/.test(s) && ![...s].some((c) => c.charCodeAt(0) < 0x20),
          ),
        { numRuns: 1, seed: counter++ },
      );
      if (value !== undefined) return value;
    } catch {
      // an unsatisfiable pattern for the sampler: fall back to a plain code
    }
  }
  const text = `F${(counter++).toString(36).toUpperCase()}`;
  return text.length >= min ? text.slice(0, max) : text.padEnd(min, 'X');
}

/**
 * A value the schema accepts, as far as the document says (examples and defaults first); with
 * `withOptional`, optional properties are filled in too, so their fields get broken as well.
 */
export function sample(doc: OpenApiDocument, raw: JsonSchema | undefined, depth = 0, withOptional = false): unknown {
  const schema = resolve(doc, raw);
  if (depth > 12) return null;
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (schema.default !== undefined && !(withOptional && schema.type === 'array'))
    return structuredClone(schema.default);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  const alternative = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (alternative) return sample(doc, alternative, depth + 1, withOptional);
  if (schema.allOf?.length)
    return Object.assign({}, ...schema.allOf.map((s) => sample(doc, s, depth + 1, withOptional) as object));
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {}))
        if (withOptional || schema.required?.includes(key)) out[key] = sample(doc, property, depth + 1, withOptional);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, () =>
        sample(doc, schema.items, depth + 1, withOptional),
      );
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number': {
      const low = typeof schema.minimum === 'number' ? schema.minimum : 1;
      const value = schema.exclusiveMinimum === true ? low + 1 : Math.max(low, 1);
      return typeof schema.maximum === 'number' ? Math.min(value, schema.maximum) : value;
    }
    case 'boolean':
      return true;
    default:
      return 'x';
  }
}

type Path = Array<string | number>;

/** The dotted paths of every value inside `value`. */
export const leavesOf = (value: unknown) => leaves(value).map((l) => l.path.join('.'));

function leaves(value: unknown, path: Path = [], out: Array<{ path: Path; value: unknown }> = []) {
  out.push({ path, value });
  if (Array.isArray(value)) for (const [i, v] of value.entries()) leaves(v, [...path, i], out);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  return out;
}

function setAt(root: unknown, path: Path, value: unknown | typeof REMOVE): unknown {
  if (!path.length) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === REMOVE) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}
const REMOVE = Symbol('remove');

/** The bad values every field gets, by the kind of value it holds. */
const badStrings: Array<[string, unknown]> = [
  ['NUL', 'a\u0000b'],
  ['lone high surrogate', 'a\ud800b'],
  ['lone low surrogate', '\udc00'],
  ['very long string', 'x'.repeat(100_000)],
  ['30-digit decimal', '123456789012345678901234567890.12345'],
  ['NaN as string', 'NaN'],
  ['-0 as string', '-0'],
  ['null', null],
  ['number instead of text', 2147483648],
  ['object instead of text', { a: 1 }],
];
const badNumbers: Array<[string, unknown]> = [
  ['int4 + 1', 2147483648],
  ['int8 + 1', 2 ** 63],
  ['1e308', 1e308],
  ['-0', -0],
  ['negative', -2147483649],
  ['fraction', 1.5],
  ['NaN as string', 'NaN'],
  ['numeric string', '2147483648'],
  ['null', null],
];
const badAny: Array<[string, unknown]> = [
  ['null', null],
  ['array instead', [1, 2]],
  ['NUL string', '\u0000'],
];

const json = (value: unknown) => JSON.stringify(value);

/** Body mutations of one route: root-level ones, then each field broken alone (at most `maxFields`). */
export function bodyMutations(
  base: unknown,
  maxFields = 24,
): Array<{ mutation: string; body: string; contentType?: string }> {
  const out: Array<{ mutation: string; body: string; contentType?: string }> = [
    { mutation: 'empty object', body: '{}' },
    { mutation: 'array root', body: '[]' },
    { mutation: 'string root', body: '"x"' },
    { mutation: 'number root', body: '2147483648' },
    { mutation: 'null root', body: 'null' },
    { mutation: 'malformed JSON', body: '{"a":' },
    { mutation: 'raw NUL byte in JSON', body: '{"a":"\u0000"}' },
    { mutation: 'escaped NUL key', body: '{"\\u0000":1}' },
    { mutation: 'deep array nesting', body: `${'['.repeat(50_000)}${']'.repeat(50_000)}` },
    { mutation: 'deep object nesting', body: `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}` },
    {
      mutation: 'prototype key',
      body: `{"__proto__":{"admin":true}${json(base) === '{}' ? '}' : `,${json(base).slice(1)}`}`,
    },
    { mutation: 'unknown key', body: json({ ...(base as object), unknownKey: 1 }) },
    { mutation: 'text/plain body', body: json(base), contentType: 'text/plain' },
    { mutation: 'utf-16 charset', body: json(base), contentType: 'application/json; charset=utf-16' },
    { mutation: 'form body', body: 'a=1&b=%00', contentType: 'application/x-www-form-urlencoded' },
  ];
  return [...out, ...fieldMutations(base, new Set(), maxFields)];
}

/** Each field of `base` broken alone (wrong values, missing, duplicated, unknown key), `skip` aside. */
export function fieldMutations(
  base: unknown,
  skip: Set<string>,
  maxFields = 24,
): Array<{ mutation: string; body: string; contentType?: string }> {
  const out: Array<{ mutation: string; body: string; contentType?: string }> = [];
  const fields = leaves(base)
    .filter((l) => l.path.length > 0 && !skip.has(l.path.join('.')))
    .slice(0, maxFields);
  for (const { path, value } of fields) {
    const name = path.join('.');
    const bad = typeof value === 'string' ? badStrings : typeof value === 'number' ? badNumbers : badAny;
    for (const [what, replacement] of bad)
      out.push({ mutation: `${name}: ${what}`, body: json(setAt(base, path, replacement)) });
    out.push({ mutation: `${name}: missing`, body: json(setAt(base, path, REMOVE)) });
    if (Array.isArray(value) && value.length)
      out.push({ mutation: `${name}: duplicated item`, body: json(setAt(base, path, [value[0], value[0]])) });
    if (value && typeof value === 'object' && !Array.isArray(value))
      out.push({ mutation: `${name}: unknown key`, body: json(setAt(base, path, { ...value, zz: 1 })) });
  }
  return out;
}

/** Raw (already encoded) bad values for a path segment or a query value. */
export const badUrlValues: Array<[string, string]> = [
  ['NUL', 'a%00b'],
  ['only NUL', '%00'],
  ['40 digits', '9'.repeat(40)],
  ['int4 + 1', '2147483648'],
  ['int8 + 1', '9223372036854775808'],
  ['traversal', '..%2f..%2fetc%2fpasswd'],
  ['dot dot', '%2e%2e'],
  ['long', 'x'.repeat(5000)],
  ['invalid UTF-8', '%FF%FE'],
  ['encoded surrogate', '%ED%A0%80'],
  ['overlong NUL', '%C0%80'],
  ['negative', '-1'],
  ['zero', '0'],
  ['1e308', '1e308'],
  ['space', '%20'],
  ['quote injection', "'%20or%201%3D1--"],
  ['bad percent', '%'],
];

export function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? 'X');
}

export function query(values: Record<string, string>): string {
  const entries = Object.entries(values);
  return entries.length ? `?${entries.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
}
