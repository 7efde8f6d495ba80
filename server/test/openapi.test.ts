import SwaggerParser from '@apidevtools/swagger-parser';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { ModulesContainer } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerCheck } from '../../test/support/openapi-answers.js';
import { startTestServer, type TestServer } from '../../test/support/test-server.js';
import type { OpenApiDocument } from './security/openapi-fuzz.js';

/**
 * The OpenAPI document is part of the API: a newcomer learns the API from it, so it is checked
 * here against the routes themselves. Every request part a handler reads (body, query, path
 * parameter) must be named with a schema in its decorator — the same schema the global pipe
 * validates with and the document is generated from — and the document must show it.
 */
interface Operation {
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  parameters?: Array<{ name: string; in: string; description?: string; schema?: unknown; required?: boolean }>;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
type Document = { openapi: string; info: { description?: string }; paths: Record<string, Record<string, Operation>> };

interface RoutePart {
  kind: 'body' | 'query' | 'param';
  name?: string;
  hasSchema: boolean;
  /** Object keys of a query schema: each becomes one documented query parameter. */
  keys: string[];
}
interface Route {
  method: string;
  path: string;
  handler: string;
  parts: RoutePart[];
}

let app: TestServer;
let doc: Document;
let routes: Route[];

/** The routes as Nest registered them, with the argument metadata of @Body / @Query / @Param. */
function registeredRoutes(): Route[] {
  const found: Route[] = [];
  for (const module of app.server.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type?.prototype) continue;
      const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const fn = type.prototype[name];
        if (typeof fn !== 'function' || name === 'constructor') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, fn);
        const sub = Reflect.getMetadata(PATH_METADATA, fn);
        if (method === undefined || sub === undefined) continue;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, type, name) ?? {}) as Record<
          string,
          { data?: string; schema?: { _zod?: { def?: { shape?: Record<string, unknown> } } } }
        >;
        const parts: RoutePart[] = [];
        for (const [key, arg] of Object.entries(args)) {
          const paramType = Number(key.split(':')[0]);
          const kind =
            paramType === RouteParamtypes.BODY
              ? 'body'
              : paramType === RouteParamtypes.QUERY
                ? 'query'
                : paramType === RouteParamtypes.PARAM
                  ? 'param'
                  : null;
          if (!kind) continue;
          parts.push({
            kind,
            name: arg.data,
            hasSchema: !!arg.schema,
            keys: Object.keys(arg.schema?._zod?.def?.shape ?? {}),
          });
        }
        const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`
          .replace(/\/+/g, '/')
          .replace(/:(\w+)/g, '{$1}');
        found.push({ method: RequestMethod[method].toLowerCase(), path, handler: `${type.name}.${name}`, parts });
      }
    }
  }
  return found;
}

beforeAll(async () => {
  app = await startTestServer('openapi', {}, { reader: ['staff'] });
  doc = (await (await fetch(`${app.server.url}/api/openapi.json`)).json()) as Document;
  routes = registeredRoutes();
});

afterAll(async () => {
  await app?.close();
});

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3 document', async () => {
    expect(doc.openapi).toMatch(/^3\./);
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('lists every route the server has', () => {
    expect(routes.length).toBeGreaterThan(40);
    const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('every body, query and path parameter a handler reads is parsed through a schema', () => {
    const unparsed = routes.flatMap((r) =>
      r.parts.filter((p) => !p.hasSchema).map((p) => `${r.handler}: ${p.kind} ${p.name ?? ''}`),
    );
    expect(unparsed).toEqual([]);
  });

  it('every route that takes a body documents its schema', () => {
    const withBody = routes.filter((r) => r.parts.some((p) => p.kind === 'body'));
    expect(withBody.length).toBeGreaterThan(20);
    const undocumented = withBody
      .filter((r) => {
        const schema = doc.paths[r.path][r.method].requestBody?.content?.['application/json']?.schema;
        return !schema || (!schema.properties && !schema.$ref && !schema.oneOf && !schema.anyOf);
      })
      .map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);
  });

  it('every query parameter of a schema is documented, and nothing else is', () => {
    const problems: string[] = [];
    for (const r of routes) {
      const keys = r.parts.filter((p) => p.kind === 'query').flatMap((p) => p.keys);
      const documented = (doc.paths[r.path][r.method].parameters ?? []).filter((p) => p.in === 'query');
      for (const key of keys)
        if (!documented.some((p) => p.name === key && p.schema)) problems.push(`${r.path}: ?${key} undocumented`);
      for (const p of documented) if (!keys.includes(p.name)) problems.push(`${r.path}: ?${p.name} not in the schema`);
      for (const p of documented) if (!p.description) problems.push(`${r.path}: ?${p.name} has no description`);
    }
    expect(problems).toEqual([]);
  });

  it('every path parameter is described with a schema', () => {
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        for (const name of names) {
          const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
          if (!p?.schema || !p.description || !p.required) problems.push(`${method} ${path}: {${name}}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every route describes its success answer and its errors', () => {
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const codes = Object.keys(op.responses ?? {});
        const success = codes.filter((c) => c.startsWith('2'));
        if (!success.length || success.some((c) => !op.responses?.[c].description))
          problems.push(`${method} ${path}: no described success answer`);
        if (!codes.includes('400')) problems.push(`${method} ${path}: no 400`);
      }
    expect(problems).toEqual([]);
  });

  it('every success answer of every route has a JSON schema', () => {
    const problems: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops))
        for (const [code, response] of Object.entries(op.responses ?? {})) {
          if (!code.startsWith('2')) continue;
          // a file answer (a picture) documents each of its media types as binary
          const files = Object.entries(response.content ?? {}).filter(([type]) => type !== 'application/json');
          if (
            files.length &&
            files.every(([, c]) => c.schema?.format === 'binary') &&
            !response.content?.['application/json']
          )
            continue;
          const schema = response.content?.['application/json']?.schema;
          if (!schema || (!schema.type && !schema.$ref && !schema.anyOf && !schema.oneOf))
            problems.push(`${method} ${path}: ${code} has no answer schema`);
        }
    expect(problems).toEqual([]);
  });

  it('answer schemas tell a real answer from a wrong one', async () => {
    // the check the fuzzer runs over every route, proven here on sign-in: a real answer passes,
    // a missing field, a wrong type and a field the document does not name each fail with their path
    const check = answerCheck(doc as unknown as OpenApiDocument);
    const signedIn = await app.api('POST', '/api/auth/login', 'nobody', {
      username: app.username('reader'),
      password: 'pw',
    });
    expect(signedIn.status).toBe(200);
    expect(check.errors('POST', '/api/auth/login', 200, signedIn.body)).toEqual([]);
    const { expiresIn: _gone, ...missing } = signedIn.body;
    expect(check.errors('POST', '/api/auth/login', 200, missing)).toEqual([
      "/ must have required property 'expiresIn'",
    ]);
    expect(check.errors('POST', '/api/auth/login', 200, { ...signedIn.body, expiresIn: '900' })).toEqual([
      '/expiresIn must be integer',
    ]);
    expect(
      check.errors('POST', '/api/auth/login', 200, { ...signedIn.body, user: { ...signedIn.body.user, secret: 'x' } }),
    ).toEqual(['/user must NOT have additional properties: secret']);
    expect(check.errors('GET', '/api/auth/me', 201, {})).toEqual(['no JSON schema documented for 201']);
    // the integration tests' api() finds the route of a concrete path the same way
    expect(check.templateOf('/api/floor/trips/TR1/depart')).toBe('/api/floor/trips/{no}/depart');
    expect(check.templateOf('/api/customs/parcels?filter=all')).toBe('/api/customs/parcels');
    expect(check.templateOf('/api/customs/parcels/SF1')).toBe('/api/customs/parcels/{logisticsNo}');
    expect(check.templateOf('/nowhere')).toBeUndefined();
  });

  it('tells a newcomer how to get a token', () => {
    expect(doc.info.description).toContain('POST /api/auth/login');
    expect(doc.info.description).toContain('Authorization: Bearer');
    const schemes = (doc as unknown as { components: { securitySchemes: Record<string, { scheme?: string }> } })
      .components.securitySchemes;
    expect(Object.values(schemes).some((s) => s.scheme === 'bearer')).toBe(true);
  });

  it('carries examples from the schemas', () => {
    const login = doc.paths['/api/auth/login'].post.requestBody?.content?.['application/json']?.schema as {
      properties: Record<string, { example?: unknown }>;
    };
    expect(login.properties.username.example).toBe('supervisor');
    const unit = doc.paths['/api/floor/units'].post.responses?.['201'].content?.['application/json']?.schema as {
      properties: Record<string, { example?: unknown }>;
    };
    expect(unit.properties.sscc.example).toBe('169000000000000012');
  });
});
