import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

/** An API failure in the contract's shape: `{"error": {"code", "message"}}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);
export const badRequest = (message: string): ApiError => new ApiError(400, 'invalid_request', message);
/** A per-project cap (`409 limit_reached`): `things` names what is counted, `remedy` what frees a place. */
export const limitReached = (max: number, things: string, remedy: string): ApiError =>
  new ApiError(409, 'limit_reached', `a project keeps at most ${max} ${things}; ${remedy} first`);

export const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = status === 204 ? '' : JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  sendJson(res, err.status, { error: { code: err.code, message: err.message } });
}

/** Turns zod issues into one message naming the field at fault. */
export function describeZodError(error: z.ZodError, where: string, schema?: z.ZodType): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const message = issue.code === 'unrecognized_keys' && schema ? unknownKeys(issue.keys, fieldsAt(schema, issue.path)) : issue.message;
      return `${where}${path ? ` "${path}"` : ''}: ${message}`;
    })
    .join('; ');
}

/** The fields of the object schema at `path` (through optional / nullable wrappers), with their own schemas. */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): Record<string, z.ZodType> {
  let current: z.ZodType | undefined = schema;
  for (const key of [...path, null]) {
    while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) current = current.unwrap() as z.ZodType;
    if (!(current instanceof z.ZodObject)) return {};
    const shape = current.shape as Record<string, z.ZodType>;
    if (key === null) return shape;
    current = shape[String(key)];
  }
  return {};
}

/** "unknown field "x"; accepted: a, b" — and where a nested object takes it (`settings.x`), that hint. */
function unknownKeys(keys: readonly string[], fields: Record<string, z.ZodType>): string {
  const hints = keys.flatMap((key) => Object.entries(fields).flatMap(([name, field]) => (key in fieldsAt(field, []) ? [`${name}.${key}`] : [])));
  const accepted = Object.keys(fields);
  return (
    `unknown field${keys.length === 1 ? '' : 's'} ${keys.map((k) => `"${k}"`).join(', ')}` +
    (hints.length ? ` (it belongs in ${hints.map((h) => `"${h}"`).join(', ')})` : '') +
    (accepted.length ? `; accepted: ${accepted.join(', ')}` : '')
  );
}

/**
 * A too large body is read to its end all the same (the excess dropped), or drained unread when its declared length
 * is over: leaving the read loop early destroyed the request mid-body, and the client's next request on that
 * kept-alive connection hung until the connection was reset.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes = 1024 * 1024): Promise<unknown> {
  const tooLarge = () => new ApiError(413, 'payload_too_large', `request body exceeds ${maxBytes} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  if (size > maxBytes) throw tooLarge();
  if (size === 0) return {};
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw badRequest('request body is not valid JSON');
  }
  const bad = illFormedString(body);
  if (bad) throw badRequest(`body field${bad.length ? ` "${bad.join('.')}"` : ''}: is not valid Unicode (an unpaired surrogate escape such as \\ud800)`);
  return body;
}

/** A value inside a request body, linked to its parent so a path is built only for the one reported. */
interface Located {
  value: unknown;
  key: string | null;
  parent: Located | null;
}

function pathOf(at: Located): string[] {
  const path: string[] = [];
  for (let node: Located | null = at; node && node.key !== null; node = node.parent) path.push(node.key);
  return path.reverse();
}

/**
 * The path of the first string (value or key) holding an unpaired UTF-16 surrogate: JSON allows `"\ud800"`, but
 * ClickHouse refuses such a string on insert (a 500 after validation passed). Walked with a stack, not recursion:
 * the body may nest arrays 100,000 deep.
 */
function illFormedString(root: unknown): string[] | null {
  const stack: Located[] = [{ value: root, key: null, parent: null }];
  for (let at = stack.pop(); at; at = stack.pop()) {
    const { value } = at;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return pathOf(at);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (!key.isWellFormed()) return pathOf(at);
        stack.push({ value: v, key, parent: at });
      }
    }
  }
  return null;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    // Another site's cookie on this host may hold anything; a value that does not decode is kept as sent.
    const raw = part.slice(i + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      // kept as sent
    }
    out[part.slice(0, i).trim()] = value;
  }
  return out;
}
