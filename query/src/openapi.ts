import { z } from 'zod';
import type { Route } from './router.ts';

const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } }, required: ['code', 'message'] } },
  required: ['error'],
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function parameters(r: Route): unknown[] {
  const list: unknown[] = r.names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (r.query instanceof z.ZodObject) {
    const shape = r.query.shape as Record<string, z.ZodType>;
    for (const [name, field] of Object.entries(shape)) {
      const schema = jsonSchema(field, 'input');
      list.push({ name, in: 'query', required: !field.safeParse(undefined).success, schema, description: field.description });
    }
  }
  for (const extra of r.extraQuery ?? []) list.push({ name: extra.name, in: 'query', required: false, schema: { type: 'string' }, description: extra.description });
  return list;
}

/** OpenAPI 3.1 built from the same zod schemas that validate requests. */
export function buildOpenApi(routes: readonly Route[], version: string): unknown {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const op: Record<string, unknown> = {
      summary: r.summary,
      parameters: parameters(r),
      security: r.access === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      responses: {
        [r.method === 'POST' && r.response ? '201' : r.response ? '200' : '204']: r.response
          ? { description: 'OK', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } }
          : { description: 'No content' },
        default: { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
    };
    if (r.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } };
    (paths[r.path] ??= {})[r.method.toLowerCase()] = op;
  }
  // Served by the server itself (no route), public: clients discover the API from it.
  paths['/api/v1/openapi.json'] = {
    get: {
      summary: 'This OpenAPI document',
      security: [],
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', required: ['openapi', 'paths'] } } } } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Faultline query API', version },
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'faultline_session' },
      },
    },
  };
}
