import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Project, TokenInfo } from '@faultline/storage';
import { ApiError, badRequest, describeZodError, readJsonBody } from './http.ts';

export type Access = 'public' | 'read' | 'admin' | 'instance_admin';

export interface Context<Q, B> {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: Q;
  body: B;
  searchParams: URLSearchParams;
  token: TokenInfo | null;
  /** Resolved from `{project}` when the path has one and the token may see it. */
  project: Project;
}

export interface Reply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteSpec<Q extends z.ZodType, B extends z.ZodType> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI-style path: `/api/v1/projects/{project}/traces/{traceId}`. */
  path: string;
  summary: string;
  access: Access;
  query?: Q;
  body?: B;
  /** Largest JSON body taken (413 past it); default 1 MiB. */
  maxBodyBytes?: number;
  /** Documents the 2xx body in OpenAPI. */
  response?: z.ZodType;
  /** Query parameters the handler reads itself (`attr.<key>`, `tag.<key>`, repeatable `hasAttr`), for OpenAPI. */
  extraQuery?: ReadonlyArray<{ name: string; description: string }>;
  handler(ctx: Context<z.infer<Q>, z.infer<B>>): Promise<Reply>;
}

export interface Route extends RouteSpec<z.ZodType, z.ZodType> {
  pattern: RegExp;
  names: string[];
}

/** Keeps schemas and handler types tied together; the router stores routes type-erased. */
export function route<Q extends z.ZodType = z.ZodObject<Record<string, never>>, B extends z.ZodType = z.ZodUnknown>(spec: RouteSpec<Q, B>): Route {
  const names: string[] = [];
  const source = spec.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { ...(spec as unknown as RouteSpec<z.ZodType, z.ZodType>), pattern: new RegExp(`^${source}$`), names };
}

export interface Match {
  route: Route;
  params: Record<string, string>;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): Match | 'method_not_allowed' | null {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(m[i + 1] ?? '');
      } catch {
        throw badRequest(`path segment "${name}" is not valid percent-encoding`);
      }
    });
    return { route: r, params };
  }
  return pathMatched ? 'method_not_allowed' : null;
}

/** Validates the query string (every value a string; `attr.*` and `tag.*` keys are left to the handler) and the body. */
export async function parseInput(r: Route, req: IncomingMessage, searchParams: URLSearchParams): Promise<{ query: unknown; body: unknown }> {
  const raw: Record<string, string> = {};
  for (const [key, value] of searchParams) {
    if (key.startsWith('attr.') || key.startsWith('tag.') || key === 'token' || key === 'hasAttr') continue;
    // Only the prefixed filters and hasAttr repeat; a second `status` or `service` would silently win.
    if (Object.hasOwn(raw, key)) throw badRequest(`query parameter "${key}": given more than once`);
    raw[key] = value;
  }
  let query: unknown = raw;
  if (r.query) {
    const parsed = r.query.safeParse(raw);
    if (!parsed.success) throw badRequest(describeZodError(parsed.error, 'query parameter'));
    query = parsed.data;
  }
  let body: unknown = undefined;
  if (r.body) {
    const parsed = r.body.safeParse(await readJsonBody(req, r.maxBodyBytes));
    if (!parsed.success) throw badRequest(describeZodError(parsed.error, 'body field', r.body));
    body = parsed.data;
  }
  return { query, body };
}

export { ApiError };
