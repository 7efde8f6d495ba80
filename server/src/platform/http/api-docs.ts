import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';

/** The error answer of every route (`{ code, message, details? }`), documented from this schema. */
export const errorBody = z
  .object({
    code: z.string().meta({ example: 'VALIDATION_FAILED' }),
    message: z.string().meta({ example: 'The request body is not valid: warehouseCode: Too small' }),
    details: z
      .array(z.object({ field: z.string(), problem: z.string() }))
      .optional()
      .describe('One item per field that is wrong'),
  })
  .meta({ id: 'ErrorBody' });

export interface ApiAnswerOptions {
  /** What the caller gets on success. */
  description: string;
  /** 200 unless the route answers 201 (created) or 202 (accepted, running in the background). */
  status?: 200 | 201 | 202;
  /** The success answer's schema, where one is written down. */
  schema?: z.ZodType;
  /** Other success answers of the route (e.g. 202 with a job when asked to run in the background). */
  alternatives?: Array<{ status: 200 | 201 | 202; description: string; schema: z.ZodType }>;
  /** The route is open without a token (login, health). */
  anonymous?: boolean;
  /** The success answer is a file of one of these media types (a picture, a label), not JSON. */
  binary?: string[];
}

/**
 * The answers of a route for the OpenAPI document: the success one (described, with its zod
 * schema where there is one) and the errors every route can give. Request schemas are not named
 * here: they come from `@Body({ schema })`, `@Query({ schema })`, `@Param(name, { schema })`, the
 * same metadata the global SchemaValidationPipe validates with.
 */
export function ApiAnswer(options: ApiAnswerOptions) {
  const error = (status: number, description: string) =>
    ApiResponse({ status, description, standardSchema: errorBody });
  return applyDecorators(
    ApiResponse({
      status: options.status ?? 200,
      description: options.description,
      ...(options.schema ? { standardSchema: options.schema } : {}),
      ...(options.binary
        ? {
            content: Object.fromEntries(
              options.binary.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
            ),
          }
        : {}),
    }),
    ...(options.alternatives ?? []).map((a) =>
      ApiResponse({ status: a.status, description: a.description, standardSchema: a.schema }),
    ),
    error(400, 'The request is not valid: each wrong field is named, with the keys an object allows'),
    ...(options.anonymous
      ? []
      : [
          error(401, 'No token, or the token has expired: sign in at POST /api/auth/login'),
          error(403, 'Your role may not do this'),
        ]),
    error(404, 'Something the request names does not exist'),
    error(409, 'The request conflicts with the current state (already exists, customs status, stock)'),
    error(413, 'The request body is larger than this route takes'),
    error(422, 'A value is outside what its field can hold'),
  );
}

/** The bearer scheme's help text in the OpenAPI document. */
export const TOKEN_HELP =
  'A token from POST /api/auth/login ({"username","password"} → accessToken), sent as `Authorization: Bearer <token>`.';

/** The OpenAPI document's front page: what a newcomer needs before the first call. */
export const API_DESCRIPTION = `Central WMS for bonded logistics centres and overseas warehouses.

## How to get a token
1. \`POST /api/auth/login\` with \`{"username": "supervisor", "password": "…"}\` (the dev stack writes its logins to \`.data/dev-stack.json\`).
2. The answer holds \`accessToken\`: send it on every other call as \`Authorization: Bearer <accessToken>\` (here: the **Authorize** button).

\`\`\`sh
TOKEN=$(curl -s -H 'content-type: application/json' -d '{"username":"supervisor","password":"…"}' \\
  http://127.0.0.1:3000/api/auth/login | node -e 'process.stdin.on("data", (d) => console.log(JSON.parse(d).accessToken))')
curl -H "authorization: Bearer $TOKEN" http://127.0.0.1:3000/api/auth/me
\`\`\`

## Errors
A refused request answers \`{ code, message, details? }\` with a 4xx status; \`details\` names each wrong field, and an unknown field lists the allowed ones. JSON bodies are limited to 256 kB except the bulk imports.`;

/**
 * zod → OpenAPI 3.0 for @nestjs/swagger (its `standardSchemaConverter` option): zod 4's own
 * `z.toJSONSchema`, with the few JSON Schema keywords OpenAPI 3.0 has no room for turned into
 * their 3.0 spelling (`contentEncoding: base64` → `format: byte`).
 */
export function zodToOpenApi(
  schema: unknown,
  options: { schemaType: 'input' | 'output' },
): { schema: Record<string, unknown>; components?: Record<string, Record<string, unknown>> } | undefined {
  if (!(schema instanceof z.ZodType)) return undefined;
  const json = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: options.schemaType,
    unrepresentable: 'any',
    override: (ctx) => {
      const node = ctx.jsonSchema as Record<string, unknown>;
      if (node.contentEncoding === 'base64') {
        delete node.contentEncoding;
        node.format = 'byte';
      }
    },
  }) as Record<string, unknown>;
  // openapi-3.0 output keeps named schemas under `definitions` (draft 2020-12 under `$defs`)
  const { $defs, definitions, $schema: _dialect, ...root } = json;
  const named = { ...(($defs ?? {}) as object), ...((definitions ?? {}) as object) };
  const refs = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(refs)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value).map(([k, v]) => [
              k,
              k === '$ref' && typeof v === 'string'
                ? v.replace(/^#\/(\$defs|definitions)\//, '#/components/schemas/')
                : refs(v),
            ]),
          )
        : value;
  return {
    schema: refs(root) as Record<string, unknown>,
    components: refs(named) as Record<string, Record<string, unknown>>,
  };
}
