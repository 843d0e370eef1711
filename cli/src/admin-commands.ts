import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ALERTS_USAGE, ALERT_OPTIONS, alertRuleBody, type AlertArgs } from './alert-commands.ts';
import { clientEnv } from './config.ts';

export interface CommandIo {
  out(text: string): void;
}

/** A failed call of the API (refused, unreachable, not JSON): the CLI prints its message, without a stack. */
export class CommandError extends Error {}

interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

function apiClient(url: string, token: string): ApiClient {
  return {
    async call(method, path, body) {
      const base = url.replace(/\/+$/, '');
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        text = await res.text();
      } catch (err) {
        const cause = (err as { cause?: { code?: string; message?: string } }).cause;
        throw new CommandError(
          `cannot reach Faultline at ${base} (${cause?.code ?? cause?.message ?? (err as Error).message}); set --url or FAULTLINE_URL`,
        );
      }
      let parsed: unknown;
      try {
        parsed = text ? (JSON.parse(text) as unknown) : null;
      } catch {
        throw new CommandError(
          `${method} ${path}: ${base} answered ${res.status} with something other than JSON: is it Faultline's query API?`,
        );
      }
      if (!res.ok) {
        const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
        throw new CommandError(`${method} ${path} failed (${res.status}): ${message}`);
      }
      return parsed;
    },
  };
}

export type AdminCommand = 'projects' | 'keys' | 'tokens' | 'alerts' | 'sourcemaps';

/** Usage lines of each administration command. */
const COMMANDS: Record<AdminCommand, string> = {
  projects: `  faultline projects list
  faultline projects create <slug> [--name <name>]`,
  keys: `  faultline keys list --project <id|slug>
  faultline keys create --project <id|slug>
  faultline keys revoke <keyId> --project <id|slug>`,
  tokens: `  faultline tokens list --project <id|slug>
  faultline tokens create --project <id|slug> --role admin|read [--label <who holds it>]
  faultline tokens revoke <tokenId> --project <id|slug>
  faultline tokens list | revoke <tokenId>     without --project: the instance-wide (instance admin) tokens`,
  alerts: ALERTS_USAGE,
  sourcemaps: `  faultline sourcemaps upload <dir> --release <version> --project <id|slug> [--url-prefix ~/static/js]
    uploads every *.js.map under <dir> and the *.js it belongs to, named <url-prefix>/<path in dir> (default prefix ~/)`,
};

/** The options each administration command takes (besides --help); main.ts refuses others. */
export const ADMIN_OPTIONS: Record<AdminCommand, readonly string[]> = {
  projects: ['name', 'url', 'token'],
  keys: ['project', 'url', 'token'],
  tokens: ['project', 'role', 'label', 'url', 'token'],
  alerts: ALERT_OPTIONS,
  sourcemaps: ['project', 'release', 'url-prefix', 'url', 'token'],
};

export function isAdminCommand(command: string | undefined): command is AdminCommand {
  return command !== undefined && Object.hasOwn(COMMANDS, command);
}

const CONNECTION = 'Options: --url (or FAULTLINE_URL, default http://127.0.0.1:8080), --token (or FAULTLINE_TOKEN: an admin token).';

/** Usage of one administration command, or of all of them. */
export function adminUsage(command?: AdminCommand): string {
  const lines = command ? COMMANDS[command] : Object.values(COMMANDS).join('\n');
  return `Administration commands talk to a running Faultline's API.\n${lines}\n${CONNECTION}`;
}

export interface AdminArgs {
  command: string;
  action: string | undefined;
  rest: string[];
  project: string | undefined;
  name: string | undefined;
  role: string | undefined;
  label?: string | undefined;
  url: string | undefined;
  token: string | undefined;
  release?: string | undefined;
  urlPrefix?: string | undefined;
  alert?: AlertArgs;
}

/** Maps under `dir` and their scripts, as upload name → file path, scripts after their maps. */
export function sourceMapFiles(dir: string, urlPrefix = '~/'): { name: string; path: string; kind: 'source_map' | 'minified_source' }[] {
  const prefix = urlPrefix.replace(/\/+$/, '');
  const files = new Set(readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => f.split(sep).join('/')));
  const out: { name: string; path: string; kind: 'source_map' | 'minified_source' }[] = [];
  for (const file of [...files].filter((f) => /\.[cm]?js\.map$/.test(f)).sort()) {
    out.push({ name: `${prefix}/${file}`, path: join(dir, file), kind: 'source_map' });
    const script = file.slice(0, -'.map'.length);
    if (files.has(script)) out.push({ name: `${prefix}/${script}`, path: join(dir, script), kind: 'minified_source' });
  }
  return out;
}

async function uploadSourceMaps(api: ApiClient, args: AdminArgs, io: CommandIo): Promise<number> {
  const dir = args.rest[0];
  if (!dir || !args.project || !args.release) {
    io.out('error: usage: faultline sourcemaps upload <dir> --release <version> --project <id|slug> [--url-prefix ~/static/js]\n');
    return 2;
  }
  let files: ReturnType<typeof sourceMapFiles>;
  try {
    files = sourceMapFiles(dir, args.urlPrefix);
  } catch (err) {
    throw new CommandError(`cannot read ${dir}: ${(err as { code?: string }).code ?? (err as Error).message}`);
  }
  if (files.length === 0) {
    io.out(`error: no *.js.map files under ${dir}\n`);
    return 1;
  }
  const path = `/api/v1/projects/${encodeURIComponent(args.project)}/releases/${encodeURIComponent(args.release)}/files`;
  for (const file of files) {
    const content = readFileSync(file.path, 'utf8');
    await api.call('POST', path, { name: file.name, content, kind: file.kind });
    io.out(`uploaded ${file.name} (${file.kind}, ${Buffer.byteLength(content)} bytes) from ${relative(process.cwd(), file.path) || file.path}\n`);
  }
  io.out(`${files.length} file(s) uploaded for release ${args.release}\n`);
  return 0;
}

/** `faultline projects|keys|tokens|alerts …`; returns the exit code. */
export async function runAdminCommand(args: AdminArgs, io: CommandIo): Promise<number> {
  const usage = adminUsage(isAdminCommand(args.command) ? args.command : undefined);
  const env = clientEnv();
  const token = args.token ?? env.token;
  if (!token) {
    io.out(`${usage}\n\nerror: no token (set FAULTLINE_TOKEN or pass --token)\n`);
    return 2;
  }
  const api = apiClient(args.url ?? env.url ?? 'http://127.0.0.1:8080', token);
  const project = encodeURIComponent(args.project ?? '');
  const needProject = (): boolean => {
    if (args.project) return true;
    io.out('error: --project is required\n');
    return false;
  };
  const print = (value: unknown): number => {
    io.out(`${JSON.stringify(value, null, 2)}\n`);
    return 0;
  };
  switch (`${args.command} ${args.action ?? ''}`) {
    case 'projects list':
      return print(await api.call('GET', '/api/v1/projects'));
    case 'projects create':
      return print(await api.call('POST', '/api/v1/projects', { slug: args.rest[0], name: args.name }));
    case 'keys list':
      return needProject() ? print(await api.call('GET', `/api/v1/projects/${project}/keys`)) : 2;
    case 'keys create':
      return needProject() ? print(await api.call('POST', `/api/v1/projects/${project}/keys`)) : 2;
    case 'keys revoke':
      if (!needProject()) return 2;
      await api.call('DELETE', `/api/v1/projects/${project}/keys/${encodeURIComponent(args.rest[0] ?? '')}`);
      io.out('revoked\n');
      return 0;
    case 'alerts list':
      return needProject() ? print(await api.call('GET', `/api/v1/projects/${project}/alerts`)) : 2;
    case 'alerts create': {
      if (!needProject()) return 2;
      const rule = alertRuleBody(args.alert ?? {});
      if ('error' in rule) {
        io.out(`error: ${rule.error}\n${ALERTS_USAGE}\n`);
        return 2;
      }
      return print(await api.call('POST', `/api/v1/projects/${project}/alerts`, rule.body));
    }
    case 'alerts delete':
      if (!needProject()) return 2;
      await api.call('DELETE', `/api/v1/projects/${project}/alerts/${encodeURIComponent(args.rest[0] ?? '')}`);
      io.out('deleted\n');
      return 0;
    case 'sourcemaps upload':
      return uploadSourceMaps(api, args, io);
    // Without --project: the instance-wide tokens (an instance admin's token is needed for those).
    case 'tokens list':
      return print(await api.call('GET', args.project ? `/api/v1/projects/${project}/tokens` : '/api/v1/tokens'));
    case 'tokens create':
      return needProject() ? print(await api.call('POST', `/api/v1/projects/${project}/tokens`, { role: args.role ?? 'read', ...(args.label ? { label: args.label } : {}) })) : 2;
    case 'tokens revoke': {
      const tokenId = encodeURIComponent(args.rest[0] ?? '');
      await api.call('DELETE', args.project ? `/api/v1/projects/${project}/tokens/${tokenId}` : `/api/v1/tokens/${tokenId}`);
      io.out('revoked\n');
      return 0;
    }
    default:
      io.out(`${args.action ? `error: unknown action "${args.action}" of faultline ${args.command}\n` : ''}${usage}\n`);
      return 2;
  }
}
