import { describe, expect, test } from 'vitest';
import type { Database } from '@faultline/storage';
import { buildOpenApi } from './openapi.ts';
import { routeTable } from './route-table.ts';

// Building the route table touches no storage: a stand-in database is enough.
const routes = routeTable({} as Database);

interface Operation {
  responses: Record<string, { description: string; content?: Record<string, { schema?: Record<string, unknown> }> }>;
}
const doc = buildOpenApi(routes, 'test') as { paths: Record<string, Record<string, Operation>> };

describe('OpenAPI document', () => {
  test('every route that answers with a body declares its schema: only deletions and sign-in/out answer 204', () => {
    const bodiless = routes.filter((r) => r.response === undefined).map((r) => `${r.method} ${r.path}`);
    // Handlers of these return `{status: 204}` and nothing else; anything else must document what it sends.
    expect(bodiless.filter((r) => !r.startsWith('DELETE ') && r !== 'POST /api/v1/session')).toEqual([]);
  });

  test('every GET and PATCH is documented as 200 with a JSON schema, every POST that answers as 201', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (method === 'delete' || path === '/api/v1/session') continue;
        const schema = op.responses[method === 'post' ? '201' : '200']?.content?.['application/json']?.schema;
        if (!schema || Object.keys(schema).length === 0 || op.responses['204']) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('the document lists itself as a public GET', () => {
    const op = doc.paths['/api/v1/openapi.json']?.get as unknown as { security: unknown[] } | undefined;
    expect(op?.security).toEqual([]);
  });

  test('services, operations, metrics and the service map document one default range: the last hour', () => {
    interface Parameter {
      name: string;
      description?: string;
    }
    const p = '/api/v1/projects/{project}';
    for (const path of [`${p}/services`, `${p}/services/{service}/operations`, `${p}/services/{service}/metrics`, `${p}/service-map`]) {
      const op = doc.paths[path]?.get as unknown as { summary: string; parameters: Parameter[] };
      expect(op.parameters.find((x) => x.name === 'start')?.description, path).toMatch(/default: an hour before `end`/);
      expect(op.summary, path).not.toMatch(/24 hours/);
    }
  });

  test('the answers the audit found undocumented carry their fields', () => {
    const props = (path: string, method: string, status = '200'): string[] =>
      Object.keys(
        (doc.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema?.properties as
          Record<string, unknown> | undefined) ?? {},
      );
    const p = '/api/v1/projects/{project}';
    expect(props(`${p}/issues/{issueId}`, 'get')).toEqual(expect.arrayContaining(['id', 'shortId', 'status', 'latestEvent', 'activity']));
    expect(props(`${p}/issues/{issueId}`, 'patch')).toEqual(
      expect.arrayContaining(['id', 'status', 'resolvedInRelease', 'ignoreUntilEvents', 'assignee']),
    );
    expect(props(`${p}/issues/{issueId}/events`, 'get')).toEqual(['events', 'nextCursor']);
    expect(props(`${p}/issues/{issueId}/stats`, 'get')).toEqual(['issueId', 'step', 'series']);
    expect(props(`${p}/issues/{issueId}/tags`, 'get')).toEqual(['tags']);
    expect(props(`${p}/events/{eventId}`, 'get')).toEqual(
      expect.arrayContaining(['eventId', 'issueId', 'exception', 'breadcrumbs', 'user', 'traceId']),
    );
    expect(props(`${p}/releases`, 'get')).toEqual(['releases']);
    expect(props(`${p}/releases/{version}`, 'get')).toEqual(
      expect.arrayContaining(['version', 'errorEvents', 'crashFreeUsers', 'previous', 'deltas']),
    );
    expect(props(p, 'patch')).toEqual(['id', 'slug', 'name', 'settings']);
    expect(props(`${p}/keys`, 'get')).toEqual(['keys']);
    expect(doc.paths[`${p}/keys`]?.get?.responses['200']?.content?.['application/json']?.schema).toMatchObject({
      properties: { keys: { items: { properties: { revoked: { type: 'boolean' } } } } },
    });
  });
});

test('the source file upload documents its JSON body (its handler read it itself, so OpenAPI had none)', () => {
  const op = doc.paths['/api/v1/projects/{project}/releases/{version}/files']?.post as unknown as {
    requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required: string[] } }> };
  };
  const schema = op.requestBody?.content['application/json']?.schema;
  expect(Object.keys(schema?.properties ?? {})).toEqual(['name', 'content', 'kind']);
  expect(schema?.required).toEqual(['name', 'content']);
});

describe('OpenAPI: parameters the handlers read themselves', () => {
  test('attr.<key>, hasAttr and tag.<key> are listed where they work', () => {
    const names = (path: string): string[] =>
      ((doc.paths[path]?.get as unknown as { parameters: Array<{ name: string }> } | undefined)?.parameters ?? []).map((x) => x.name);
    const p = '/api/v1/projects/{project}';
    expect(names(`${p}/traces`)).toEqual(expect.arrayContaining(['attr.<key>', 'hasAttr', 'service', 'limit']));
    expect(names(`${p}/logs`)).toEqual(expect.arrayContaining(['attr.<key>']));
    expect(names(`${p}/logs/histogram`)).toEqual(expect.arrayContaining(['attr.<key>']));
    expect(names(`${p}/issues`)).toEqual(expect.arrayContaining(['tag.<key>', 'status']));
    expect(names(`${p}/services`)).not.toContain('attr.<key>');
  });
});
