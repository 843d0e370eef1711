import { clientEnv } from './config.ts';

export interface CommandIo {
  out(text: string): void;
}

interface ApiClient {
  call(method: string, path: string, body?: unknown): Promise<unknown>;
}

function apiClient(url: string, token: string): ApiClient {
  return {
    async call(method, path, body) {
      const res = await fetch(`${url.replace(/\/+$/, '')}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      const parsed = text ? (JSON.parse(text) as unknown) : null;
      if (!res.ok) {
        const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? res.statusText;
        throw new Error(`${method} ${path} failed (${res.status}): ${message}`);
      }
      return parsed;
    },
  };
}

const USAGE = `Administration commands talk to a running Faultline's API.
  faultline projects list
  faultline projects create <slug> [--name <name>]
  faultline keys list --project <id|slug>
  faultline keys create --project <id|slug>
  faultline keys revoke <keyId> --project <id|slug>
  faultline tokens create --project <id|slug> --role admin|read
Options: --url (or FAULTLINE_URL, default http://127.0.0.1:8080), --token (or FAULTLINE_TOKEN: an admin token).`;

export interface AdminArgs {
  command: string;
  action: string | undefined;
  rest: string[];
  project: string | undefined;
  name: string | undefined;
  role: string | undefined;
  url: string | undefined;
  token: string | undefined;
}

/** `faultline projects|keys|tokens …`; returns the exit code. */
export async function runAdminCommand(args: AdminArgs, io: CommandIo): Promise<number> {
  const env = clientEnv();
  const token = args.token ?? env.token;
  if (!token) {
    io.out(`${USAGE}\n\nerror: no token (set FAULTLINE_TOKEN or pass --token)\n`);
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
    case 'tokens create':
      return needProject() ? print(await api.call('POST', `/api/v1/projects/${project}/tokens`, { role: args.role ?? 'read' })) : 2;
    default:
      io.out(`${USAGE}\n`);
      return 2;
  }
}
