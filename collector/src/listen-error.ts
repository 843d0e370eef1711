/** Which listener a bind failure belongs to: the CLI names the setting behind it. */
export type Listener = 'otlp-grpc' | 'otlp-http' | 'http';

/** Why a bind failed, from Node's error code or (gRPC) the text gRPC wraps it in. */
export type ListenProblem = 'in-use' | 'no-permission' | 'not-local' | 'unresolved' | 'other';

function problemOf(cause: unknown): ListenProblem {
  const code = (cause as { code?: unknown } | null)?.code;
  const text = `${typeof code === 'string' ? code : ''} ${cause instanceof Error ? cause.message : String(cause)}`;
  if (text.includes('EADDRINUSE')) return 'in-use';
  if (text.includes('EACCES')) return 'no-permission';
  if (text.includes('EADDRNOTAVAIL')) return 'not-local';
  if (text.includes('ENOTFOUND') || text.includes('EAI_AGAIN') || text.includes('Name resolution failed')) return 'unresolved';
  return 'other';
}

const SAYS: Record<Exclude<ListenProblem, 'other'>, string> = {
  'in-use': 'is already in use',
  'no-permission': 'needs privileges this process lacks',
  'not-local': 'is not an address of this machine',
  unresolved: 'cannot be resolved',
};

/** A listener that could not bind, with a one-line message (`address 127.0.0.1:8080 is already in use`). */
export class ListenError extends Error {
  readonly listener: Listener;
  readonly host: string;
  readonly port: number;
  readonly problem: ListenProblem;

  constructor(listener: Listener, host: string, port: number, cause: unknown) {
    const problem = problemOf(cause);
    const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const says = problem === 'other' ? `cannot be listened on (${cause instanceof Error ? cause.message : String(cause)})` : SAYS[problem];
    super(`address ${address} ${says}`, { cause });
    this.listener = listener;
    this.host = host;
    this.port = port;
    this.problem = problem;
  }
}
